/**
 * Identity queries, answered by the hub's master patient index (read-after-write from any city):
 *   GET /fhir/Patient/$ihe-pix?sourceIdentifier=<system>|<value>[&targetSystem=<system>]   PIXm (ITI-83)
 *   GET /fhir/Patient?identifier=|family=|given=|name=|birthdate=|gender=|telecom=       PDQm (ITI-78)
 * PDQm returns demographics, so it requires X-Practitioner-Id (an active practitioner of the calling
 * hospital, else 403); PIXm admits the FEP as a system, and checks the header when present.
 * Each query leaves exactly one AuditEvent, refusals included.
 */
import { patientHub } from "#adapters/patient-hub.ts";
import { EMPI_SYSTEM, parseToken } from "#schemas/patient.ts";
import { nodeEnv } from "#shared/env.ts";
import { httpHandler } from "#shared/http.ts";
import { hubClient } from "#shared/hub-client.ts";
import { actingPractitioner, practitionerHeader } from "#shared/practitioner-guard.ts";
import { type Identifier, namedPatients } from "#use-cases/mpi/patient-record.ts";
import { pdqParams, pixParams, queryString } from "#use-cases/mpi/query-params.ts";
import { cityAuditor } from "#wiring/audit.ts";

const node = nodeEnv();
const hub = hubClient(node.ssmPrefix);
const patients = patientHub(hub);
const auditor = cityAuditor(node);

const named = (token: string | undefined): Identifier[] => {
  const id = token ? parseToken(token) : undefined;
  return id ? [id] : [];
};

export const handler = httpHandler(async (event, http) => {
  const { hospitalId } = http.caller!;
  const params = event.multiValueQueryStringParameters;
  const query = queryString(params);
  const practitionerId = practitionerHeader(http.headers);
  if (event.resource.endsWith("/$ihe-pix")) {
    const source = named(params?.sourceIdentifier?.[0]);
    const template = {
      action: "E" as const,
      interaction: "operation" as const,
      hospitalId,
      practitionerId,
      patients: source,
      query: `Patient/$ihe-pix${query}`,
    };
    return auditor.audited(template, async () => {
      await actingPractitioner(hub, http.headers, hospitalId, false);
      const q = pixParams(params);
      const answer = await patients.pix(query, hospitalId);
      const targets = ((answer.body.parameter as { valueIdentifier?: Identifier }[] | undefined) ?? []).flatMap((p) =>
        p.valueIdentifier ? [p.valueIdentifier] : [],
      );
      return {
        value: { statusCode: 200, body: answer.body },
        patients: [...named(q.sourceIdentifier), ...targets.filter((t) => t.system === EMPI_SYSTEM)],
      };
    });
  }
  const template = {
    action: "E" as const,
    interaction: "search-type" as const,
    hospitalId,
    practitionerId,
    patients: named(params?.identifier?.[0]),
    query: `Patient${query}`,
  };
  return auditor.audited(template, async () => {
    await actingPractitioner(hub, http.headers, hospitalId, true);
    pdqParams(params);
    const answer = await patients.pdq(query, hospitalId);
    const entries = (answer.body.entry as { resource: Record<string, unknown> }[] | undefined) ?? [];
    return { value: { statusCode: 200, body: answer.body }, patients: entries.flatMap((e) => namedPatients(e.resource)) };
  });
});
