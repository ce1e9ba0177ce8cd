/**
 * The department exchange's evidence log (docs/departments.md#evidence-log), pure: every message in and
 * out is an entry (request and response hashes, parties, service, message id, times); the sealer gives
 * each entry a sequence number and chains it, `hash = SHA-256(prevHash || canonical entry)`, and closes
 * each batch with a head (first and last sequence, the hash before and the last hash, the time) that the
 * evidence key signs. `verifyChain` recomputes all of it and names the first entry (or head) that fails.
 * Hashes are base64; time is an argument.
 */
import { createHash } from "node:crypto";

/** One exchange leg: `in` (a member's message to the health cloud and our answer), `out|<member>` (our message and its answer) */
export interface EvidenceEntry {
  messageId: string;
  leg: string;
  direction: "in" | "out";
  /** the service (the MessageHeader's event code) */
  service: string;
  /** the sending member (MessageHeader.source) */
  source: string;
  /** the receiving member of this leg */
  destination: string;
  /** base64 SHA-512 of the request body, as sent (X-Request-Hash) */
  requestHash: string;
  /** base64 SHA-512 of the answer body, as sent */
  responseHash: string;
  /** the answer's HTTP status */
  status: number;
  /** province clock: the request received (in) or sent (out), and the answer given or received */
  requestAt: string;
  responseAt: string;
}

/** An entry once sealed: its place in the chain */
export interface SealedEntry extends EvidenceEntry {
  seq: number;
  prevHash: string;
  hash: string;
}

/** What the evidence key signs for a batch */
export interface BatchHead {
  firstSeq: number;
  lastSeq: number;
  /** the chain's hash before the batch's first entry */
  prevHash: string;
  lastHash: string;
  entryCount: number;
  sealedAt: string;
  keyId: string;
  /** ECDSA_SHA_256 (P-256) or SM2DSA (the China regions) */
  algorithm: string;
}

export interface SignedBatch {
  head: BatchHead;
  /** base64 DER signature over `headBytes(head)` */
  signature: string;
}

/** The hash before the first entry of the chain */
export const GENESIS_HASH = Buffer.alloc(32).toString("base64");

/** JSON with keys sorted at every level and no spaces: the bytes that are hashed and signed */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object")
    return `{${Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(value);
}

/** The entry's own fields, as hashed (its seq included: an entry moved in the chain fails too) */
export function canonicalEntry(entry: EvidenceEntry & { seq: number }): string {
  const { messageId, leg, direction, service, source, destination, requestHash, responseHash, status, requestAt, responseAt, seq } = entry;
  return canonicalJson({
    messageId,
    leg,
    direction,
    service,
    source,
    destination,
    requestHash,
    responseHash,
    status,
    requestAt,
    responseAt,
    seq,
  });
}

/** SHA-256(prevHash || canonical entry), base64 */
export const entryHash = (prevHash: string, entry: EvidenceEntry & { seq: number }): string =>
  createHash("sha256").update(Buffer.from(prevHash, "base64")).update(canonicalEntry(entry), "utf8").digest("base64");

export const headBytes = (head: BatchHead): Buffer => Buffer.from(canonicalJson(head), "utf8");

/** The order the sealer takes pending entries in: time, then message id, then leg */
export const sealOrder = (a: EvidenceEntry, b: EvidenceEntry): number =>
  a.requestAt.localeCompare(b.requestAt) || a.messageId.localeCompare(b.messageId) || a.leg.localeCompare(b.leg);

/** Chains `entries` (in seal order) after the chain's last sequence and hash; the head still to be signed */
export function sealBatch(
  previous: { lastSeq: number; lastHash: string },
  entries: readonly EvidenceEntry[],
  sealedAt: string,
  key: { keyId: string; algorithm: string },
): { entries: SealedEntry[]; head: BatchHead } {
  if (entries.length === 0) throw new Error("a batch seals at least one entry");
  let prevHash = previous.lastHash;
  const sealed = [...entries].sort(sealOrder).map((entry, i) => {
    const seq = previous.lastSeq + 1 + i;
    const hash = entryHash(prevHash, { ...entry, seq });
    const out: SealedEntry = { ...entry, seq, prevHash, hash };
    prevHash = hash;
    return out;
  });
  return {
    entries: sealed,
    head: {
      firstSeq: previous.lastSeq + 1,
      lastSeq: previous.lastSeq + sealed.length,
      prevHash: previous.lastHash,
      lastHash: prevHash,
      entryCount: sealed.length,
      sealedAt,
      keyId: key.keyId,
      algorithm: key.algorithm,
    },
  };
}

export interface VerifyFailure {
  /** the batch whose head or entry fails */
  batch: number;
  seq?: number;
  messageId?: string;
  leg?: string;
  reason: string;
}

/**
 * Recomputes the chain over `batches` (in sequence order, each with its entries) and checks each head's
 * signature with `verifySignature`. The first batch is anchored by its own signed `prevHash` (a
 * verification `--from` a date starts mid-chain); the first failure is named, or undefined when all verify.
 */
export function verifyChain(
  batches: readonly (SignedBatch & { entries: readonly SealedEntry[] })[],
  verifySignature: (head: BatchHead, signature: string) => boolean,
): VerifyFailure | undefined {
  let prev: { seq: number; hash: string } | undefined;
  for (const batch of batches) {
    const { head } = batch;
    const at = { batch: head.firstSeq };
    if (!verifySignature(head, batch.signature)) return { ...at, reason: "the batch head's signature does not verify" };
    if (prev && (head.firstSeq !== prev.seq + 1 || head.prevHash !== prev.hash))
      return { ...at, reason: `the batch does not follow the chain (expected sequence ${prev.seq + 1} after hash ${prev.hash})` };
    let hash = head.prevHash;
    let seq = head.firstSeq - 1;
    if (batch.entries.length !== head.entryCount)
      return { ...at, reason: `the head seals ${head.entryCount} entries, ${batch.entries.length} are stored` };
    for (const entry of batch.entries) {
      const where = { ...at, seq: entry.seq, messageId: entry.messageId, leg: entry.leg };
      if (entry.seq !== seq + 1) return { ...where, reason: `sequence ${entry.seq} where ${seq + 1} was due` };
      if (entry.prevHash !== hash) return { ...where, reason: "its prevHash is not the previous entry's hash" };
      const recomputed = entryHash(hash, entry);
      if (recomputed !== entry.hash) return { ...where, reason: "its content does not hash to its stored hash" };
      hash = recomputed;
      seq = entry.seq;
    }
    if (seq !== head.lastSeq || hash !== head.lastHash)
      return { ...at, reason: "the entries do not end at the head's last sequence and hash" };
    prev = { seq, hash };
  }
  return undefined;
}

/** How long without a sealing run before the exchange refuses new messages and holds deliveries (fail closed) */
export const SEAL_MAX_AGE_SECONDS = 4 * 3600;

/** False once the last sealing run is over 4 hours old (a sealer that never ran yet is not behind on anything) */
export const sealingFresh = (lastSealedAt: string | undefined, now: Date): boolean =>
  lastSealedAt === undefined || now.getTime() - Date.parse(lastSealedAt) <= SEAL_MAX_AGE_SECONDS * 1000;
