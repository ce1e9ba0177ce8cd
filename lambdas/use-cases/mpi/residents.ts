/**
 * Residents as the index answers for them, over the stored resident items (docs/adr/0008):
 * - a merged-away resident points to its survivor (`mergedInto`); resolve() follows the pointers;
 * - a survivor's view holds its own records and those of every resident merged into it that still
 *   points back to it, so a merge and its undo each become visible with one conditional write;
 * - a hospital's record counts for a resident only while its PatientRecords item names the resident
 *   item holding it (confirmedSources), so a copy left by an interrupted move is never answered;
 * - a resident ID number is claimed (one conditional write) before the resident holding it is
 *   written, so two first registrations of one number cannot both create a resident.
 * ResidentViews is the engine's ResidentIndex port over these views.
 */

import { DEFAULT_MAX_PARTITION, type ResidentIndex, ResidentVersionConflictError } from "#domain/mpi/engine.ts";
import { type MatchRecord, type Resident, storedIdIsKey } from "#domain/mpi/record.ts";
import type { PatientRecord, PatientRecordStore, ResidentEntry, ResidentStore } from "#ports/mpi.ts";
import { sourceKeyOf } from "./patient-record.ts";

export interface MpiDeps {
  residents: ResidentStore;
  records: PatientRecordStore;
  now: () => Date;
  /** When the resident died, as the department exchange knows it (a hospital's report, public security's register): PDQm shows it */
  deceased?: (empi: string) => Promise<string | undefined>;
}

/** A claim whose resident does not hold the number may be taken over after this (longer than any function's timeout) */
export const CLAIM_LEASE_MS = 60_000;
const MAX_HOPS = 8;
const MAX_MEMBERS = 32;

export interface ResidentView extends ResidentEntry {
  /** the survivor first, then the residents merged into it; each holds its own records */
  members: ResidentEntry[];
}

export const recordKey = (record: MatchRecord): string | undefined => (record.source ? sourceKeyOf(record.source) : undefined);

/** The resident answering for `empi`: itself, or the survivor its merges lead to. */
export async function resolveResident(deps: MpiDeps, empi: string): Promise<ResidentEntry | undefined> {
  let entry = await deps.residents.latest(empi);
  for (let hops = 0; entry?.mergedInto && hops < MAX_HOPS; hops++) entry = await deps.residents.latest(entry.mergedInto);
  return entry?.mergedInto ? undefined : entry;
}

/** A survivor with the residents merged into it (those still pointing back), and all their records. */
export async function viewOf(deps: Pick<MpiDeps, "residents">, entry: ResidentEntry): Promise<ResidentView> {
  const members = [entry];
  const pending = (entry.mergedFrom ?? []).map((empi) => ({ empi, into: entry.empi }));
  while (pending.length > 0 && members.length < MAX_MEMBERS) {
    const next = pending.shift()!;
    if (members.some((m) => m.empi === next.empi)) continue;
    const merged = await deps.residents.latest(next.empi);
    if (merged?.mergedInto !== next.into) continue;
    members.push(merged);
    pending.push(...(merged.mergedFrom ?? []).map((empi) => ({ empi, into: merged.empi })));
  }
  const residentId = entry.residentId ?? members.find((m) => m.residentId)?.residentId;
  return { ...entry, records: members.flatMap((m) => m.records), ...(residentId ? { residentId } : {}), members };
}

export async function resolveView(deps: MpiDeps, empi: string): Promise<ResidentView | undefined> {
  const entry = await resolveResident(deps, empi);
  return entry ? viewOf(deps, entry) : undefined;
}

/** The view's records whose PatientRecords item names the member holding them, with that item. */
export async function confirmedSources(deps: MpiDeps, view: ResidentView): Promise<{ record: MatchRecord; stored: PatientRecord }[]> {
  const held = heldRecords(view);
  return confirmedOf(held, await deps.records.getMany(held.flatMap((h) => (h.key ? [h.key] : []))));
}

/** The view's records, each with the member holding it and its PatientRecords key */
export const heldRecords = (view: ResidentView) =>
  view.members.flatMap((m) => m.records.map((record) => ({ member: m.empi, record, key: recordKey(record) })));

/** Of `held`, those whose PatientRecords item (in `stored`, read by the caller) names the member holding them */
export function confirmedOf(
  held: ReturnType<typeof heldRecords>,
  stored: Map<string, PatientRecord>,
): { record: MatchRecord; stored: PatientRecord }[] {
  return held.flatMap((h) => {
    const pr = h.key ? stored.get(h.key) : undefined;
    return pr && pr.empi === h.member ? [{ record: h.record, stored: pr }] : [];
  });
}

