/**
 * What the audit use cases need: the hub's audit repository (adapters/audit-repository.ts), and at a
 * city the durable path of an AuditEvent to the hub (the AuditLog outbox, built in wiring/audit.ts).
 */
import type { AccessDescription } from "#domain/audit.ts";
import type { AuditIndex } from "#schemas/audit.ts";

export interface StoredAuditEvent extends AuditIndex {
  id: string;
  event: Record<string, unknown>;
}

export type AuditPartition = { kind: "patient" | "agent" | "day"; value: string };

export interface AuditRepository {
  store(id: string, index: AuditIndex, event: Record<string, unknown>): Promise<void>;
  get(id: string): Promise<StoredAuditEvent | undefined>;
  /** Events of a partition, newest first, with recorded within [from, to) when given */
  query(partition: AuditPartition, range: { from?: string; to?: string }, limit: number): Promise<StoredAuditEvent[]>;
}

/** Records one access at a city durably (or throws); returns the AuditEvent id. */
export interface AccessRecorder {
  record(access: AccessDescription): Promise<string>;
}
