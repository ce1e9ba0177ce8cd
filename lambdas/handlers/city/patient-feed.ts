/**
 * The patient feed (IHE PIXm ITI-104), matched at the hub read-after-write:
 *   POST /fhir/Patient                                         create (201), or replace the record of its MRN (200)
 *   PUT  /fhir/Patient?identifier=<own mrn system>|<value>     conditional update (200, or 201 when new)
 * The FEP feeds as a system; an X-Practitioner-Id, when present, must name an active practitioner of
 * the hospital. Malformed Patients (400) and another hospital's MRN (403) never reach the hub; every
 * feed leaves exactly one AuditEvent.
 */
import { patientHub } from "#adapters/patient-hub.ts";
import { feedPatientSchema } from "#schemas/patient.ts";
import { nodeEnv } from "#shared/env.ts";
import { httpHandler, parseJsonBody } from "#shared/http.ts";
import { hubClient } from "#shared/hub-client.ts";
import { actingPractitioner, practitionerHeader } from "#shared/practitioner-guard.ts";
import { feedSource, type Identifier, namedPatients } from "#use-cases/mpi/patient-record.ts";
import { conditionalIdentifier, queryString } from "#use-cases/mpi/query-params.ts";
import { cityAuditor } from "#wiring/audit.ts";

const node = nodeEnv();
const hub = hubClient(node.ssmPrefix);
const patients = patientHub(hub);
const auditor = cityAuditor(node);

export const handler = httpHandler(async (event, http) => {
  const { hospitalId } = http.caller!;
  const update = event.httpMethod === "PUT";
  const template = {
    action: update ? ("U" as const) : ("C" as const),
    interaction: update ? ("update" as const) : ("create" as const),
    hospitalId,
    practitionerId: practitionerHeader(http.headers),
    patients: namedPatients(event.body),
    resource: "Patient",
  };
  return auditor.audited(template, async () => {
    await actingPractitioner(hub, http.headers, hospitalId, false);
    const patient = parseJsonBody(event, feedPatientSchema);
    const conditional = update ? conditionalIdentifier(event.multiValueQueryStringParameters) : undefined;
    const source = feedSource(hospitalId, patient, conditional);
    const answer = await patients.feed(update ? "PUT" : "POST", queryString(event.multiValueQueryStringParameters), hospitalId, patient);
    const stored = answer.body;
    return {
      value: { statusCode: answer.status, body: stored, headers: { location: `Patient/${String(stored.id)}` } },
      patients: namedPatients(stored, source as Identifier),
    };
  });
});
