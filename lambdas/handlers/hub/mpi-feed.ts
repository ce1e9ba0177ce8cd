/**
 * Internal API, for the city nodes: the patient feed (PIXm ITI-104) at the master patient index.
 *   POST /internal/fhir/Patient                                   create (or replace) the hospital's record
 *   PUT  /internal/fhir/Patient?identifier=<mrn system>|<value>   conditional update
 * The city names the calling hospital in X-HHC-Hospital; the hub checks the hospital is the calling
 * city's (its IAM identity: docs/node-identity.md) and the MRN is that hospital's.
 */
import { actingHospital } from "#domain/acting-hospital.ts";
import { feedPatientSchema } from "#schemas/patient.ts";
import { httpHandler } from "#shared/http.ts";
import { feedFromCity } from "#use-cases/mpi/feed.ts";
import { actingFor } from "#use-cases/node-identity.ts";
import { hubFeedWiring } from "#wiring/mpi.ts";
import { nodeIdentityDeps } from "#wiring/node-identity.ts";

const { deps, mpi, activity } = hubFeedWiring();

const feedDeps = { ...deps, countPatient: (at: Date) => activity.add("patients", at) };
const identity = nodeIdentityDeps();

export const handler = httpHandler(async (_event, request) => {
  const { hospitalId } = await actingFor(identity, request, actingHospital(request.headers));
  const result = await feedFromCity(
    feedDeps,
    mpi,
    hospitalId,
    request.body(feedPatientSchema),
    request.method === "PUT" ? request.query : undefined,
  );
  return { statusCode: result.created ? 201 : 200, body: result.patient };
});
