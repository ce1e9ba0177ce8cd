/**
 * A resident's record from any city (IHE MHD ITI-67/68, the EHR timeline), docs/documents.md:
 *   GET /fhir/DocumentReference?patient.identifier=<system>|<value>[&type=][&date=][&status=]
 *   GET /fhir/Binary/{id}                      the exact bytes (≤ 4 MB), a FHIR Binary when asked, or a redirect
 *   GET /fhir/Encounter?patient.identifier=…   the resident's encounters from every hospital
 *   GET /fhir/Patient/{id}/$everything         the resident's timeline (EMPI as id)
 * Each requires X-Practitioner-Id (an active practitioner of the calling hospital, else 403) and
 * leaves exactly one AuditEvent.
 */
import { documentWiring, empiIdentifier } from "#adapters/document-wiring.ts";
import { parseRecordSearch } from "#domain/documents/records.ts";
import { FHIR_JSON } from "#schemas/fhir.ts";
import { parseToken } from "#schemas/patient.ts";
import { httpHandler } from "#shared/http.ts";
import { actingPractitioner, practitionerHeader } from "#shared/practitioner-guard.ts";
import { everything, findRecords, retrieveBinary } from "#use-cases/documents/records.ts";
import { queryString } from "#use-cases/mpi/query-params.ts";

const { cityId, hub, auditor, readDeps: deps } = documentWiring({ bytes: true });

export const handler = httpHandler(async (event, http) => {
  const { hospitalId } = http.caller!;
  const practitionerId = practitionerHeader(http.headers);
  const params = event.multiValueQueryStringParameters;
  const base = { hospitalId, practitionerId };
  switch (event.resource) {
    case "/fhir/Binary/{id}": {
      const id = event.pathParameters!.id!;
      const accept = Object.entries(event.headers ?? {}).find(([k]) => k.toLowerCase() === "accept")?.[1] ?? "";
      const template = { ...base, action: "R" as const, interaction: "read" as const, patients: [], resource: `Binary/${id}` };
      return auditor.audited(template, async () => {
        await actingPractitioner(hub, http.headers, hospitalId, true);
        const { result, empi } = await retrieveBinary(deps, cityId, id, accept.includes(FHIR_JSON));
        return { value: result, patients: [empiIdentifier(empi)] };
      });
    }
    case "/fhir/Patient/{id}/$everything": {
      const empi = event.pathParameters!.id!;
      const template = {
        ...base,
        action: "E" as const,
        interaction: "operation" as const,
        patients: [empiIdentifier(empi)],
        query: `Patient/${empi}/$everything`,
      };
      return auditor.audited(template, async () => {
        await actingPractitioner(hub, http.headers, hospitalId, true);
        return { value: { statusCode: 200, body: await everything(deps, cityId, hospitalId, empi) } };
      });
    }
    default: {
      const resourceType = event.resource === "/fhir/Encounter" ? ("Encounter" as const) : ("DocumentReference" as const);
      const token = params?.["patient.identifier"]?.[0];
      const named = token ? parseToken(token) : undefined;
      const template = {
        ...base,
        action: "E" as const,
        interaction: "search-type" as const,
        patients: named ? [named] : [],
        query: `${resourceType}${queryString(params)}`,
      };
      return auditor.audited(template, async () => {
        await actingPractitioner(hub, http.headers, hospitalId, true);
        const search = parseRecordSearch(params, resourceType);
        const { bundle, empi } = await findRecords(deps, cityId, hospitalId, resourceType, search);
        return { value: { statusCode: 200, body: bundle }, patients: [...template.patients, ...(empi ? [empiIdentifier(empi)] : [])] };
      });
    }
  }
});
