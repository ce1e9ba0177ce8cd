/**
 * Write sharding of hot partition keys (docs/capacity.md): a key that every request of a kind would
 * write (today's audit trail, today's settlements, a metric's minute) is spread over `shards` keys
 * `<base>#<n>`, so that at 10× the peak no key takes more than a tenth of a DynamoDB partition's
 * 1,000 writes/s. A record's shard is a function of its own identity, so an idempotent re-write lands
 * on the same item; readers of the whole day query every shard and merge.
 */
import { createHash } from "node:crypto";

export const shardOf = (identity: string, shards: number): number =>
  createHash("sha256").update(identity).digest().readUInt32BE(0) % shards;

export const shardKey = (base: string, identity: string, shards: number): string => `${base}#${shardOf(identity, shards)}`;

export const allShardKeys = (base: string, shards: number): string[] => Array.from({ length: shards }, (_, n) => `${base}#${n}`);

/** Audit events per day: 2,900 events/s at 10× the peak, about 2 KB each → 64 keys of under 100 WCU */
export const AUDIT_DAY_SHARDS = 64;
/** Settlements per day: 450/s at 10× the peak, one WCU each → 16 keys */
export const SETTLEMENT_DAY_SHARDS = 16;
/** Activity counters per metric and minute: documents 1,750/s at 10× the peak → 20 keys of under 100 writes/s (a reader queries them all: not more) */
export const ACTIVITY_SHARDS = 20;
/** Health card verifications per day: about 200/s at 10× the peak → 4 keys */
export const USE_DAY_SHARDS = 4;
/** Encounters per day in the record locator (the card-based visit rate's denominator): about 900/s at 10× the peak → 16 keys */
export const VISIT_DAY_SHARDS = 16;
