/**
 * The versioned insurance policy table (data: policy-table.json), validated at load, and the
 * choice of the policy in force on a claim's date. Integers only: fen and whole percentages.
 */
import { z } from "zod";
import table from "./policy-table.json" with { type: "json" };

const fen = z
  .number()
  .int()
  .nonnegative()
  .max(Number.MAX_SAFE_INTEGER / 1000);
const percent = z.number().int().min(0).max(100);
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const level = z.enum(["1", "2", "3"]);

export const policySchema = z.object({
  version: z.string().min(1),
  effectiveFrom: day,
  /** Last day in force, or null while in force */
  effectiveTo: day.nullable(),
  /** Category code → eligible percentage (A 100, B 90, C 0); a code not listed is rejected */
  categories: z.record(z.string().regex(/^[A-Z]$/), percent),
  inpatient: z.object({
    deductibleFenByLevel: z.record(
      level,
      fen.refine((v) => v % 2 === 0, "deductibles are even, so halving is exact"),
    ),
    repeatAdmissionDeductiblePercent: percent,
    fundPercentByLevel: z.record(level, percent),
    crossCityPercentPoints: percent,
    annualFundCapFen: fen,
  }),
  outpatient: z.object({ deductibleFen: fen, fundPercent: percent, annualFundCapFen: fen }),
});
export type Policy = z.infer<typeof policySchema>;
export type HospitalLevel = z.infer<typeof level>;

export const POLICIES: Policy[] = z
  .object({ policies: z.array(policySchema).min(1) })
  .parse(table)
  .policies.sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));

/** The policy in force on `date` (YYYY-MM-DD, China Standard Time), or undefined. */
export function policyOn(date: string, policies: Policy[] = POLICIES): Policy | undefined {
  return policies.find((p) => p.effectiveFrom <= date && (p.effectiveTo === null || date <= p.effectiveTo));
}
