/**
 * Internal API, for the city nodes: the patient feed (PIXm ITI-104) at the master patient index.
 *   POST /internal/fhir/Patient                                   create (or replace) the hospital's record
 *   PUT  /internal/fhir/Patient?identifier=<mrn system>|<value>   conditional update
 * The city names the calling hospital in X-HHC-Hospital; the hub checks the hospital is the calling
 * city's (its IAM identity: docs/node-identity.md) and the MRN is that hospital's.
 */
import { actingHospital } from "#domain/acting-hospital.ts";
import { EMPI_SYSTEM, feedPatientSchema, RESIDENT_ID_SYSTEM } from "#schemas/patient.ts";
import { clock } from "#shared/clock.ts";
import { httpHandler } from "#shared/http.ts";
import { markDeceased } from "#use-cases/departments/vital.ts";
import { feedFromCity } from "#use-cases/mpi/feed.ts";
import { motherResidentId } from "#use-cases/mpi/patient-record.ts";
import { actingFor } from "#use-cases/node-identity.ts";
import { vitalDeps } from "#wiring/departments-inbound.ts";
import { hubFeedWiring } from "#wiring/mpi.ts";
import { nodeIdentityDeps } from "#wiring/node-identity.ts";

const { deps, mpi, activity } = hubFeedWiring();

const feedDeps = {
  ...deps,
  countPatient: (at: Date) => activity.add("patients", at),
  countReviewsAnswered: (at: Date, count: number) => activity.add("reviewsAnswered", at, count),
  countDoubtsRaised: (at: Date, count: number) => activity.add("doubtsRaised", at, count),
};
const identity = nodeIdentityDeps();
const vital = vitalDeps();

export const handler = httpHandler(async (_event, request) => {
  const { hospitalId } = await actingFor(identity, request, actingHospital(request.headers));
  const patient = request.body(feedPatientSchema);
  const result = await feedFromCity(feedDeps, mpi, hospitalId, patient, request.method === "PUT" ? request.query : undefined);
  // a death reported by the hospital: the MPI marks the resident deceased, and the departments are told (docs/departments.md#deaths)
  const id = (system: string) => result.identifiers.find((i) => i.system === system)?.value;
  const empi = id(EMPI_SYSTEM);
  if (patient.deceasedDateTime && empi) {
    const residentId = id(RESIDENT_ID_SYSTEM);
    const report = { empi, deceasedDateTime: patient.deceasedDateTime, source: "health" as const, reportedBy: hospitalId };
    await markDeceased(vital, { ...report, ...(residentId ? { residentId } : {}) }, clock.now());
  }
  // a newborn registered under its mother's number: the birth-notification (docs/departments.md#births). On
  // every feed of it until it has its own number, not only the first: a feed retried after a failure here
  // (the resident kept, the event not sent) sends it then; its id makes one notification of many events
  if (empi && !id(RESIDENT_ID_SYSTEM) && motherResidentId(patient))
    await vital.publish({
      type: "resident-vital-change",
      version: 1,
      messageId: `born-${empi}`,
      empi,
      change: "born",
      source: "health",
      reportedBy: hospitalId,
      newborn: result.patient as { resourceType: "Patient" },
      at: clock.isoNow(),
    });
  return { statusCode: result.created ? 201 : 200, body: result.patient };
});
