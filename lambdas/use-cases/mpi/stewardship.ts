/**
 * Stewardship of the index by the provincial operator. Every change writes new resident versions
 * (conditionally, docs/adr/0008) and ends with one write that makes it visible:
 * - link (a hospital's record to a resident) and unlink (a record to a new resident of its own):
 *   write the receiving resident, commit the record's PatientRecords item (pinned: later feeds keep
 *   it there), tidy the resident it left (retired with replaced-by when left empty);
 * - merge B into A: A lists B (mergedFrom), B's keys lead to A, then B points to A (mergedInto: the
 *   commit; from then on A answers for B's records and B's EMPI answers replaced-by A);
 * - unmerge B: B stops pointing to A (the commit), then A forgets B;
 * - dismiss a review: the provisional resident becomes an ordinary one.
 * Each returns the residents it changed, for the answer and the audit trail.
 */

import { BadRequestError, ConflictError, NotFoundError } from "#domain/errors.ts";
import { blockingKeys } from "#domain/mpi/blocking.ts";
import { ResidentVersionConflictError } from "#domain/mpi/engine.ts";
import { pairEvidence } from "#domain/mpi/evidence.ts";
import { isProvisional, storedIdIsKey } from "#domain/mpi/record.ts";
import type { ResidentChange, ResidentEntry } from "#ports/mpi.ts";
import { PatientRecordConflictError } from "#ports/mpi.ts";
import { EMPI_SYSTEM, type LinkRequest, type MergeRequest, type UnlinkRequest, type UnmergeRequest } from "#schemas/patient.ts";
import { clock } from "#shared/clock.ts";
import { type Identifier, parseSource, renderPatient } from "./patient-record.ts";
import { tidy } from "./placement.ts";
import {
  confirmedSources,
  type MpiDeps,
  numberFor,
  type ResidentView,
  resolveResident,
  resolveView,
  viewOf,
  withRecord,
  withRetries,
  writeResident,
} from "./residents.ts";

export interface StewardshipResult {
  body: Record<string, unknown>;
  /** the patients the change concerned (audit trail) */
  patients: Identifier[];
}

const isConflict = (e: unknown) => e instanceof ResidentVersionConflictError || e instanceof PatientRecordConflictError;
const retried = async <T>(attempt: () => Promise<T>): Promise<T> => {
  try {
    return await withRetries(attempt, isConflict);
  } catch (error) {
    if (isConflict(error)) throw new ConflictError("The residents are being changed concurrently; retry");
    throw error;
  }
};
const empiId = (value: string): Identifier => ({ system: EMPI_SYSTEM, value });
const change = (deps: MpiDeps, kind: ResidentChange["kind"], subject: string, reason?: string): ResidentChange => ({
  kind,
  at: deps.now().toISOString(),
  by: "operator",
  subject,
  ...(reason ? { reason } : {}),
});
const without = <T extends object, K extends keyof T>(o: T, ...keys: K[]): Omit<T, K> => {
  const copy = { ...o };
  for (const k of keys) delete copy[k];
  return copy;
};

/** `field`: where the request names the resident (a body field or the path parameter), for a refusal to name */
async function activeResident(deps: MpiDeps, empi: string, role: string, field: string): Promise<ResidentEntry> {
  const entry = await deps.residents.latest(empi);
  if (!entry) throw new NotFoundError(`${role} ${empi} is not known to the index`, field);
  if (entry.mergedInto) throw new ConflictError(`${role} ${empi} was replaced by ${entry.mergedInto}`);
  return entry;
}

/** A resident as the operator sees it: status, its hospitals' Patients, what it was merged with. */
export async function residentSummary(deps: MpiDeps, view: ResidentView): Promise<Record<string, unknown>> {
  const review = isProvisional(view);
  const patients = (await confirmedSources(deps, view)).map(({ stored }) => renderPatient({ ...stored, empi: view.empi, review }));
  return {
    empi: view.empi,
    version: view.version,
    status: review ? "review" : "linked",
    ...(view.residentId ? { residentId: view.residentId } : {}),
    ...(review ? { reviewCandidates: view.reviewCandidates } : {}),
    ...(view.members.length > 1 ? { mergedFrom: view.members.slice(1).map((m) => m.empi) } : {}),
    patients,
  };
}

export async function showResident(deps: MpiDeps, empi: string): Promise<StewardshipResult> {
  const history = await deps.residents.history(empi, 50);
  const entry = history[0];
  if (!entry) throw new NotFoundError(`EMPI ${empi} is not known to the index`, "empi");
  const versions = history.map((h) => ({
    version: h.version,
    change: h.change,
    sources: h.records.map((r) => (r.source ? `${r.source.system}|${r.source.value}` : "")),
    ...(h.residentId ? { residentId: h.residentId } : {}),
    ...(h.mergedInto ? { mergedInto: h.mergedInto } : {}),
    ...(h.mergedFrom ? { mergedFrom: h.mergedFrom } : {}),
    ...(h.reviewCandidates ? { reviewCandidates: h.reviewCandidates } : {}),
  }));
  if (entry.mergedInto) {
    const survivor = await resolveResident(deps, empi);
    return {
      body: { empi, version: entry.version, status: "replaced", replacedBy: survivor?.empi ?? entry.mergedInto, history: versions },
      patients: [empiId(empi)],
    };
  }
  return { body: { ...(await residentSummary(deps, await viewOf(deps, entry))), history: versions }, patients: [empiId(empi)] };
}

