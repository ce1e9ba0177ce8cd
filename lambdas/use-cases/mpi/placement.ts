/**
 * Where a hospital's record goes among the residents, written without transactions (docs/adr/0008).
 * place(): find candidates through the blocking keys (MasterPatientIndex.candidates), decide with
 * the engine (`decide`, the record's own earlier version left out), then write ONE resident version:
 * the record joins the resident it links to, stays with its resident (an update never splits one),
 * or starts a new resident (provisional when it awaits review). The caller then commits the hospital's PatientRecords item;
 * only after that does tidy() remove copies of the record from the residents it left.
 */

import { blockingKeys } from "#domain/mpi/blocking.ts";
import { decide } from "#domain/mpi/decide.ts";
import type { Doubt } from "#domain/mpi/doubts.ts";
import { type MasterPatientIndex, ResidentVersionConflictError } from "#domain/mpi/engine.ts";
import { isProvisional, type MatchRecord, type Resident, storedIdIsKey } from "#domain/mpi/record.ts";
import { type PatientRecord, PatientRecordConflictError, type ResidentChange, type ResidentEntry } from "#ports/mpi.ts";
import { clock } from "#shared/clock.ts";
import {
  type MpiDeps,
  numberFor,
  type ResidentView,
  recordKey,
  resolveResident,
  resolveView,
  withRecord,
  withRetries,
  writeResident,
} from "./residents.ts";

export interface Placement {
  /** the resident item that now holds the record */
  holder: string;
  /** the resident answering for it (the holder, or the survivor the holder was merged into) */
  answering: string;
  provisional: boolean;
  /** the record as the index stores it (number normalized, status recorded) */
  record: MatchRecord;
  flags: string[];
  /** residents that may still hold a copy of the record: tidied once the PatientRecords item is committed */
  stale: string[];
  /**
   * residents awaiting review that the record showed to be the one it joined (decide.ts, absorbs):
   * merged into `answering` once the PatientRecords item is committed (feed.ts)
   */
  absorbs: string[];
  /** the holder's review was answered apart by the record (decide.ts remainingReview empty): an ordinary resident now */
  answeredApart: boolean;
  /**
   * the residents the record's blocking keys found, as the decision saw them (the one it joined among
   * them, without the record): the record may put their records in doubt (doubts.ts)
   */
  met: Resident[];
}

const reviewState = (empis: string[] | undefined) => (empis?.length ? { reviewCandidates: empis } : {});
const candidatesOf = (decision: { reviewCandidates?: { empi: string }[] }) => decision.reviewCandidates?.map((c) => c.empi);

/** The resident with these candidates in question (none: an ordinary resident). */
const withReview = (entry: ResidentEntry, empis: string[] | undefined): ResidentEntry => {
  const { reviewCandidates: _, ...rest } = entry;
  return { ...rest, ...reviewState(empis) };
};

export async function place(
  deps: MpiDeps,
  mpi: MasterPatientIndex,
  record: MatchRecord,
  existing: PatientRecord | undefined,
  change: ResidentChange,
): Promise<Placement> {
  const sourceKey = recordKey(record)!;
  const today = { today: clock.today() };
  const previous = existing ? await deps.residents.latest(existing.empi) : undefined;

  if (existing?.pinned && previous) {
    // a steward placed this record: an update changes its data, not its resident
    const decision = decide(record, [], today);
    const resolved = (await resolveResident(deps, previous.empi)) ?? previous;
    const kept = await numberFor(deps, decision.record, resolved.empi);
    await writeResident(deps, { ...withRecord(previous, kept, sourceKey), change }, previous.residentId);
    const answering = (await resolveResident(deps, previous.empi)) ?? previous;
    await deps.residents.addKeys(answering.empi, blockingKeys(kept, today));
    return {
      holder: previous.empi,
      answering: answering.empi,
      provisional: isProvisional(answering),
      record: kept,
      flags: decision.flags,
      stale: [],
      absorbs: [],
      answeredApart: false,
      met: [],
    };
  }

  const { residents, overfull, nameHolders } = await mpi.candidates(record, today);
  const views = residents as ResidentView[];
  const stale = new Set(
    views.flatMap((v) => v.members.filter((m) => m.records.some((r) => recordKey(r) === sourceKey)).map((m) => m.empi)),
  );
  if (previous) stale.add(previous.empi);
  const others = views
    .map((v) => ({ ...v, records: v.records.filter((r) => recordKey(r) !== sourceKey) }))
    .filter((v) => v.records.length > 0);
  const decision = await mpi.decide(record, others, { ...today, nameHolders }, (r) => recordKey(r) === sourceKey);
  const flags = overfull ? [...decision.flags, "blocking-partition-overfull"] : decision.flags;
  const target = decision.outcome === "link" ? decision.empi : undefined;
  const current = previous ? await resolveView(deps, previous.empi) : undefined;
  const alone = current?.records.every((r) => recordKey(r) === sourceKey) ?? false;

  let holder: ResidentEntry;
  let answering: ResidentEntry;
  let before: ResidentEntry | undefined;
  if (previous && current && (target === current.empi || !target)) {
    // an update moves a record only to a resident it links to; it never splits one (a steward's unlink does)
    holder = { ...withRecord(previous, decision.record, sourceKey), change };
    if (!target && alone && previous.empi === current.empi) holder = withReview(holder, candidatesOf(decision));
    else if (target && decision.remainingReview && previous.empi === current.empi) holder = withReview(holder, decision.remainingReview);
    answering = previous.empi === current.empi ? holder : current;
    before = previous;
  } else if (target) {
    // the record's number held by a resident awaiting review that the record shows to be the target (absorbs):
    // the record joins the resident holding its number (a number is claimed once), which then is merged into the target
    const numberHolder = decision.residentIdKey
      ? others.find((v) => decision.absorbs?.includes(v.empi) && v.residentId === decision.residentIdKey)
      : undefined;
    const joins = numberHolder?.empi ?? target;
    const survivor = await deps.residents.latest(joins);
    if (!survivor || survivor.mergedInto) throw new ResidentVersionConflictError(joins);
    holder = { ...withRecord(survivor, decision.record, sourceKey), change };
    // the record answered the survivor's review in part or whole (decide.ts remainingReview)
    if (decision.remainingReview) holder = withReview(holder, decision.remainingReview);
    const other = joins === target ? undefined : await deps.residents.latest(target);
    if (joins !== target && (!other || other.mergedInto)) throw new ResidentVersionConflictError(target);
    answering = other ?? holder;
    before = survivor;
  } else {
    const residentId = decision.residentIdKey;
    holder = {
      empi: await deps.residents.next(),
      version: 1,
      records: [decision.record],
      ...(residentId ? { residentId } : {}),
      ...reviewState(candidatesOf(decision)),
      change,
    };
    answering = holder;
  }
  await writeResident(deps, holder, before?.residentId);
  if (isProvisional(holder)) await deps.residents.enqueueReview(holder.empi, change.at);
  else if (isProvisional(before ?? {})) await deps.residents.dequeueReview(holder.empi);
  await deps.residents.addKeys(answering.empi, blockingKeys(decision.record, today));
  stale.delete(holder.empi);
  return {
    holder: holder.empi,
    answering: answering.empi,
    provisional: isProvisional(answering),
    record: decision.record,
    flags,
    stale: [...stale],
    absorbs: target ? (decision.absorbs ?? []).filter((empi) => empi !== answering.empi) : [],
    answeredApart: !!target && decision.remainingReview?.length === 0,
    met: others,
  };
}

