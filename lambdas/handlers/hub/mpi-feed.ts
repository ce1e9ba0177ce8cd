/**
 * Internal API, for the city nodes: the patient feed (PIXm ITI-104) at the master patient index.
 *   POST /internal/fhir/Patient                                   create (or replace) the hospital's record
 *   PUT  /internal/fhir/Patient?identifier=<mrn system>|<value>   conditional update
 * The city names the calling hospital in X-HHC-Hospital; the hub checks the MRN is that hospital's.
 */
import { dynamoActivityCounter } from "#adapters/activity.ts";
import { mpiWiring } from "#adapters/resident-index.ts";
import { BadRequestError } from "#domain/errors.ts";
import { ACTING_HOSPITAL_HEADER } from "#schemas/internal.ts";
import { feedPatientSchema } from "#schemas/patient.ts";
import { clock } from "#shared/clock.ts";
import { tableName } from "#shared/env.ts";
import { httpHandler, parseJsonBody } from "#shared/http.ts";
import { feedPatient } from "#use-cases/mpi/feed.ts";
import { feedSource } from "#use-cases/mpi/patient-record.ts";
import { conditionalIdentifier } from "#use-cases/mpi/query-params.ts";

const { deps, mpi } = mpiWiring();
const activity = dynamoActivityCounter(tableName("Activity"));

export const handler = httpHandler(async (event) => {
  const hospitalId = Object.entries(event.headers ?? {}).find(([k]) => k.toLowerCase() === ACTING_HOSPITAL_HEADER)?.[1];
  if (!hospitalId)
    throw new BadRequestError(`${ACTING_HOSPITAL_HEADER}: the forwarding city names the calling hospital`, ACTING_HOSPITAL_HEADER);
  const patient = parseJsonBody(event, feedPatientSchema);
  const conditional = event.httpMethod === "PUT" ? conditionalIdentifier(event.multiValueQueryStringParameters) : undefined;
  const source = feedSource(hospitalId, patient, conditional);
  const result = await feedPatient(deps, mpi, { hospitalId, patient, source });
  if (result.created) await activity.add("patients", clock.now());
  return { statusCode: result.created ? 201 : 200, body: result.patient };
});
