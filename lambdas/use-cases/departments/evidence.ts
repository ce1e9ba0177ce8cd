/**
 * The department exchange's evidence log (issue 16, docs/departments.md#evidence-log).
 * `recordEvidence` — input: one exchange leg (a message and its answer). Output: none; the entry is
 * durable, pending, once it resolves; a leg already recorded keeps its first entry (one per exchange).
 * `checkSealing` — throws UnavailableError (503) when no sealing run succeeded for 4 hours (fail closed).
 * `sealPending` — the sealer, every minute: finishes a batch a previous run left incomplete, then takes
 * the pending entries in (time, message id, leg) order, chains them after the last batch, signs the batch
 * head, writes the batch conditionally on its first sequence (a concurrent sealer loses: one chain),
 * marks the entries sealed, archives the batch as one object, and records the run.
 * `evidenceOf` — the entries of a message and the batches sealing them, for the operator or a party to it.
 * `sealedBatches` — batches with their entries and the public key, for `npm run operator -- evidence-verify`.
 */

import { headerOf, memberOfEndpoint, requestHash } from "#domain/departments/messages.ts";
import { NotFoundError, UnavailableError } from "#domain/errors.ts";
import { type EvidenceEntry, GENESIS_HASH, headBytes, sealBatch, sealingFresh } from "#domain/evidence/chain.ts";
import type { InboundRecord } from "#ports/department-exchange.ts";
import type { EvidenceArchive, EvidenceKey, EvidenceLog, EvidenceStore, SealedEntry, StoredBatch, StoredEntry } from "#ports/evidence.ts";
import { HEALTH_CLOUD_MEMBER } from "#schemas/department-members.ts";
import type { DepartmentDelivery } from "#schemas/departments.ts";

/** Entries per batch: a batch item (its entries' keys) stays far under DynamoDB's 400 KB */
export const BATCH_MAX_ENTRIES = 400;

/** The entry of an inbound message and the answer it got (use-cases/departments/inbound.ts) */
export const inboundEvidence = (record: InboundRecord): EvidenceEntry => ({
  messageId: record.messageId,
  leg: "in",
  direction: "in",
  service: record.event,
  source: record.member,
  destination: HEALTH_CLOUD_MEMBER,
  requestHash: record.requestHash,
  responseHash: requestHash(record.answer),
  status: record.status,
  requestAt: record.receivedAt,
  responseAt: record.receivedAt,
});

/** The entry of a delivery to a department and its answer (use-cases/departments/outbound.ts) */
export const outboundEvidence = (
  delivery: DepartmentDelivery,
  sentHash: string,
  answer: { status: number; body: string },
  now: Date,
): EvidenceEntry => {
  const header = headerOf(delivery.bundle)!;
  return {
    messageId: header.id,
    leg: `out|${delivery.member}`,
    direction: "out",
    service: delivery.event,
    source: memberOfEndpoint(header.source.endpoint) ?? header.source.endpoint,
    destination: delivery.member,
    requestHash: sentHash,
    responseHash: requestHash(answer.body),
    status: answer.status,
    requestAt: now.toISOString(),
    responseAt: now.toISOString(),
  };
};

export async function recordEvidence(store: EvidenceLog, entry: EvidenceEntry): Promise<void> {
  await store.putEntry(entry);
}

/**
 * The last sealing time each store was seen with (per function instance). A sealing time only moves
 * forward, so one seen earlier is never later than the table's: if it is still fresh now, the table's is
 * too, and the message passes without reading the status; a stale one is read again before refusing.
 * (Saves one GetItem per message: bench/evidence.ts.)
 */
const lastSealedSeen = new WeakMap<EvidenceLog, string>();

export async function checkSealing(store: EvidenceLog, now: Date): Promise<void> {
  const seen = lastSealedSeen.get(store);
  if (seen !== undefined && sealingFresh(seen, now)) return;
  const status = await store.status();
  if (status?.lastSealedAt) lastSealedSeen.set(store, status.lastSealedAt);
  if (!sealingFresh(status?.lastSealedAt, now))
    throw new UnavailableError(
      `the evidence log has not been sealed since ${status?.lastSealedAt}: the exchange refuses messages until sealing resumes (fail closed)`,
    );
}

export interface SealerDeps {
  store: EvidenceStore;
  key: EvidenceKey;
  archive: EvidenceArchive;
}

export const archiveKey = (firstSeq: number): string => `batches/${String(firstSeq).padStart(12, "0")}.json`;

async function entriesOfBatch(store: EvidenceStore, batch: StoredBatch): Promise<StoredEntry[]> {
  const entries = await Promise.all(batch.entries.map((e) => store.entry(e.messageId, e.leg)));
  return entries.map((e, i) => {
    if (!e) throw new Error(`batch ${batch.head.firstSeq} names an entry that is not stored: ${JSON.stringify(batch.entries[i])}`);
    return e;
  });
}