/** The review queue's page size from `_count` (default 50; 1 to 200, else 400) */
export function reviewLimit(count: string | undefined): number {
  const limit = Number(count ?? "50");
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new BadRequestError("_count must be an integer from 1 to 200", "_count");
  return limit;
}

export async function listReview(deps: MpiDeps, limit: number): Promise<StewardshipResult> {
  const review: Record<string, unknown>[] = [];
  const patients: Identifier[] = [];
  for (const queued of await deps.residents.listReview(limit)) {
    const entry = await deps.residents.latest(queued.empi);
    if (!entry || entry.mergedInto || !isProvisional(entry)) {
      await deps.residents.dequeueReview(queued.empi);
      continue;
    }
    const awaiting = await viewOf(deps, entry);
    const candidates: Record<string, unknown>[] = [];
    for (const c of entry.reviewCandidates ?? []) {
      const view = await resolveView(deps, c);
      if (!view) continue;
      // per field, what agreed, partly agreed, disagreed or was missing between the best pair of records
      const evidence = pairEvidence(awaiting.records, view, clock.today());
      candidates.push({ ...(await residentSummary(deps, view)), ...(evidence ? { evidence } : {}) });
    }
    review.push({ queuedAt: queued.queuedAt, resident: await residentSummary(deps, awaiting), candidates });
    patients.push(empiId(entry.empi));
  }
  return { body: { review }, patients };
}

export async function linkRecord(deps: MpiDeps, { source: sourceKey, empi, reason }: LinkRequest): Promise<StewardshipResult> {
  const source = parseSource(sourceKey);
  const result = await retried(async () => {
    const pr = await deps.records.get(sourceKey);
    if (!pr) throw new NotFoundError(`${sourceKey} is not known to the index`, "source");
    const target = await resolveView(deps, empi);
    if (!target) throw new NotFoundError(`EMPI ${empi} is not known to the index`, "empi");
    const number = storedIdIsKey(pr.record) ? pr.record.residentId : undefined;
    if (number && target.residentId && target.residentId !== number) {
      throw new ConflictError(
        `Resident ${target.empi} holds another resident ID number (${target.residentId}) than ${sourceKey} (${number})`,
      );
    }
    const note = change(deps, "link", sourceKey, reason);
    const current = await resolveResident(deps, pr.empi);
    let holder = pr.empi;
    if (current?.empi !== target.empi) {
      const survivor = await activeResident(deps, target.empi, "EMPI", "empi");
      const record = await numberFor(deps, pr.record, target.empi);
      await writeResident(deps, { ...withRecord(survivor, record, sourceKey), change: note }, survivor.residentId);
      await deps.residents.addKeys(target.empi, blockingKeys(record, { today: clock.today() }));
      holder = target.empi;
    }
    await deps.records.put({ ...pr, empi: holder, version: pr.version + 1, pinned: true, lastUpdated: note.at });
    await tidy(deps, holder === pr.empi ? [] : [pr.empi], sourceKey, target.empi, note);
    return target.empi;
  });
  const view = (await resolveView(deps, result))!;
  return { body: { resident: await residentSummary(deps, view) }, patients: [source, empiId(view.empi)] };
}

export async function unlinkRecord(deps: MpiDeps, { source: sourceKey, reason }: UnlinkRequest): Promise<StewardshipResult> {
  const source = parseSource(sourceKey);
  const result = await retried(async () => {
    const pr = await deps.records.get(sourceKey);
    if (!pr) throw new NotFoundError(`${sourceKey} is not known to the index`, "source");
    const current = await resolveView(deps, pr.empi);
    if (!current || (await confirmedSources(deps, current)).length <= 1)
      throw new ConflictError(`${sourceKey} is its resident's only record: nothing to unlink it from`);
    const note = change(deps, "unlink", sourceKey, reason);
    const empi = await deps.residents.next();
    const record = await numberFor(deps, pr.record, empi);
    const residentId = storedIdIsKey(record) ? record.residentId : undefined;
    await writeResident(deps, { empi, version: 1, records: [record], ...(residentId ? { residentId } : {}), change: note });
    await deps.residents.addKeys(empi, blockingKeys(record, { today: clock.today() }));
    await deps.records.put({ ...pr, empi, version: pr.version + 1, pinned: true, record, lastUpdated: note.at });
    await tidy(deps, [pr.empi], sourceKey, empi, note);
    return { empi, from: current.empi };
  });
  const [created, left] = await Promise.all([resolveView(deps, result.empi), resolveView(deps, result.from)]);
  const residents = await Promise.all(
    [created, left].filter((v): v is ResidentView => v !== undefined).map((v) => residentSummary(deps, v)),
  );
  return { body: { residents }, patients: [source, empiId(result.empi), empiId(result.from)] };
}

