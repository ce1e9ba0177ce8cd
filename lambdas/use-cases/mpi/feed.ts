/**
 * Patient feed at the hub (IHE PIXm ITI-104), read-after-write.
 * Input: the calling hospital, its validated Patient, and for a conditional update the MRN it names.
 * Output: the stored Patient (with its EMPI once linked; tagged `review` while its resident awaits
 *   review) and whether it was created.
 * Primary course: read the hospital's record (PatientRecords) → place the record among the residents
 *   (placement.ts: candidates, decide, one resident version) → write the search entries → commit the
 *   hospital's record, conditionally on its version → tidy the residents it left → merge the residents
 *   awaiting review that the record showed to be its resident's (review answered). A concurrent change
 *   (a resident's or the record's version taken) makes the whole feed run again, a bounded number of times.
 */

import { ConflictError } from "#domain/errors.ts";
import { couldDoubt, doubtsRaised } from "#domain/mpi/doubts.ts";
import { type MasterPatientIndex, ResidentVersionConflictError } from "#domain/mpi/engine.ts";
import { PatientRecordConflictError, type ResidentChange } from "#ports/mpi.ts";
import type { FeedPatient } from "#schemas/patient.ts";
import { clock } from "#shared/clock.ts";
import { feedSource, type Identifier, renderPatient, sourceKeyOf, toMatchRecord, toStoredPatient } from "./patient-record.ts";
import { type Placement, place, putInDoubt, tidy } from "./placement.ts";
import { conditionalIdentifier, type MultiValueParams } from "./query-params.ts";
import { type MpiDeps, recordKey, resolveView, withRetries } from "./residents.ts";
import { searchTerms } from "./search-terms.ts";
import { mergeInto } from "./stewardship.ts";

export interface FeedInput {
  hospitalId: string;
  patient: FeedPatient;
  /** the hospital's MRN the Patient is keyed by (feedSource) */
  source: Identifier;
}

export interface FeedResult {
  created: boolean;
  patient: Record<string, unknown>;
  /** the identifiers the stored Patient answers with (for the audit trail) */
  identifiers: Identifier[];
  /** reviews the record answered: residents awaiting review merged into its resident, or its own made an ordinary one */
  reviewsAnswered: number;
  /** records of other registrations it put in doubt, each moved to review (doubts.ts) */
  doubtsRaised: number;
}

const isConflict = (error: unknown): boolean =>
  error instanceof ResidentVersionConflictError || error instanceof PatientRecordConflictError;

/**
 * The Patient as fed, carrying the MRN it is keyed by: a conditional update
 * (`PUT /fhir/Patient?identifier=<mrn>`) whose body omits that MRN keeps it, so the patient stays
 * findable by the identifier it was just updated by.
 */
export function withSource(patient: FeedPatient, source: Identifier): FeedPatient {
  const identifiers = patient.identifier ?? [];
  if (identifiers.some((i) => i.system === source.system && i.value === source.value)) return patient;
  return { ...patient, identifier: [{ system: source.system, value: source.value }, ...identifiers] };
}

export async function feedPatient(deps: MpiDeps, mpi: MasterPatientIndex, input: FeedInput): Promise<FeedResult> {
  const sourceKey = sourceKeyOf(input.source);
  const fed = withSource(input.patient, input.source);
  const patient = toStoredPatient(fed);
  const record = toMatchRecord(fed, input.source);
  let placed: { result: FeedResult; placement: Placement; change: ResidentChange };
  try {
    placed = await withRetries(async () => {
      const at = deps.now().toISOString();
      const change = { kind: "feed" as const, at, by: input.hospitalId, subject: sourceKey };
      const existing = await deps.records.get(sourceKey);
      const placement = await place(deps, mpi, record, existing, change);
      const terms = searchTerms(patient, placement.record);
      await deps.records.addTerms(sourceKey, terms);
      const stored = {
        sourceKey,
        hospitalId: input.hospitalId,
        empi: placement.holder,
        version: (existing?.version ?? 0) + 1,
        ...(existing?.pinned ? { pinned: true } : {}),
        patient,
        record: placement.record,
        flags: placement.flags,
        lastUpdated: at,
        terms,
      };
      await deps.records.put(stored);
      await tidy(deps, placement.stale, sourceKey, placement.answering, change);
      const merged = await answerReviews(deps, placement.answering, placement.absorbs, { ...change, kind: "merge" });
      const dropped = (existing?.terms ?? []).filter((t) => !terms.includes(t));
      if (dropped.length) await deps.records.removeTerms(sourceKey, dropped);
      const answer = renderPatient({ ...stored, empi: placement.answering, review: placement.provisional });
      const result = {
        created: !existing,
        patient: answer,
        identifiers: answer.identifier as Identifier[],
        reviewsAnswered: merged + (placement.answeredApart ? 1 : 0),
        doubtsRaised: 0,
      };
      return { result, placement, change };
    }, isConflict);
  } catch (error) {
    if (isConflict(error)) throw new ConflictError(`${sourceKey} is being changed concurrently; retry`);
    throw error;
  }
  const { result, placement, change } = placed;
  return { ...result, doubtsRaised: await raiseDoubts(deps, placement, sourceKey, { ...change, kind: "doubt" }) };
}

