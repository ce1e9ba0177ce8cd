/**
 * What a steward sees for a pair the engine could not decide: the best-scoring pair of records of a
 * resident awaiting review and a candidate, and per field whether it agreed, partly agreed (a
 * homophone, a character left out, a day/month swap, a one-day slip, a mistyped number …),
 * disagreed or was missing, with the level the comparator found and its weight. Pure; computed when
 * the queue is read, so it always reflects the records as they are now.
 */
import type { MatchRecord, Resident } from "./record.ts";
import { regionLevel } from "./region.ts";
import { type Comparison, compareRecords, MAX_RECORDS_SCORED, prepareRecord, scoreComparison } from "./scorer.ts";
import { WEIGHTS } from "./weights.ts";

export type FieldAgreement = "agreed" | "partly-agreed" | "disagreed" | "missing";

export interface FieldEvidence {
  /** the comparator's level: exact, homophone, dropped, day, one-edit, … */
  level: string;
  agreement: FieldAgreement;
  /** log2(m/u) of the level (before the family-field rule of scorer.ts) */
  weight: number;
}

export interface PairEvidence {
  /** the pair's score on its own (LINK and REVIEW are its thresholds; the match also weighs how many others share the name and phone) */
  score: number;
  /** the candidate's record that scored best, by its source */
  candidateSource?: { system: string; value: string };
  /** the provisional resident's record it was compared with */
  source?: { system: string; value: string };
  fields: Record<keyof Comparison, FieldEvidence>;
}

const FULL: ReadonlySet<string> = new Set(["exact", "same"]);

function fieldEvidence(field: keyof Comparison, level: string): FieldEvidence {
  const weight = (WEIGHTS[field] as Readonly<Record<string, number>>)[level] ?? 0;
  const agreement: FieldAgreement =
    level === "missing" ? "missing" : FULL.has(level) ? "agreed" : weight > 0 ? "partly-agreed" : "disagreed";
  return { level, agreement, weight: Math.round(weight * 10) / 10 };
}

/** The best pair of `records` (the resident awaiting review) against `candidate`'s latest records, field by field. */
export function pairEvidence(records: readonly MatchRecord[], candidate: Resident, today: string): PairEvidence | undefined {
  let best: { score: number; comparison: Comparison; record: MatchRecord; stored: MatchRecord } | undefined;
  const latest = candidate.records.slice(-MAX_RECORDS_SCORED);
  for (const record of records) {
    const prepared = prepareRecord(record, { today });
    const region = regionLevel(prepared, candidate);
    for (const stored of latest) {
      const comparison = compareRecords(prepared, stored, region);
      const score = scoreComparison(comparison);
      if (!best || score > best.score) best = { score, comparison, record, stored };
    }
  }
  if (!best) return undefined;
  const { comparison } = best;
  const fields = Object.fromEntries(
    (Object.keys(comparison) as (keyof Comparison)[]).map((field) => [field, fieldEvidence(field, comparison[field])]),
  ) as Record<keyof Comparison, FieldEvidence>;
  return {
    score: Math.round(best.score * 10) / 10,
    ...(best.stored.source ? { candidateSource: best.stored.source } : {}),
    ...(best.record.source ? { source: best.record.source } : {}),
    fields,
  };
}
