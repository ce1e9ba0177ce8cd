/**
 * A city's patient requests, checked at the city and answered by the hub's master patient index.
 * forwardFeed — input: the hospital, its validated Patient, the query (a conditional update's);
 *   output: the hub's answer and the MRN the Patient is keyed by. Primary course: the MRN is the
 *   hospital's own (403 otherwise), a conditional update names it → the hub feeds it read-after-write.
 * pixAtHub / pdqAtHub — input: the query as the hospital sent it; output: the hub's answer. The query is
 *   checked here first (400 naming the parameter), so a malformed one never reaches the hub. A PIXm
 *   system call (no named practitioner) is answered only the EMPI and the hospital's own MRN, and the
 *   same empty Parameters for an unknown resident and one it did not register (domain/mpi/pix-scope.ts).
 */
import { DomainError } from "#domain/errors.ts";
import { emptyPixAnswer, pixForSystemCall } from "#domain/mpi/pix-scope.ts";
import type { PatientHub, PatientHubAnswer } from "#ports/mpi.ts";
import { FHIR_JSON } from "#schemas/fhir.ts";
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
  /** a practitioner of the hospital is named: the full cross-reference */
  named = true,
): Promise<{ answer: PatientHubAnswer; pix: PixmQuery }> {
  const pix = pixParams(query);
  if (named) return { answer: await hub.pix(queryString(query), hospitalId), pix };
  const bar = pix.sourceIdentifier.indexOf("|");
  const source = { system: pix.sourceIdentifier.slice(0, bar), value: pix.sourceIdentifier.slice(bar + 1) };
  // the full cross-reference is asked for (targetSystem would let the answer's shape tell what exists)
  const full = queryString({ sourceIdentifier: [pix.sourceIdentifier] });
  try {
    const answer = await hub.pix(full, hospitalId);
    const body = pixForSystemCall(answer.body, source, hospitalId);
    const wanted = pix.targetSystem ?? [];
    if (wanted.length > 0)
      body.parameter = (body.parameter as { valueIdentifier?: { system: string } }[]).filter(
        (p) => !p.valueIdentifier || wanted.includes(p.valueIdentifier.system),
      );
    return { answer: { status: 200, contentType: FHIR_JSON, body }, pix };
  } catch (error) {
    if (error instanceof DomainError && error.kind === "not-found")
      return { answer: { status: 200, contentType: FHIR_JSON, body: emptyPixAnswer() }, pix };
    throw error;
  }
}

export async function pdqAtHub(hub: PatientHub, hospitalId: string, query: MultiValueParams): Promise<PatientHubAnswer> {
  pdqParams(query);
  return hub.pdq(queryString(query), hospitalId);
}