/**
 * Puts in review the records of other registrations that this one put in doubt (doubts.ts): a twin's
 * record typed short that fits the twin as well, now the twin is indexed. After the commit, as
 * answerReviews: a feed interrupted before it leaves the link as it was, and its retry raises the
 * doubt. A record changed concurrently meanwhile is left where it is (a later registration of either
 * twin raises the doubt again).
 */
async function raiseDoubts(deps: MpiDeps, placement: Placement, sourceKey: string, note: ResidentChange): Promise<number> {
  // most feeds meet no record a twin could have typed: then no read of the resident the record joined
  if (!couldDoubt(placement.record, placement.met)) return 0;
  const holder = await resolveView(deps, placement.answering);
  const record = holder?.records.find((r) => recordKey(r) === sourceKey);
  if (!holder || !record) return 0;
  let raised = 0;
  // the resident the record joined, as the decision saw it, is `holder` now; those awaiting review are left alone
  for (const doubt of doubtsRaised(record, holder, placement.met, { today: clock.today() })) {
    try {
      if (await putInDoubt(deps, doubt, { ...note, reason: `put in doubt by ${sourceKey}` })) raised++;
    } catch (error) {
      if (!isConflict(error)) throw error;
    }
  }
  return raised;
}

/**
 * Merges the residents awaiting review that a registration showed to be `survivor` (decide.ts,
 * absorbs), as a steward would, the change naming the hospital and its record. After the commit, so a
 * feed interrupted before it leaves them awaiting review (nothing lost: a steward still sees them,
 * and the feed's retry merges them); one that a steward changed meanwhile is left to the steward.
 */
async function answerReviews(deps: MpiDeps, survivor: string, absorbed: readonly string[], note: ResidentChange): Promise<number> {
  let merged = 0;
  for (const empi of absorbed) {
    try {
      await mergeInto(deps, survivor, empi, { ...note, reason: `review answered by ${note.subject}` });
      merged++;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
  }
  return merged;
}

export interface CityFeedDeps extends MpiDeps {
  /** counts a new hospital record for the operators' activity figures */
  countPatient: (at: Date) => Promise<void>;
  /** counts the reviews a feed answered, likewise */
  countReviewsAnswered: (at: Date, count: number) => Promise<void>;
  /** counts the records a feed put in doubt, likewise */
  countDoubtsRaised: (at: Date, count: number) => Promise<void>;
}

/**
 * A city's forwarded feed: the MRN the Patient is keyed by (the hospital's own; a conditional update's
 * query names it), fed read-after-write, a new record counted.
 */
export async function feedFromCity(
  deps: CityFeedDeps,
  mpi: MasterPatientIndex,
  hospitalId: string,
  patient: FeedPatient,
  update: MultiValueParams | undefined,
): Promise<FeedResult> {
  const source = feedSource(hospitalId, patient, update ? conditionalIdentifier(update) : undefined);
  const result = await feedPatient(deps, mpi, { hospitalId, patient, source });
  if (result.created) await deps.countPatient(clock.now());
  if (result.reviewsAnswered) await deps.countReviewsAnswered(clock.now(), result.reviewsAnswered);
  if (result.doubtsRaised) await deps.countDoubtsRaised(clock.now(), result.doubtsRaised);
  return result;
}
