/**
 * What the registry use cases (facilities, staff, search, practitioner check) need of storage, and
 * what the connection board needs of the facility registry. Implemented by adapters/registry-store.ts
 * and adapters/facility-store.ts (the hub's Registry and RegistryIndex tables, docs/adr/0007).
 */
import type { FacilitySummary } from "#domain/connections.ts";
import type { IndexEntry } from "#domain/registry/index-entries.ts";
import type { PractitionerRole, RegistryResource } from "#domain/registry/resources.ts";

export interface RegistryRecord {
  /** "Organization/bd001"; a Practitioner's record ("Practitioner/bd001-p007") holds its roles too */
  key: string;
  /** The record's version: each write adds one; writes are conditional on it */
  version: number;
  resource: RegistryResource;
  roles: PractitionerRole[];
}

/** A record as read: with the entries it owns, which the next write needs to retire the stale ones. */
export interface StoredRecord extends RegistryRecord {
  readonly entries: readonly string[];
}

export interface IndexHit {
  sortKey: string;
  cityId?: string;
}

/** Thrown by RegistryStore.put when the stored record is no longer the `previous` one. */
export class RecordConflictError extends Error {
  constructor(readonly key: string) {
    super(`${key} was changed by another write`);
    this.name = "RecordConflictError";
  }
}

export interface RegistryStore {
  /** Strongly consistent */
  get(key: string): Promise<StoredRecord | undefined>;
  /** Strongly consistent, in no particular order; absent keys are left out */
  getMany(keys: string[]): Promise<StoredRecord[]>;
  /** Writes `record` if the stored one is still `previous` (absent when undefined), then its entries; throws RecordConflictError otherwise. */
  put(record: RegistryRecord, entries: IndexEntry[], previous: StoredRecord | undefined): Promise<void>;
  /** The entries of one index partition (optionally with a sort-key prefix), strongly consistent */
  query(read: { indexKey: string; beginsWith?: string }): Promise<IndexHit[]>;
}

/** The city a hospital belongs to, by the facility registry (undefined: no such hospital). */
export interface HospitalCities {
  cityOf(hospitalId: string): Promise<string | undefined>;
}

/** The hospitals of the facility registry, with their cities. */
export interface FacilityStore {
  listSummaries(): Promise<FacilitySummary[]>;
}
