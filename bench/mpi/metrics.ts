/**
 * Figures of the match-quality benchmark: pairwise precision and recall of a clustering against the
 * truth, the partition sizes of the blocking keys.
 */
import type { InMemoryResidentIndex } from "#domain/mpi/memory-index.ts";

export interface PairwiseQuality {
  truePairs: number;
  linkedPairs: number;
  correctPairs: number;
  precision: number;
  recall: number;
  f1: number;
}

const pairs = (k: number): number => (k * (k - 1)) / 2;

/** `assigned[i]` is the cluster (EMPI sequence) of record i, `truth[i]` its true resident. */
export function pairwise(assigned: Int32Array, truth: Int32Array): PairwiseQuality {
  const byCluster = new Map<number, number>();
  const byResident = new Map<number, number>();
  const byBoth = new Map<number, number>();
  for (let i = 0; i < assigned.length; i++) {
    const a = assigned[i]!;
    const t = truth[i]!;
    byCluster.set(a, (byCluster.get(a) ?? 0) + 1);
    byResident.set(t, (byResident.get(t) ?? 0) + 1);
    const both = a * 2 ** 23 + t;
    byBoth.set(both, (byBoth.get(both) ?? 0) + 1);
  }
  let linkedPairs = 0;
  let truePairs = 0;
  let correctPairs = 0;
  for (const k of byCluster.values()) linkedPairs += pairs(k);
  for (const k of byResident.values()) truePairs += pairs(k);
  for (const k of byBoth.values()) correctPairs += pairs(k);
  const precision = linkedPairs === 0 ? 1 : correctPairs / linkedPairs;
  const recall = truePairs === 0 ? 1 : correctPairs / truePairs;
  return { truePairs, linkedPairs, correctPairs, precision, recall, f1: (2 * precision * recall) / (precision + recall) };
}

/** Per key kind: the mean partition size a lookup meets (Σ size² / Σ size) and the largest. */
export function partitionReport(index: InMemoryResidentIndex): string {
  return ["id:", "nm:", "bd:", "ph:"]
    .map((prefix) => {
      const sizes = index.partitionSizes(prefix);
      let sum = 0;
      let squares = 0;
      let max = 0;
      for (const s of sizes) {
        sum += s;
        squares += s * s;
        if (s > max) max = s;
      }
      return `${prefix} ${(sum ? squares / sum : 0).toFixed(2)} / ${max}`;
    })
    .join(", ");
}
