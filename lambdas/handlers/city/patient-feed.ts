/**
 * The patient feed (IHE PIXm ITI-104), matched at the hub read-after-write:
 *   POST /fhir/Patient                                         create (201), or replace the record of its MRN (200)
 *   PUT  /fhir/Patient?identifier=<own mrn system>|<value>     conditional update (200, or 201 when new)
 * The FEP feeds as a system; an X-Practitioner-Id, when present, must name an active practitioner of
 * the hospital. Malformed Patients (400) and another hospital's MRN (403) never reach the hub; every
 * feed leaves exactly one AuditEvent.
 */
import { namedPatients, resourceIdentifiers } from "#domain/named-patients.ts";
import { feedPatientSchema } from "#schemas/patient.ts";
import { httpHandler } from "#shared/http.ts";
import { actingPractitioner, practitionerHeader } from "#shared/practitioner-guard.ts";
import { forwardFeed } from "#use-cases/mpi/city-patients.ts";
import { cityPatientWiring } from "#wiring/mpi.ts";

const { hub, patients, auditor } = cityPatientWiring();

export const handler = httpHandler(async (_event, request) => {
  const { hospitalId } = request.caller!;
  const update = request.method === "PUT";
  const template = {
    action: update ? ("U" as const) : ("C" as const),
    interaction: update ? ("update" as const) : ("create" as const),
    hospitalId,
    practitionerId: practitionerHeader(request.headers),
    patients: namedPatients(request, "Patient"),
    resource: "Patient",
  };
  return auditor.audited(template, async () => {
    await actingPractitioner(hub, request.headers, hospitalId, false);
    const patient = request.body(feedPatientSchema);
    const { answer, source } = await forwardFeed(patients, hospitalId, patient, update ? request.query : undefined);
    const stored = answer.body;
    return {
      value: { statusCode: answer.status, body: stored, headers: { location: `Patient/${String(stored.id)}` } },
      patients: resourceIdentifiers(stored, source),
    };
  });
});