export const isResidentConflict = (error: unknown): boolean => error instanceof ResidentVersionConflictError;

/**
 * Removes the record from residents it has left, once its PatientRecords item names another holder.
 * A resident left without records is retired, pointing to the resident that now answers for them.
 */
export async function tidy(
  deps: MpiDeps,
  stale: readonly string[],
  sourceKey: string,
  replacedBy: string,
  change: ResidentChange,
): Promise<void> {
  for (const empi of stale) {
    await withRetries(async () => {
      const entry = await deps.residents.latest(empi);
      if (!entry?.records.some((r) => recordKey(r) === sourceKey)) return;
      if ((await deps.records.get(sourceKey))?.empi === empi) return;
      let next: ResidentEntry = { ...withRecord(entry, undefined, sourceKey), change };
      // retired only when nothing answers through it any more (a survivor keeps its merged residents' records)
      if (next.records.length === 0 && !next.mergedInto && !next.mergedFrom?.length && replacedBy !== empi) {
        const { reviewCandidates: _, ...rest } = next;
        next = { ...rest, mergedInto: replacedBy };
      }
      await writeResident(deps, next, entry.residentId);
      if (next.mergedInto && isProvisional(entry)) await deps.residents.dequeueReview(empi);
    }, isResidentConflict);
  }
}

const isResidentOrRecordConflict = (error: unknown): boolean =>
  error instanceof ResidentVersionConflictError || error instanceof PatientRecordConflictError;

/**
 * Moves a record a registration put in doubt (doubts.ts) to a resident of its own awaiting review
 * against the doubt's candidates: a steward's unlink, ordered as one (the new resident and its keys,
 * then the commit: the record's PatientRecords item names it; then the resident it left is tidied and
 * the review queued), but not pinned, so a later feed of the record is placed as any. Left alone: a
 * record a steward placed (pinned), one no longer held where the doubt found it, and one its
 * resident's only record. Returns the new resident's EMPI, or undefined when it left the record alone.
 */
export async function putInDoubt(deps: MpiDeps, doubt: Doubt, change: ResidentChange): Promise<string | undefined> {
  const sourceKey = recordKey(doubt.record);
  if (!sourceKey) return undefined;
  return withRetries(async () => {
    const pr = await deps.records.get(sourceKey);
    if (!pr || pr.pinned) return undefined;
    const current = await resolveView(deps, pr.empi);
    if (!current || current.empi !== doubt.from || isProvisional(current) || current.records.length < 2) return undefined;
    if (!current.members.some((m) => m.empi === pr.empi && m.records.some((r) => recordKey(r) === sourceKey))) return undefined;
    const empi = await deps.residents.next();
    const record = await numberFor(deps, pr.record, empi);
    const residentId = storedIdIsKey(record) ? record.residentId : undefined;
    await writeResident(deps, {
      empi,
      version: 1,
      records: [record],
      ...(residentId ? { residentId } : {}),
      ...reviewState(doubt.candidates),
      change,
    });
    await deps.residents.addKeys(empi, blockingKeys(record, { today: clock.today() }));
    await deps.records.put({ ...pr, empi, version: pr.version + 1, record, lastUpdated: change.at });
    await tidy(deps, [pr.empi], sourceKey, empi, change);
    await deps.residents.enqueueReview(empi, change.at);
    return empi;
  }, isResidentOrRecordConflict);
}
