/**
 * A city's patient requests, checked at the city and answered by the hub's master patient index.
 * forwardFeed — input: the hospital, its validated Patient, the query (a conditional update's);
 *   output: the hub's answer and the MRN the Patient is keyed by. Primary course: the MRN is the
 *   hospital's own (403 otherwise), a conditional update names it → the hub feeds it read-after-write.
 * pixAtHub / pdqAtHub — input: the query as the hospital sent it; output: the hub's answer. The query is
 *   checked here first (400 naming the parameter), so a malformed one never reaches the hub.
 */
import type { PatientHub, PatientHubAnswer } from "#ports/mpi.ts";
import type { FeedPatient, PixmQuery } from "#schemas/patient.ts";
import { feedSource, type Identifier } from "./patient-record.ts";
import { conditionalIdentifier, type MultiValueParams, pdqParams, pixParams, queryString } from "./query-params.ts";

export async function forwardFeed(
  hub: PatientHub,
  hospitalId: string,
  patient: FeedPatient,
  /** a conditional update's query (PUT); undefined for a create */
  update: MultiValueParams | undefined,
): Promise<{ answer: PatientHubAnswer; source: Identifier }> {
  const source = feedSource(hospitalId, patient, update ? conditionalIdentifier(update) : undefined);
  const answer = await hub.feed(update ? "PUT" : "POST", queryString(update), hospitalId, patient);
  return { answer, source };
}

export async function pixAtHub(
  hub: PatientHub,
  hospitalId: string,
  query: MultiValueParams,
): Promise<{ answer: PatientHubAnswer; pix: PixmQuery }> {
  const pix = pixParams(query);
  return { answer: await hub.pix(queryString(query), hospitalId), pix };
}

export async function pdqAtHub(hub: PatientHub, hospitalId: string, query: MultiValueParams): Promise<PatientHubAnswer> {
  pdqParams(query);
  return hub.pdq(queryString(query), hospitalId);
}