export async function mergeResidents(
  deps: MpiDeps,
  { survivor: survivorEmpi, merged: mergedEmpi, reason }: MergeRequest,
): Promise<StewardshipResult> {
  if (survivorEmpi === mergedEmpi) throw new BadRequestError("survivor and merged must be two EMPIs", "merged");
  await mergeInto(deps, survivorEmpi, mergedEmpi, change(deps, "merge", mergedEmpi, reason));
  const view = (await resolveView(deps, survivorEmpi))!;
  return {
    body: { resident: await residentSummary(deps, view), replaced: { empi: mergedEmpi, replacedBy: survivorEmpi } },
    patients: [empiId(survivorEmpi), empiId(mergedEmpi)],
  };
}

/**
 * Merges one resident into another (the steward's merge, and the feed's when a registration answers a
 * review: feed.ts). Idempotent: a resident already merged into the survivor is left as it is. Each
 * resident's change names the other.
 */
export async function mergeInto(deps: MpiDeps, survivorEmpi: string, mergedEmpi: string, note: ResidentChange): Promise<void> {
  await retried(async () => {
    const survivor = await activeResident(deps, survivorEmpi, "survivor", "survivor");
    const merged = await deps.residents.latest(mergedEmpi);
    if (!merged) throw new NotFoundError(`merged ${mergedEmpi} is not known to the index`, "merged");
    if (merged.mergedInto === survivorEmpi) return; // already done
    if (merged.mergedInto) throw new ConflictError(`merged ${mergedEmpi} was already replaced by ${merged.mergedInto}`);
    const [a, b] = await Promise.all([viewOf(deps, survivor), viewOf(deps, merged)]);
    if (a.residentId && b.residentId && a.residentId !== b.residentId) {
      throw new ConflictError(
        `${survivorEmpi} and ${mergedEmpi} hold two resident ID numbers (${a.residentId}, ${b.residentId}): they are two residents`,
      );
    }
    const mergedFrom = [...new Set([...(survivor.mergedFrom ?? []), mergedEmpi])];
    await writeResident(deps, {
      ...without(survivor, "reviewCandidates"),
      version: survivor.version + 1,
      mergedFrom,
      change: { ...note, subject: mergedEmpi },
    });
    await deps.residents.addKeys(survivorEmpi, [...new Set(b.records.flatMap((r) => blockingKeys(r, { today: clock.today() })))]);
    // the commit: from this write on, the survivor answers for the merged resident's records
    await writeResident(deps, {
      ...without(merged, "reviewCandidates"),
      version: merged.version + 1,
      mergedInto: survivorEmpi,
      change: { ...note, subject: survivorEmpi },
    });
  });
  await Promise.all([deps.residents.dequeueReview(survivorEmpi), deps.residents.dequeueReview(mergedEmpi)]);
}

export async function unmergeResident(deps: MpiDeps, { merged: mergedEmpi, reason }: UnmergeRequest): Promise<StewardshipResult> {
  const survivorEmpi = await retried(async () => {
    const merged = await deps.residents.latest(mergedEmpi);
    if (!merged) throw new NotFoundError(`merged ${mergedEmpi} is not known to the index`, "merged");
    if (!merged.mergedInto) throw new ConflictError(`${mergedEmpi} is not merged into another resident`);
    if (merged.records.length === 0)
      throw new ConflictError(`${mergedEmpi} was retired when its last record moved to ${merged.mergedInto}: nothing to restore`);
    const note = change(deps, "unmerge", merged.mergedInto, reason);
    // the commit: from this write on, the merged resident answers for its records again
    await writeResident(deps, { ...without(merged, "mergedInto"), version: merged.version + 1, change: note });
    return merged.mergedInto;
  });
  await retried(async () => {
    const survivor = await deps.residents.latest(survivorEmpi);
    if (!survivor?.mergedFrom?.includes(mergedEmpi)) return;
    const mergedFrom = survivor.mergedFrom.filter((e) => e !== mergedEmpi);
    const note = change(deps, "unmerge", mergedEmpi, reason);
    await writeResident(deps, {
      ...without(survivor, "mergedFrom"),
      version: survivor.version + 1,
      ...(mergedFrom.length ? { mergedFrom } : {}),
      change: note,
    });
  });
  const residents = await Promise.all(
    [mergedEmpi, survivorEmpi].map(async (e) => {
      const view = await resolveView(deps, e);
      return view ? residentSummary(deps, view) : { empi: e };
    }),
  );
  return { body: { residents }, patients: [empiId(mergedEmpi), empiId(survivorEmpi)] };
}

export async function dismissReview(deps: MpiDeps, empi: string, reason?: string): Promise<StewardshipResult> {
  await retried(async () => {
    const entry = await activeResident(deps, empi, "EMPI", "empi");
    if (!isProvisional(entry)) return;
    await writeResident(deps, {
      ...without(entry, "reviewCandidates"),
      version: entry.version + 1,
      change: change(deps, "dismiss", empi, reason),
    });
  });
  await deps.residents.dequeueReview(empi);
  const view = (await resolveView(deps, empi))!;
  return { body: { resident: await residentSummary(deps, view) }, patients: [empiId(empi)] };
}