/** The resident's own number: kept while one of its records holds it as a key, else the first such record's. */
export function ownResidentId(records: readonly MatchRecord[], previous?: string): string | undefined {
  const keys = records.filter(storedIdIsKey).map((r) => r.residentId!);
  return previous && keys.includes(previous) ? previous : keys[0];
}

/** The entry's next version with `record` in place of any record of the same source (or without it). */
export function withRecord(entry: ResidentEntry, record: MatchRecord | undefined, sourceKey: string): ResidentEntry {
  const records = entry.records.filter((r) => recordKey(r) !== sourceKey);
  if (record) records.push(record);
  const residentId = ownResidentId(records, entry.residentId);
  const { residentId: _old, change: _change, ...rest } = entry;
  return { ...rest, version: entry.version + 1, records, ...(residentId ? { residentId } : {}) };
}

/**
 * Writes a resident version: first the claim of its own resident ID number (so no other resident can
 * be created with it), then the version itself, conditionally; releases a number it no longer holds.
 */
export async function writeResident(deps: MpiDeps, entry: ResidentEntry, previousResidentId?: string): Promise<void> {
  if (entry.residentId && !entry.mergedInto) await claimResidentId(deps, entry.residentId, entry.empi);
  await deps.residents.put(entry);
  if (previousResidentId && previousResidentId !== entry.residentId) await deps.residents.release(previousResidentId, entry.empi);
}

async function claimResidentId(deps: MpiDeps, residentId: string, empi: string): Promise<void> {
  const now = deps.now().getTime();
  if (await deps.residents.claim(residentId, empi, now)) return;
  const claim = await deps.residents.getClaim(residentId);
  if (!claim || claim.owner === empi) {
    if (await deps.residents.claim(residentId, empi, now)) return;
    throw new ResidentVersionConflictError(empi);
  }
  const owner = await deps.residents.latest(claim.owner);
  if (owner?.residentId === residentId) {
    // held: fine when the holder answers as this very resident (merged into it), else someone else's
    if ((await resolveResident(deps, claim.owner))?.empi === empi) return;
    throw new ResidentVersionConflictError(empi);
  }
  // claimed by a write that has not (yet) stored its resident: wait for it, or take over after the lease
  if (now - claim.claimedAt < CLAIM_LEASE_MS || !(await deps.residents.takeOver(residentId, empi, claim, now))) {
    throw new ResidentVersionConflictError(empi);
  }
}

/** The record's number, set aside when another resident holds it (a resident holds one number, claimed once). */
export async function numberFor(deps: MpiDeps, record: MatchRecord, destination: string | undefined): Promise<MatchRecord> {
  if (!storedIdIsKey(record)) return record;
  const claim = await deps.residents.getClaim(record.residentId!);
  const owner = claim ? await deps.residents.latest(claim.owner) : undefined;
  if (!owner || owner.residentId !== record.residentId) return record;
  const holder = await resolveResident(deps, owner.empi);
  if (!holder || holder.empi === destination) return record;
  return { ...record, residentIdSetAside: true };
}

/** The engine's port: views for candidates; a merged-away resident is found through its survivor. */
export class ResidentViews implements ResidentIndex {
  constructor(
    private readonly deps: MpiDeps,
    private readonly maxPartition = DEFAULT_MAX_PARTITION,
  ) {}

  async getByBlockingKey(key: string, limit?: number): Promise<readonly string[]> {
    if (!key.startsWith("id:")) return this.deps.residents.partition(key, limit ?? this.maxPartition + 1);
    const [owner] = await this.deps.residents.partition(key, 1);
    const survivor = owner ? await resolveResident(this.deps, owner) : undefined;
    return survivor ? [survivor.empi] : [];
  }

  async getResident(empi: string): Promise<Resident | undefined> {
    const entry = await this.deps.residents.latest(empi);
    const view = entry && !entry.mergedInto ? await viewOf(this.deps, entry) : undefined;
    return view && view.records.length > 0 ? view : undefined;
  }

  async putResident(resident: Resident): Promise<void> {
    await writeResident(this.deps, resident);
  }

  async addBlockingKeys(empi: string, keys: readonly string[]): Promise<void> {
    await this.deps.residents.addKeys(empi, keys);
  }
}

/** Retries `attempt` on a concurrent change (bounded, with jitter); the last conflict is rethrown. */
export async function withRetries<T>(attempt: () => Promise<T>, isConflict: (error: unknown) => boolean, tries = 8): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isConflict(error) || i >= tries) throw error;
      await new Promise((r) => setTimeout(r, Math.random() * 25 * 2 ** Math.min(i, 5)));
    }
  }
}
