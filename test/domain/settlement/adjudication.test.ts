/** Adjudication by the policy table: each rule with a worked example, integer fen throughout. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { makeResidentId } from "#domain/mpi/resident-id.ts";
import { adjudicate, applyToTotals, type ClaimToAdjudicate, EMPTY_TOTALS, type YearTotals } from "#domain/settlement/adjudicate.ts";
import { fenToCnyText, parseCnyText, percentOf } from "#domain/settlement/money.ts";
import { POLICIES, policyOn } from "#domain/settlement/policy.ts";

const policy = policyOn("2026-03-01")!;
const SJZ_RESIDENT = makeResidentId("130102", "1960-05-20", "011");
const TANGSHAN_RESIDENT = makeResidentId("130203", "1972-11-02", "022");
const BEIJING_RESIDENT = makeResidentId("110101", "1980-01-01", "033");

const claim = (over: Partial<ClaimToAdjudicate>): ClaimToAdjudicate => ({
  kind: "institutional",
  hospitalLevel: "3",
  hospitalCityCode: "1301",
  residentId: SJZ_RESIDENT,
  items: [],
  ...over,
});
const amountsOf = (c: ClaimToAdjudicate, totals: YearTotals = EMPTY_TOTALS) => {
  const a = adjudicate(c, policy, totals);
  expect(a.outcome).toBe("complete");
  return a.amounts;
};

describe("the policy table", () => {
  it("is data with a version and effective dates, one policy in force per day", () => {
    expect(policy.version).toBe("HEBEI-BMI-2024.1");
    expect(policyOn("2023-12-31")).toBeUndefined();
    expect(POLICIES.every((p) => Object.values(p.inpatient.deductibleFenByLevel).every((d) => d % 2 === 0))).toBe(true);
  });
});

describe("eligible amount", () => {
  it("is A + round-half-up(90 % of B); a B sum whose 90 % ends in .5 fen rounds up; C is not eligible", () => {
    // B 123.45 CNY: 12345 × 90 / 100 = 11110.5 fen → 11111
    const a = amountsOf(
      claim({
        kind: "professional",
        items: [
          { sequence: 1, category: "A", netFen: 10000 },
          { sequence: 2, category: "B", netFen: 12000 },
          { sequence: 3, category: "B", netFen: 345 },
          { sequence: 4, category: "C", netFen: 9999 },
        ],
      }),
    );
    expect(a).toEqual({ submittedFen: 32344, eligibleFen: 10000 + 11111, deductibleFen: 0, benefitFen: percentOf(21111, 50) });
    // 21111 × 50 / 100 = 10555.5 → 10556: an outpatient fund share ending in .5 fen rounds up
    expect(a.benefitFen).toBe(10556);
  });
});

describe("inpatient claims", () => {
  it("deduct by hospital level and pay the level's share; a fund share ending in .5 fen rounds up", () => {
    // level 3: eligible 6800.05 CNY − deductible 1000 = 5800.05; 70 % = 406003.5 fen → 406004
    expect(amountsOf(claim({ items: [{ sequence: 1, category: "A", netFen: 680005 }] }))).toEqual({
      submittedFen: 680005,
      eligibleFen: 680005,
      deductibleFen: 100000,
      benefitFen: 406004,
    });
    // level 2: deductible 600, 80 %; level 1: deductible 300, 90 %
    expect(amountsOf(claim({ hospitalLevel: "2", items: [{ sequence: 1, category: "A", netFen: 160000 }] })).benefitFen).toBe(80000);
    expect(amountsOf(claim({ hospitalLevel: "1", items: [{ sequence: 1, category: "A", netFen: 130000 }] })).benefitFen).toBe(90000);
  });

  it("halve the deductible for a second admission in the year", () => {
    const second = amountsOf(claim({ items: [{ sequence: 1, category: "A", netFen: 300000 }] }), { ...EMPTY_TOTALS, admissions: 1 });
    expect(second.deductibleFen).toBe(50000);
    expect(second.benefitFen).toBe(175000); // 70 % of 2500 CNY
  });

  it("report the deductible applied, at most the eligible amount", () => {
    expect(amountsOf(claim({ items: [{ sequence: 1, category: "B", netFen: 50000 }] }))).toEqual({
      submittedFen: 50000,
      eligibleFen: 45000,
      deductibleFen: 45000,
      benefitFen: 0,
    });
  });

  it("pay 10 points less across cities (the insurance city is the resident ID number's first four digits)", () => {
    const items = [{ sequence: 1, category: "A", netFen: 200000 }];
    const home = adjudicate(claim({ items, residentId: SJZ_RESIDENT }), policy, EMPTY_TOTALS);
    const tangshan = adjudicate(claim({ items, residentId: TANGSHAN_RESIDENT }), policy, EMPTY_TOTALS);
    const beijing = adjudicate(claim({ items, residentId: BEIJING_RESIDENT }), policy, EMPTY_TOTALS);
    expect(home.amounts.benefitFen).toBe(70000); // 70 % of 1000 CNY
    expect(tangshan.amounts.benefitFen).toBe(60000); // 60 %
    expect(beijing.amounts.benefitFen).toBe(60000); // outside the 11 cities: cross-city too
    expect(tangshan.outcome === "complete" && tangshan.crossCity).toBe(true);
  });

  it("stop at the annual inpatient cap, crossed inside one claim", () => {
    const used = { ...EMPTY_TOTALS, inpatientFundFen: 24_900_000, admissions: 3 };
    const a = amountsOf(claim({ items: [{ sequence: 1, category: "A", netFen: 1_000_000 }] }), used);
    // 70 % of (10000 − 500) CNY = 665000 fen, but only 100000 fen are left of 25 000 000
    expect(a.benefitFen).toBe(100_000);
    expect(applyToTotals(used, "institutional", a.benefitFen, 1)).toEqual({
      inpatientFundFen: 25_000_000,
      outpatientFundFen: 0,
      admissions: 4,
    });
  });
});

describe("outpatient claims", () => {
  it("have no deductible, pay 50 % whatever the city, up to the annual outpatient cap", () => {
    const items = [{ sequence: 1, category: "A", netFen: 10001 }];
    expect(amountsOf(claim({ kind: "professional", residentId: TANGSHAN_RESIDENT, items })).benefitFen).toBe(5001);
    const nearCap = { ...EMPTY_TOTALS, outpatientFundFen: 299_000 };
    expect(amountsOf(claim({ kind: "professional", items }), nearCap).benefitFen).toBe(1000);
    expect(amountsOf(claim({ kind: "professional", items }), { ...EMPTY_TOTALS, outpatientFundFen: 300_000 }).benefitFen).toBe(0);
  });
});

describe("rejection and reversal", () => {
  it("rejects an unknown category with a coded reason", () => {
    const a = adjudicate(claim({ items: [{ sequence: 7, category: "D", netFen: 100 }] }), policy, EMPTY_TOTALS);
    expect(a.outcome).toBe("error");
    expect(a.outcome === "error" && a.reasons.map((r) => r.code)).toEqual(["unknown-category"]);
    expect(a.amounts).toEqual({ submittedFen: 100, eligibleFen: 0, deductibleFen: 0, benefitFen: 0 });
  });

  it("a reversal releases the fund amount and the admission", () => {
    const after = applyToTotals(EMPTY_TOTALS, "institutional", 406004, 1);
    expect(applyToTotals(after, "institutional", 406004, -1)).toEqual(EMPTY_TOTALS);
    const out = applyToTotals(EMPTY_TOTALS, "professional", 5556, 1);
    expect(applyToTotals(out, "professional", 5556, -1)).toEqual(EMPTY_TOTALS);
  });
});

describe("money", () => {
  it("reads CNY decimal text exactly into fen", () => {
    expect(parseCnyText("123.45")).toEqual({ ok: true, fen: 12345 });
    expect(parseCnyText("0.1")).toEqual({ ok: true, fen: 10 });
    expect(parseCnyText("7")).toEqual({ ok: true, fen: 700 });
    expect(parseCnyText("1.50")).toEqual({ ok: true, fen: 150 });
    expect(parseCnyText("1.500")).toEqual({ ok: true, fen: 150 });
    expect(parseCnyText("1.2e1")).toEqual({ ok: true, fen: 1200 });
    expect(parseCnyText("125e-2")).toEqual({ ok: true, fen: 125 });
    expect(parseCnyText("0.29")).toEqual({ ok: true, fen: 29 }); // 0.29 × 100 is 28.999999999999996 in floating point
    expect(parseCnyText("12.345")).toEqual({ ok: false, reason: "over-precise" });
    expect(parseCnyText("12.3400000000000001")).toEqual({ ok: false, reason: "over-precise" });
    expect(parseCnyText("125e-3")).toEqual({ ok: false, reason: "over-precise" });
    expect(parseCnyText("-0.01")).toEqual({ ok: false, reason: "negative" });
    expect(parseCnyText("1e30")).toEqual({ ok: false, reason: "too-large" });
    expect(parseCnyText("abc")).toEqual({ ok: false, reason: "malformed" });
  });

  it("round-half-up percentages agree with exact integer arithmetic", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_000 }), fc.integer({ min: 0, max: 100 }), (x, p) => {
        expect(BigInt(percentOf(x, p))).toBe((BigInt(x) * BigInt(p) + 50n) / 100n);
      }),
    );
  });

  it("fen text round-trips", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_000 }), (fen) => {
        expect(parseCnyText(fenToCnyText(fen))).toEqual({ ok: true, fen });
      }),
    );
  });
});

describe("properties of any adjudication", () => {
  const item = fc.record({ category: fc.constantFrom("A", "B", "C"), netFen: fc.integer({ min: 0, max: 5_000_000 }) });
  const totals = fc.record({
    inpatientFundFen: fc.integer({ min: 0, max: 25_000_000 }),
    outpatientFundFen: fc.integer({ min: 0, max: 300_000 }),
    admissions: fc.integer({ min: 0, max: 5 }),
  });
  const anyClaim = fc.record({
    kind: fc.constantFrom("institutional" as const, "professional" as const),
    hospitalLevel: fc.constantFrom("1" as const, "2" as const, "3" as const),
    hospitalCityCode: fc.constantFrom("1301", "1302", "1306"),
    residentId: fc.constantFrom(SJZ_RESIDENT, TANGSHAN_RESIDENT, BEIJING_RESIDENT),
    items: fc.array(item, { minLength: 1, maxLength: 20 }).map((xs) => xs.map((x, i) => ({ ...x, sequence: i + 1 }))),
  });

  it("fund + patient = submitted, 0 ≤ benefit ≤ eligible − deductible, eligible ≤ submitted, caps never exceeded", () => {
    fc.assert(
      fc.property(anyClaim, totals, (c, t) => {
        const { amounts } = adjudicate(c, policy, t);
        const patient = amounts.submittedFen - amounts.benefitFen;
        expect(amounts.benefitFen + patient).toBe(amounts.submittedFen);
        expect(amounts.eligibleFen).toBeLessThanOrEqual(amounts.submittedFen);
        expect(amounts.deductibleFen).toBeLessThanOrEqual(amounts.eligibleFen);
        expect(amounts.benefitFen).toBeGreaterThanOrEqual(0);
        expect(amounts.benefitFen).toBeLessThanOrEqual(amounts.eligibleFen - amounts.deductibleFen);
        for (const v of Object.values(amounts)) expect(Number.isSafeInteger(v)).toBe(true);
        const after = applyToTotals(t, c.kind, amounts.benefitFen, 1);
        expect(after.inpatientFundFen).toBeLessThanOrEqual(policy.inpatient.annualFundCapFen);
        expect(after.outpatientFundFen).toBeLessThanOrEqual(policy.outpatient.annualFundCapFen);
        expect(applyToTotals(after, c.kind, amounts.benefitFen, -1)).toEqual({ ...t, admissions: t.admissions });
      }),
    );
  });
});