/** Marks a written batch's entries sealed and archives it; idempotent (a later run finishes what a crash left) */
async function finish(deps: SealerDeps, batch: StoredBatch, sealed?: SealedEntry[]): Promise<void> {
  let entries = sealed;
  if (!entries) {
    // a run that stopped after writing the batch: recompute its entries from the stored ones (the signed head is the truth)
    const stored = await entriesOfBatch(deps.store, batch);
    entries = sealBatch(
      { lastSeq: batch.head.firstSeq - 1, lastHash: batch.head.prevHash },
      stored,
      batch.head.sealedAt,
      batch.head,
    ).entries;
    if (entries.at(-1)!.hash !== batch.head.lastHash)
      throw new Error(
        `batch ${batch.head.firstSeq}: its stored entries do not hash to its signed head (npm run operator -- evidence-verify)`,
      );
  }
  for (const entry of entries) await deps.store.markSealed(entry, batch.head.firstSeq);
  await deps.archive(archiveKey(batch.head.firstSeq), JSON.stringify({ head: batch.head, signature: batch.signature, entries }));
  await deps.store.completeBatch(batch.head.firstSeq);
}

/** One sealing run; returns the batches it sealed */
export async function sealPending(deps: SealerDeps, now: Date): Promise<{ batches: number; entries: number; sinceLastSeconds?: number }> {
  const before = await deps.store.status();
  let latest = await deps.store.latestBatch();
  if (latest && !latest.complete) await finish(deps, latest);
  let batches = 0;
  let count = 0;
  for (;;) {
    const keys = await deps.store.pending(BATCH_MAX_ENTRIES);
    const found = await Promise.all(keys.map((k) => deps.store.entry(k.messageId, k.leg)));
    // a pending key whose entry is sealed already (a run that stopped before dropping it) is dropped by markSealed again
    const pending = found.filter((e): e is StoredEntry => e !== undefined && e.seq === undefined);
    const stale = found.filter((e): e is StoredEntry => e?.seq !== undefined);
    for (const e of stale) await deps.store.markSealed(e as SealedEntry, e.batch ?? 0);
    if (pending.length === 0) break;
    const previous = latest ? { lastSeq: latest.head.lastSeq, lastHash: latest.head.lastHash } : { lastSeq: 0, lastHash: GENESIS_HASH };
    const { entries, head } = sealBatch(previous, pending, now.toISOString(), deps.key);
    const signature = await deps.key.sign(headBytes(head));
    const batch: StoredBatch = {
      head,
      signature,
      entries: entries.map((e) => ({ messageId: e.messageId, leg: e.leg })),
      complete: false,
    };
    // one chain: a concurrent sealer that wrote this sequence first wins; ours stay pending for the next round
    if (!(await deps.store.putBatch(batch))) {
      latest = await deps.store.latestBatch();
      if (latest && !latest.complete) await finish(deps, latest);
      continue;
    }
    await finish(deps, batch, entries);
    latest = { ...batch, complete: true };
    batches++;
    count += entries.length;
  }
  await deps.store.putStatus({ lastSealedAt: now.toISOString(), lastSeq: latest?.head.lastSeq ?? 0 });
  return {
    batches,
    entries: count,
    ...(before ? { sinceLastSeconds: Math.max(0, Math.round((now.getTime() - Date.parse(before.lastSealedAt)) / 1000)) } : {}),
  };
}

export interface EvidenceView {
  messageId: string;
  entries: (StoredEntry & { state: "pending" | "sealed" })[];
  batches: { head: StoredBatch["head"]; signature: string; archive: string }[];
}

/** The operator, or a member party to the message (its source or a destination); anyone else: 404, as for no evidence */
export async function evidenceOf(store: EvidenceStore, messageId: string, caller: { member?: string }): Promise<EvidenceView> {
  const all = await store.entriesOf(messageId);
  const entries = caller.member ? all.filter((e) => e.source === caller.member || e.destination === caller.member) : all;
  if (entries.length === 0)
    throw new NotFoundError(`no evidence of message ${messageId}${caller.member ? ` for ${caller.member}` : ""}`, "messageId");
  const sealedBy = [...new Set(entries.flatMap((e) => (e.batch === undefined ? [] : [e.batch])))];
  const batches = (await Promise.all(sealedBy.map((b) => store.batch(b)))).filter((b): b is StoredBatch => b !== undefined);
  return {
    messageId,
    entries: entries.map((e) => ({ ...e, state: e.seq === undefined ? "pending" : "sealed" })),
    batches: batches.map((b) => ({ head: b.head, signature: b.signature, archive: archiveKey(b.head.firstSeq) })),
  };
}

/** Sealed batches after `afterSeq` from `from` (ISO time), each with its entries, and the key to check them with */
export async function sealedBatches(
  deps: { store: EvidenceStore; key: Pick<EvidenceKey, "keyId" | "algorithm" | "publicKey"> },
  query: { afterSeq: number; from: string; limit: number },
) {
  const batches = await deps.store.batches(query.afterSeq, query.from, query.limit + 1);
  const page = batches.slice(0, query.limit);
  return {
    key: { keyId: deps.key.keyId, algorithm: deps.key.algorithm, publicKey: await deps.key.publicKey() },
    batches: await Promise.all(
      page.map(async (b) => ({ head: b.head, signature: b.signature, entries: await entriesOfBatch(deps.store, b) })),
    ),
    ...(batches.length > query.limit ? { next: String(page.at(-1)!.head.lastSeq) } : {}),
  };
}
