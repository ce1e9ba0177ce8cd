/**
 * What the evidence log's use cases (use-cases/departments/evidence.ts) need: the Evidence table (entries
 * pending and sealed, the batches, the sealer's status), the evidence key (KMS in AWS, a key in the data
 * folder locally) and the archive (the Object Lock bucket in AWS; the local S3 emulator's bucket).
 */
import type { BatchHead, EvidenceEntry, SealedEntry, SignedBatch } from "#domain/evidence/chain.ts";

export type { BatchHead, EvidenceEntry, SealedEntry, SignedBatch };

/** An entry as stored: pending until the sealer chains it */
export type StoredEntry = EvidenceEntry & Partial<Pick<SealedEntry, "seq" | "prevHash" | "hash">> & { batch?: number };

/** A batch as stored: its head, signature, the entries it seals (by key), and whether its entries are marked yet */
export interface StoredBatch extends SignedBatch {
  entries: { messageId: string; leg: string }[];
  /** false between the batch's conditional write and its entries marked sealed and archived (the next run finishes it) */
  complete: boolean;
}

export interface SealerStatus {
  lastSealedAt: string;
  lastSeq: number;
}

export interface EvidenceStore {
  /** Writes a pending entry unless one exists for its message id and leg (then false: one entry per exchange) */
  putEntry(entry: EvidenceEntry): Promise<boolean>;
  /** The pending entries, oldest first (time, message id, leg), at most `limit` */
  pending(limit: number): Promise<{ messageId: string; leg: string }[]>;
  entry(messageId: string, leg: string): Promise<StoredEntry | undefined>;
  /** Every leg of a message */
  entriesOf(messageId: string): Promise<StoredEntry[]>;
  /** The batch with the highest first sequence */
  latestBatch(): Promise<StoredBatch | undefined>;
  batch(firstSeq: number): Promise<StoredBatch | undefined>;
  /** Batches in sequence order after `afterSeq` whose sealedAt ≥ `from`, at most `limit` */
  batches(afterSeq: number, from: string, limit: number): Promise<StoredBatch[]>;
  /** Writes the batch unless its first sequence is taken (false: another sealer won; one chain) */
  putBatch(batch: StoredBatch): Promise<boolean>;
  /** Marks an entry sealed (its sequence, hashes and batch) and drops it from the pending ones */
  markSealed(entry: SealedEntry, batch: number): Promise<void>;
  completeBatch(firstSeq: number): Promise<void>;
  status(): Promise<SealerStatus | undefined>;
  putStatus(status: SealerStatus): Promise<void>;
}

/** What the exchange's inbound and delivery functions use of the store (lambdas/adapters/evidence-log.ts) */
export type EvidenceLog = Pick<EvidenceStore, "putEntry" | "status">;

export interface EvidenceKey {
  keyId: string;
  algorithm: string;
  /** base64 DER signature over `bytes` */
  sign(bytes: Buffer): Promise<string>;
  /** base64 SPKI DER */
  publicKey(): Promise<string>;
}

/** Writes a sealed batch (its head and entries) as one object; retention is the bucket's (Object Lock) */
export type EvidenceArchive = (key: string, body: string) => Promise<void>;
