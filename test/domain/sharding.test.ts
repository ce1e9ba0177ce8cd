import { describe, expect, test } from "vitest";
import { AUDIT_DAY_SHARDS, allShardKeys, shardKey, shardOf } from "#domain/sharding.ts";

describe("write sharding of hot keys", () => {
  test("a record's shard follows from its identity, so an idempotent re-write lands on the same item", () => {
    expect(shardKey("day#2026-12-04", "event-1", AUDIT_DAY_SHARDS)).toBe(shardKey("day#2026-12-04", "event-1", AUDIT_DAY_SHARDS));
    expect(allShardKeys("day#2026-12-04", AUDIT_DAY_SHARDS)).toContain(shardKey("day#2026-12-04", "event-1", AUDIT_DAY_SHARDS));
  });

  test("ids spread evenly: 64,000 events over 64 shards, none above 1.2× its share", () => {
    const counts = new Array<number>(AUDIT_DAY_SHARDS).fill(0);
    for (let i = 0; i < 64_000; i++) counts[shardOf(`2026-12-04T08:00:00.000Z#${i.toString(36)}`, AUDIT_DAY_SHARDS)]!++;
    expect(Math.max(...counts)).toBeLessThan(1200);
    expect(Math.min(...counts)).toBeGreaterThan(800);
  });

  test("every key of a day is distinct and named by its shard number", () => {
    const keys = allShardKeys("day#2026-12-04", 16);
    expect(new Set(keys).size).toBe(16);
    expect(keys[15]).toBe("day#2026-12-04#15");
  });
});
