/**
 * What the drug catalogue's use cases need: the hub's DrugCatalogue table (adapters/drug-catalogue.ts),
 * one item per code of each drug (its national code, its insurance code, its GTIN where known), the
 * catalogue's current version, and one log item per version naming the drugs it changed.
 */
import type { CatalogueEntry, DeviceEntry } from "#schemas/drugs.ts";

export interface CatalogueRecord {
  entry: CatalogueEntry;
  /** The catalogue version that last changed the entry */
  version: number;
  lastUpdated: string;
}

export interface VersionLog {
  version: number;
  lastUpdated: string;
  /** The national drug codes of the drugs this version changed or added */
  drugs: string[];
  /** The insurance drug codes this version withdrew (a drug's code moved) */
  withdrawn?: string[];
  /** The China Standard Time day the version is in force from (else the day of lastUpdated) */
  inForceFrom?: string;
  /** Whether every part of the version reached the insurance platform's queue */
  published?: boolean;
}

export interface DrugCatalogueStore {
  /** The entry found under a code key (domain/drugs/catalogue.ts codeKey), if any */
  byKey(key: string): Promise<CatalogueRecord | undefined>;
  /** The entries found under many keys, by key (absent keys absent) */
  byKeys(keys: string[]): Promise<Map<string, CatalogueRecord>>;
  /** The catalogue's current version (0 before the first) */
  currentVersion(): Promise<number>;
  /** Moves the current version from `previous` to previous + 1; false when another import moved it first */
  claimVersion(previous: number, lastUpdated: string): Promise<boolean>;
  putVersionLog(log: VersionLog): Promise<void>;
  versionLog(version: number): Promise<VersionLog | undefined>;
  /** Notes that the version was sent to the insurance platform */
  markPublished(version: number): Promise<void>;
  /** Writes each record under every key of its entry, and removes keys the entries no longer carry */
  putRecords(records: CatalogueRecord[], staleKeys: string[]): Promise<void>;
}

/** The hub's DeviceRegistry table (adapters/device-registry.ts): one item per UDI-DI */
export interface DeviceRegistryStore {
  /** The entries held under these DIs, by DI (absent ones absent) */
  byDis(dis: string[]): Promise<Map<string, DeviceEntry>>;
  put(entries: DeviceEntry[]): Promise<void>;
}
