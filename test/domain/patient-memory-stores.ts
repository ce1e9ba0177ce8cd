/**
 * In-memory stand-ins for the hub's MPI tables with the same conditional semantics as the DynamoDB
 * adapters (a version written only if absent, claims compare-and-set), for use-case tests without I/O.
 */

import { formatEmpi } from "#domain/mpi/empi.ts";
import { MasterPatientIndex, ResidentVersionConflictError } from "#domain/mpi/engine.ts";
import type { ResidentEntry, ResidentIdClaim, ResidentStore } from "#ports/mpi.ts";
import { type PatientRecord, PatientRecordConflictError, type PatientRecordStore } from "#ports/mpi.ts";
import { type MpiDeps, ResidentViews } from "#use-cases/mpi/residents.ts";

const copy = <T>(value: T): T => structuredClone(value);

export class MemoryResidentStore implements ResidentStore {
  readonly versions = new Map<string, ResidentEntry[]>();
  readonly keys = new Map<string, Set<string>>();
  readonly claims = new Map<string, ResidentIdClaim>();
  readonly queue = new Map<string, string>();
  #sequence = 0;

  async next() {
    return formatEmpi(++this.#sequence);
  }
  async latest(empi: string) {
    const all = this.versions.get(empi);
    return all?.length ? copy(all[all.length - 1]) : undefined;
  }
  async history(empi: string, limit: number) {
    return copy([...(this.versions.get(empi) ?? [])].reverse().slice(0, limit));
  }
  async put(entry: ResidentEntry) {
    const all = this.versions.get(entry.empi) ?? [];
    if (all.some((e) => e.version === entry.version) || (all.length === 0 && entry.version !== 1))
      throw new ResidentVersionConflictError(entry.empi);
    all.push(copy(entry));
    this.versions.set(entry.empi, all);
  }
  async partition(key: string, limit: number) {
    if (key.startsWith("id:")) {
      const claim = this.claims.get(key.slice(3));
      return claim ? [claim.owner] : [];
    }
    return [...(this.keys.get(key) ?? [])].slice(0, limit);
  }
  async addKeys(empi: string, keys: readonly string[]) {
    for (const key of keys.filter((k) => !k.startsWith("id:"))) this.keys.set(key, (this.keys.get(key) ?? new Set()).add(empi));
  }
  async getClaim(residentId: string) {
    return copy(this.claims.get(residentId));
  }
  async claim(residentId: string, empi: string, now: number) {
    const claim = this.claims.get(residentId);
    if (claim && claim.owner !== empi) return false;
    this.claims.set(residentId, { owner: empi, claimedAt: now });
    return true;
  }
  async takeOver(residentId: string, empi: string, previous: ResidentIdClaim, now: number) {
    const claim = this.claims.get(residentId);
    if (claim?.owner !== previous.owner || claim.claimedAt !== previous.claimedAt) return false;
    this.claims.set(residentId, { owner: empi, claimedAt: now });
    return true;
  }
  async release(residentId: string, empi: string) {
    if (this.claims.get(residentId)?.owner === empi) this.claims.delete(residentId);
  }
  async enqueueReview(empi: string, queuedAt: string) {
    this.queue.set(empi, queuedAt);
  }
  async dequeueReview(empi: string) {
    this.queue.delete(empi);
  }
  async listReview(limit: number) {
    return [...this.queue].slice(0, limit).map(([empi, queuedAt]) => ({ empi, queuedAt }));
  }
}

export class MemoryPatientRecordStore implements PatientRecordStore {
  readonly records = new Map<string, PatientRecord>();
  readonly terms = new Map<string, Set<string>>();

  async get(sourceKey: string) {
    return copy(this.records.get(sourceKey));
  }
  async getMany(sourceKeys: readonly string[]) {
    return new Map(sourceKeys.flatMap((k) => (this.records.has(k) ? [[k, copy(this.records.get(k)!)] as const] : [])));
  }
  async put(record: PatientRecord) {
    const stored = this.records.get(record.sourceKey);
    if ((stored?.version ?? 0) !== record.version - 1) throw new PatientRecordConflictError(record.sourceKey);
    this.records.set(record.sourceKey, copy(record));
  }
  async addTerms(sourceKey: string, terms: readonly string[]) {
    for (const t of terms) this.terms.set(t, (this.terms.get(t) ?? new Set()).add(sourceKey));
  }
  async removeTerms(sourceKey: string, terms: readonly string[]) {
    for (const t of terms) this.terms.get(t)?.delete(sourceKey);
  }
  async search(term: string, limit: number) {
    return [...(this.terms.get(term) ?? [])].slice(0, limit);
  }
}

export function memoryMpi(now = () => new Date("2025-06-30T08:00:00Z")) {
  const residents = new MemoryResidentStore();
  const records = new MemoryPatientRecordStore();
  const deps: MpiDeps = { residents, records, now };
  return { deps, residents, records, mpi: new MasterPatientIndex(new ResidentViews(deps), residents) };
}
