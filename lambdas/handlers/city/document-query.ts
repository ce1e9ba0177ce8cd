/**
 * A resident's record from any city (IHE MHD ITI-67/68, the EHR timeline), docs/documents.md:
 *   GET /fhir/DocumentReference?patient.identifier=<system>|<value>[&type=][&date=][&status=][&_id=][&_count=]
 *   GET /fhir/DocumentReference/{id}           read what a search finds (the same search, by `_id`)
 *   GET /fhir/Binary/{id}                      the exact bytes (≤ 4 MB), a FHIR Binary when asked, or a redirect
 *   GET /fhir/Encounter?patient.identifier=…   the resident's encounters from every hospital
 *   GET /fhir/Encounter/{id}                   read what a search finds
 *   GET /fhir/Patient/{id}/$everything         the resident's timeline (EMPI as id)
 * Each requires X-Practitioner-Id (an active practitioner of the calling hospital, else 403), is
 * decided by the consent policy (docs/consent.md: X-Purpose-Of-Use, X-Break-Glass-Reason) and leaves
 * exactly one AuditEvent, with the decision.
 */
import { parseRecordSearch } from "#domain/documents/records.ts";
import { empiIdentifier, namedPatients } from "#domain/named-patients.ts";
import { FHIR_JSON } from "#schemas/fhir.ts";
import { type HttpRequest, httpRouter, queryString } from "#shared/http.ts";
import { actingPractitioner, practitionerHeader } from "#shared/practitioner-guard.ts";
import { readAccessOf } from "#use-cases/consent/gate.ts";
import { everything, findRecords, readRecord, retrieveBinary } from "#use-cases/documents/records.ts";
import { documentReadDeps, documentWiring } from "#wiring/documents.ts";

const wiring = documentWiring({ bytes: true });
const { cityId, hub, auditor } = wiring;
const deps = documentReadDeps(wiring);

const caller = (request: HttpRequest) => {
  const { hospitalId } = request.caller!;
  return { hospitalId, practitionerId: practitionerHeader(request.headers) };
};

const search = (resourceType: "DocumentReference" | "Encounter") => async (request: HttpRequest) => {
  const base = caller(request);
  const template = {
    ...base,
    action: "E" as const,
    interaction: "search-type" as const,
    patients: namedPatients(request, { query: "patient.identifier" }),
    query: `${resourceType}${queryString(request.query)}`,
  };
  return auditor.audited(template, async () => {
    const practitionerId = await actingPractitioner(hub, request.headers, base.hospitalId, true);
    const access = readAccessOf(request.headers, base.hospitalId, practitionerId);
    const wanted = parseRecordSearch(request.query, resourceType);
    const { bundle, empi, privacy } = await findRecords(deps, cityId, access, resourceType, wanted);
    return {
      value: { statusCode: 200, body: bundle },
      patients: [...template.patients, ...(empi ? [empiIdentifier(empi)] : [])],
      ...(privacy ? { privacy } : {}),
    };
  });
};

/** A read by id: the practitioner, the audit and the search as for the search that finds it */
const read = (resourceType: "DocumentReference" | "Encounter") => async (request: HttpRequest) => {
  const base = caller(request);
  const id = request.pathParameters.id!;
  const template = { ...base, action: "R" as const, interaction: "read" as const, patients: [], resource: `${resourceType}/${id}` };
  return auditor.audited(template, async () => {
    const practitionerId = await actingPractitioner(hub, request.headers, base.hospitalId, true);
    const access = readAccessOf(request.headers, base.hospitalId, practitionerId);
    const { resource, empi, privacy } = await readRecord(deps, cityId, access, resourceType, id);
    return { value: { statusCode: 200, body: resource }, patients: [empiIdentifier(empi)], ...(privacy ? { privacy } : {}) };
  });
};

export const handler = httpRouter({
  "GET /fhir/DocumentReference": search("DocumentReference"),
  "GET /fhir/DocumentReference/{id}": read("DocumentReference"),
  "GET /fhir/Encounter": search("Encounter"),
  "GET /fhir/Encounter/{id}": read("Encounter"),

  "GET /fhir/Binary/{id}": async (request) => {
    const base = caller(request);
    const id = request.pathParameters.id!;
    const template = { ...base, action: "R" as const, interaction: "read" as const, patients: [], resource: `Binary/${id}` };
    return auditor.audited(template, async () => {
      const practitionerId = await actingPractitioner(hub, request.headers, base.hospitalId, true);
      const access = readAccessOf(request.headers, base.hospitalId, practitionerId);
      const { result, empi, privacy } = await retrieveBinary(deps, cityId, access, id, (request.headers.accept ?? "").includes(FHIR_JSON));
      return { value: result, patients: [empiIdentifier(empi)], privacy };
    });
  },

  "GET /fhir/Patient/{id}/$everything": async (request) => {
    const base = caller(request);
    const empi = request.pathParameters.id!;
    const template = {
      ...base,
      action: "E" as const,
      interaction: "operation" as const,
      patients: [empiIdentifier(empi)],
      query: `Patient/${empi}/$everything`,
    };
    return auditor.audited(template, async () => {
      const practitionerId = await actingPractitioner(hub, request.headers, base.hospitalId, true);
      const access = readAccessOf(request.headers, base.hospitalId, practitionerId);
      const { bundle, privacy } = await everything(deps, cityId, access, empi);
      return { value: { statusCode: 200, body: bundle }, privacy };
    });
  },
});
