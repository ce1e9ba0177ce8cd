/**
 * Adjudication of a claim against the policy in force and the resident's running yearly totals
 * (docs/settlement.md). Pure and integer-only: amounts in fen, percentages as integers.
 */
import { percentOf } from "./money.ts";
import type { HospitalLevel, Policy } from "./policy.ts";

export type ClaimKind = "institutional" | "professional";

export interface ClaimToAdjudicate {
  kind: ClaimKind;
  hospitalLevel: HospitalLevel;
  /** GB/T 2260 admin code (4 digits) of the hospital's city */
  hospitalCityCode: string;
  /** Resident ID number; its first four digits are the insurance city */
  residentId: string;
  items: { sequence: number; category: string; netFen: number }[];
}

/** What a resident has used in one calendar year, kept per resident and year by the platform */
export interface YearTotals {
  inpatientFundFen: number;
  outpatientFundFen: number;
  /** Settled, non-cancelled admissions (institutional claims) */
  admissions: number;
}
export const EMPTY_TOTALS: YearTotals = { inpatientFundFen: 0, outpatientFundFen: 0, admissions: 0 };

export interface Amounts {
  submittedFen: number;
  eligibleFen: number;
  deductibleFen: number;
  /** What the fund pays */
  benefitFen: number;
}

export type Adjudication =
  | { outcome: "complete"; amounts: Amounts; crossCity: boolean; repeatAdmission: boolean }
  | { outcome: "error"; amounts: Amounts; reasons: { code: string; detail: string }[] };

export const sumFen = (values: number[]): number => values.reduce((a, b) => a + b, 0);

/** The insurance city's admin code from a resident ID number (its first four digits). */
export const insuranceCityCode = (residentId: string): string => residentId.slice(0, 4);

export function adjudicate(claim: ClaimToAdjudicate, policy: Policy, totals: YearTotals): Adjudication {
  const submittedFen = sumFen(claim.items.map((i) => i.netFen));
  const unknown = claim.items.filter((i) => policy.categories[i.category] === undefined);
  if (unknown.length > 0) {
    return {
      outcome: "error",
      amounts: { submittedFen, eligibleFen: 0, deductibleFen: 0, benefitFen: 0 },
      reasons: unknown.map((i) => ({
        code: "unknown-category",
        detail: `item ${i.sequence}: insurance category ${i.category} is not in policy ${policy.version}`,
      })),
    };
  }
  // eligible: each category's sum, then its percentage (A 100 %, B 90 % rounded half up, C 0)
  const byCategory = new Map<string, number>();
  for (const item of claim.items) byCategory.set(item.category, (byCategory.get(item.category) ?? 0) + item.netFen);
  const eligibleFen = sumFen([...byCategory].map(([category, sum]) => percentOf(sum, policy.categories[category]!)));

  const crossCity = insuranceCityCode(claim.residentId) !== claim.hospitalCityCode;
  if (claim.kind === "professional") {
    const { deductibleFen: outDeductible, fundPercent, annualFundCapFen } = policy.outpatient;
    const deductibleFen = Math.min(outDeductible, eligibleFen);
    const share = percentOf(eligibleFen - deductibleFen, fundPercent);
    const benefitFen = Math.min(share, Math.max(0, annualFundCapFen - totals.outpatientFundFen));
    return { outcome: "complete", amounts: { submittedFen, eligibleFen, deductibleFen, benefitFen }, crossCity, repeatAdmission: false };
  }
  const inpatient = policy.inpatient;
  const repeatAdmission = totals.admissions > 0;
  const fullDeductible = inpatient.deductibleFenByLevel[claim.hospitalLevel]!;
  const levelDeductible = repeatAdmission ? percentOf(fullDeductible, inpatient.repeatAdmissionDeductiblePercent) : fullDeductible;
  const deductibleFen = Math.min(levelDeductible, eligibleFen);
  const fundPercent = Math.max(0, inpatient.fundPercentByLevel[claim.hospitalLevel]! - (crossCity ? inpatient.crossCityPercentPoints : 0));
  const share = percentOf(eligibleFen - deductibleFen, fundPercent);
  const benefitFen = Math.min(share, Math.max(0, inpatient.annualFundCapFen - totals.inpatientFundFen));
  return { outcome: "complete", amounts: { submittedFen, eligibleFen, deductibleFen, benefitFen }, crossCity, repeatAdmission };
}

/** The totals after a settlement (`sign` 1) or its reversal (`sign` -1). */
export function applyToTotals(totals: YearTotals, kind: ClaimKind, benefitFen: number, sign: 1 | -1): YearTotals {
  if (kind === "professional") return { ...totals, outpatientFundFen: totals.outpatientFundFen + sign * benefitFen };
  return {
    ...totals,
    inpatientFundFen: totals.inpatientFundFen + sign * benefitFen,
    admissions: Math.max(0, totals.admissions + sign),
  };
}
