/**
 * The ResidentIndex port in memory (tests, benchmarks). Partitions are spread over several maps,
 * because a single JavaScript Map holds at most 2^24 entries and a province has more keys.
 */
import { type ResidentIndex, ResidentVersionConflictError } from "./engine.ts";
import type { Resident } from "./record.ts";

const SHARDS = 64;
const EMPTY: readonly string[] = [];

export class InMemoryResidentIndex implements ResidentIndex {
  readonly #residents = new Map<string, Resident>();
  readonly #partitions: Map<string, string[]>[] = Array.from({ length: SHARDS }, () => new Map());

  #shard(key: string): Map<string, string[]> {
    let h = 0;
    for (let i = 0; i < key.length; i++) h = (Math.imul(h, 31) + key.charCodeAt(i)) | 0;
    return this.#partitions[(h >>> 0) % SHARDS]!;
  }

  async getByBlockingKey(key: string, limit?: number): Promise<readonly string[]> {
    const partition = this.#shard(key).get(key) ?? EMPTY;
    return limit === undefined || partition.length <= limit ? partition : partition.slice(0, limit);
  }

  async getResident(empi: string): Promise<Resident | undefined> {
    return this.#residents.get(empi);
  }

  async putResident(resident: Resident): Promise<void> {
    const stored = this.#residents.get(resident.empi);
    if ((stored?.version ?? 0) !== resident.version - 1) throw new ResidentVersionConflictError(resident.empi);
    this.#residents.set(resident.empi, resident);
  }

  async addBlockingKeys(empi: string, keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      const shard = this.#shard(key);
      const partition = shard.get(key);
      if (!partition) shard.set(key, [empi]);
      else if (!partition.includes(empi)) partition.push(empi);
    }
  }

  get residentCount(): number {
    return this.#residents.size;
  }

  get keyCount(): number {
    return this.#partitions.reduce((n, m) => n + m.size, 0);
  }

  /** Sizes of all partitions whose key starts with `prefix` (for the benchmark's report). */
  partitionSizes(prefix: string): number[] {
    const sizes: number[] = [];
    for (const shard of this.#partitions) for (const [key, empis] of shard) if (key.startsWith(prefix)) sizes.push(empis.length);
    return sizes;
  }
}
