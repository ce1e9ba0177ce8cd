/**
 * What the master patient index's use cases (use-cases/mpi/) need: the hub's stores of hospital
 * records and residents; and, at a city, the hub's MPI itself (feed, PIXm, PDQm over its internal API).
 */
import type { EmpiAllocator } from "#domain/mpi/empi.ts";
import type { MatchRecord, Resident } from "#domain/mpi/record.ts";
import type { HubAnswer } from "./hub.ts";

export interface PatientRecord {
  sourceKey: string;
  hospitalId: string;
  /** the resident item holding the record (follow its mergedInto for the resident answering for it) */
  empi: string;
  version: number;
  /** a steward placed the record: later updates keep it where it is */
  pinned?: boolean;
  patient: Record<string, unknown>;
  record: MatchRecord;
  flags: string[];
  lastUpdated: string;
  /** PDQm terms written for this version (removed when an update drops them) */
  terms: string[];
}

/** Thrown by PatientRecordStore.put when the stored version is not the one before */
export class PatientRecordConflictError extends Error {
  constructor(readonly sourceKey: string) {
    super(`patient record ${sourceKey} was changed concurrently`);
    this.name = "PatientRecordConflictError";
  }
}

export interface PatientRecordStore {
  get(sourceKey: string): Promise<PatientRecord | undefined>;
  getMany(sourceKeys: readonly string[]): Promise<Map<string, PatientRecord>>;
  /** writes `record` if the stored version is `record.version - 1` (none for version 1) */
  put(record: PatientRecord): Promise<void>;
  addTerms(sourceKey: string, terms: readonly string[]): Promise<void>;
  removeTerms(sourceKey: string, terms: readonly string[]): Promise<void>;
  /** source keys under a search term, at most `limit` */
  search(term: string, limit: number): Promise<string[]>;
}

/** `doubt`: a record another registration put in doubt, moved to review (doubts.ts) */
export type ResidentChangeKind = "feed" | "link" | "unlink" | "merge" | "unmerge" | "dismiss" | "doubt";

export interface ResidentChange {
  kind: ResidentChangeKind;
  at: string;
  /** "operator", or the hospital whose feed changed the resident */
  by: string;
  /** the hospital record (system|value) the change concerned, or the other EMPI of a merge */
  subject?: string;
  reason?: string;
}

/** A resident as stored: its own records, and its place in merges. */
export interface ResidentEntry extends Resident {
  /** set on a resident merged away (or emptied by a link): the resident that replaced it */
  mergedInto?: string;
  /** on a survivor: residents merged into it (each counts only while it points back here) */
  mergedFrom?: string[];
  change?: ResidentChange;
}

export interface ResidentIdClaim {
  owner: string;
  claimedAt: number;
}

export interface ReviewQueueEntry {
  empi: string;
  queuedAt: string;
}

export interface ResidentStore extends EmpiAllocator {
  latest(empi: string): Promise<ResidentEntry | undefined>;
  /** versions, newest first */
  history(empi: string, limit: number): Promise<ResidentEntry[]>;
  /** writes version `entry.version` only if absent (the previous one must have been read) */
  put(entry: ResidentEntry): Promise<void>;
  /** the EMPIs under a blocking key (for id: keys, the claim's owner); at most `limit` */
  partition(key: string, limit: number): Promise<string[]>;
  addKeys(empi: string, keys: readonly string[]): Promise<void>;
  getClaim(residentId: string): Promise<ResidentIdClaim | undefined>;
  /** claims the number for `empi` if unclaimed or already `empi`'s; false if someone else holds it */
  claim(residentId: string, empi: string, now: number): Promise<boolean>;
  /** replaces `previous` by `empi` (compare-and-set); false if the claim changed meanwhile */
  takeOver(residentId: string, empi: string, previous: ResidentIdClaim, now: number): Promise<boolean>;
  release(residentId: string, empi: string): Promise<void>;
  enqueueReview(empi: string, queuedAt: string): Promise<void>;
  dequeueReview(empi: string): Promise<void>;
  listReview(limit: number): Promise<ReviewQueueEntry[]>;
}

/** The hub's answer to a city's patient request: a 2xx JSON body (refusals are thrown as domain errors) */
export type PatientHubAnswer = HubAnswer<Record<string, unknown>>;

/** A city's view of the hub's master patient index: the hospital's request forwarded, the answer relayed */
export interface PatientHub {
  feed(method: "POST" | "PUT", query: string, hospitalId: string, patient: unknown): Promise<PatientHubAnswer>;
  /** `query`: the PIXm query string as the hospital sent it ("?sourceIdentifier=…") */
  pix(query: string, hospitalId: string): Promise<PatientHubAnswer>;
  pdq(query: string, hospitalId: string): Promise<PatientHubAnswer>;
}

/** One resident's item under one blocking key in ResidentKeys */
export interface ResidentKeyItem {
  key: string;
  empi: string;
}

/**
 * The index read whole, for re-deriving its blocking keys (use-cases/mpi/reindex.ts): the Residents
 * table in pages, and which key items ResidentKeys lacks.
 */
export interface ResidentKeyScan {
  /**
   * One page of the Residents table from `cursor` (none: its start), in one of `segments` parallel
   * segments: the EMPIs of its items, each once, and the cursor after the page (none at the end).
   * Throws InvalidScanCursorError for a cursor it did not give.
   */
  page(options: { cursor?: string; segment: number; segments: number; limit: number }): Promise<{ empis: string[]; cursor?: string }>;
  /** of these items, those ResidentKeys does not hold */
  absent(items: readonly ResidentKeyItem[]): Promise<ResidentKeyItem[]>;
}

/** A re-index cursor that is not one the scan gave (mistyped, or of another table) */
export class InvalidScanCursorError extends Error {
  constructor(cursor: string) {
    super(`${cursor} is not a cursor of this scan`);
    this.name = "InvalidScanCursorError";
  }
}
