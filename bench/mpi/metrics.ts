/**
 * Figures of the match-quality benchmark: pairwise precision and recall of a clustering against the
 * truth, the partition sizes of the blocking keys.
 */
import { compareAddresses, compareBirthDates, compareHealthCards, comparePhones, compareTypedIds } from "#domain/mpi/comparators.ts";
import type { InMemoryResidentIndex } from "#domain/mpi/memory-index.ts";
import type { MatchRecord } from "#domain/mpi/record.ts";

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
  return ["id:", "nm:", "bd:", "ph:", "hh:", "hm:"]
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

export interface ClassQuality extends PairwiseQuality {
  name: string;
  /** registrations carrying the class */
  records: number;
  /** of those, how many went to review */
  reviewed: number;
  /** linked pairs of two different residents */
  falsePairs: number;
}

/**
 * Pairwise quality per class: the true pairs and the linked pairs with at least one registration
 * carrying the class (`tags[i] & bit`). `reviewed[i]` is 1 for a registration sent to review.
 */
export function perClass(
  assigned: Int32Array,
  truth: Int32Array,
  tags: Int32Array,
  reviewed: Uint8Array,
  classes: Readonly<Record<string, number>>,
): ClassQuality[] {
  const entries = Object.entries(classes);
  const rows = entries.map(([name]) => ({ name, records: 0, reviewed: 0, truePairs: 0, linkedPairs: 0, correctPairs: 0 }));
  const groups = (key: Int32Array): number[][] => {
    const by = new Map<number, number[]>();
    for (let i = 0; i < key.length; i++) {
      const g = by.get(key[i]!);
      if (g) g.push(i);
      else by.set(key[i]!, [i]);
    }
    return [...by.values()].filter((g) => g.length > 1);
  };
  const eachPair = (members: number[], visit: (mask: number, i: number, j: number) => void): void => {
    for (let a = 0; a < members.length; a++)
      for (let b = a + 1; b < members.length; b++) visit(tags[members[a]!]! | tags[members[b]!]!, members[a]!, members[b]!);
  };
  for (const group of groups(truth))
    eachPair(group, (mask, i, j) =>
      entries.forEach(([, bit], k) => {
        if (!(mask & bit)) return;
        rows[k]!.truePairs++;
        if (assigned[i] === assigned[j]) rows[k]!.correctPairs++;
      }),
    );
  for (const group of groups(assigned))
    eachPair(group, (mask) =>
      entries.forEach(([, bit], k) => {
        if (mask & bit) rows[k]!.linkedPairs++;
      }),
    );
  for (let i = 0; i < tags.length; i++)
    entries.forEach(([, bit], k) => {
      if (!(tags[i]! & bit)) return;
      rows[k]!.records++;
      if (reviewed[i]) rows[k]!.reviewed++;
    });
  return rows.map((r) => {
    const precision = r.linkedPairs === 0 ? 1 : r.correctPairs / r.linkedPairs;
    const recall = r.truePairs === 0 ? 1 : r.correctPairs / r.truePairs;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { ...r, precision, recall, f1, falsePairs: r.linkedPairs - r.correctPairs };
  });
}

/** The per-class table as the benches print it. */
export function classTable(rows: readonly ClassQuality[]): string {
  const lines = ["  class                 registrations  review %  true pairs  precision  recall   false pairs"];
  for (const r of rows) {
    if (r.records === 0) continue;
    lines.push(
      `  ${r.name.padEnd(22)}${String(r.records).padStart(13)}  ${((100 * r.reviewed) / r.records).toFixed(2).padStart(8)}  ` +
        `${String(r.truePairs).padStart(10)}  ${r.precision.toFixed(5)}    ${r.recall.toFixed(5)}  ${String(r.falsePairs).padStart(11)}`,
    );
  }
  return lines.join("\n");
}

/**
 * Whether two registrations of one person share anything beyond name and sex, read generously: the
 * typed number (or one edit of it), the health card, the birth date (or a swap, a day, a digit off),
 * the phone (or its last 8 digits), the address (same or similar).
 */
export function shareMoreThanName(a: MatchRecord, b: MatchRecord, dates: boolean): boolean {
  const id = compareTypedIds(a.residentId, b.residentId);
  if (id === "same" || id === "one-edit" || compareHealthCards(a.healthCard, b.healthCard) === "same") return true;
  if (dates && ["exact", "swap", "day", "slip"].includes(compareBirthDates(a.birthDate, b.birthDate))) return true;
  const phone = comparePhones(a.phone, b.phone);
  if (phone === "exact" || phone === "last8") return true;
  const address = compareAddresses(a.address, b.address);
  return address === "same" || address === "similar";
}

/**
 * The evidence ceiling: each person's registrations clustered by what they share beyond name and sex
 * (directly, or through the person's other registrations). No engine that never links on name and sex
 * alone can link pairs across these clusters, whatever it knows, so per class the recall of this
 * clustering (perClass over it) bounds what such an engine can reach; its precision is 1 by
 * construction. Returns a cluster id per registration. `dates: false` leaves the birth date out as
 * well: what a namesake born the same day never shares (a number, a card, a phone, an address), so
 * pairs across those clusters can be linked only on what namesakes share too.
 */
export function evidenceClusters(records: readonly MatchRecord[], truth: Int32Array, dates = true): Int32Array {
  const cluster = new Int32Array(records.length);
  const byPerson = new Map<number, number[]>();
  for (let i = 0; i < records.length; i++) {
    cluster[i] = i;
    const g = byPerson.get(truth[i]!);
    if (g) g.push(i);
    else byPerson.set(truth[i]!, [i]);
  }
  const find = (i: number): number => {
    while (cluster[i] !== i) i = cluster[i] = cluster[cluster[i]!]!;
    return i;
  };
  for (const group of byPerson.values())
    for (let a = 0; a < group.length; a++)
      for (let b = a + 1; b < group.length; b++)
        if (shareMoreThanName(records[group[a]!]!, records[group[b]!]!, dates)) cluster[find(group[a]!)] = find(group[b]!);
  for (let i = 0; i < records.length; i++) cluster[i] = find(i);
  return cluster;
}
