/**
 * What the connection use cases (the board, applying heartbeats and exchanges at the hub) need:
 * the Connections table (adapters/connection-store.ts) and the record locator's write
 * (adapters/record-locator.ts).
 */
import type { LastExchange, LastHeartbeat } from "#domain/connections.ts";
import type { LocatorEntry } from "#schemas/documents.ts";

export interface ConnectionStore {
  /** Keeps the newest heartbeat: an older or repeated one changes nothing. Returns whether it applied. */
  recordHeartbeat(heartbeat: LastHeartbeat & { cityId: string; messageId: string }): Promise<boolean>;
  /** Keeps the latest exchange time: an older or repeated one changes nothing. */
  recordExchange(exchange: LastExchange): Promise<boolean>;
  /** Heartbeats and exchanges in one scan */
  list(): Promise<{ heartbeats: LastHeartbeat[]; exchanges: LastExchange[] }>;
}

/** written: this revision is now held; same: it already was (a re-delivery); older: a newer one is held */
export type LocatorWrite = "written" | "same" | "older";

/** The hub's record locator and EHR timeline: per resident, the highest revision of each document and encounter. */
export interface RecordLocator {
  put(entry: LocatorEntry): Promise<LocatorWrite>;
  /** The resident's entries (of one type, when given) */
  list(empi: string, resourceType?: LocatorEntry["resourceType"]): Promise<LocatorEntry[]>;
}
