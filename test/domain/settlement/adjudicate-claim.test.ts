/** The insurance platform's use case: a redelivered message never pays twice; a reversal releases. */
import { describe, expect, it } from "vitest";
import { makeResidentId } from "#domain/mpi/resident-id.ts";
import { type Decision, emptyTotals, type InsuranceCatalogue, type LedgerStore, type StoredTotals } from "#ports/settlement.ts";
import type { ClaimAdjudicatedMessageV1, ClaimMessageV1 } from "#schemas/settlement.ts";
import { adjudicateClaim } from "#use-cases/settlement/adjudicate-claim.ts";

/** No claim here is coded with an insurance drug code (test/domain/settlement/catalogue-items.test.ts covers them) */
const noCatalogue: InsuranceCatalogue = { history: async () => [], apply: async () => {} };

function memoryLedger() {
  const decisions = new Map<string, Decision>();
  const totals = new Map<string, StoredTotals>();
  const store: LedgerStore = {
    getDecision: async (h, c, a) => structuredClone(decisions.get(`${h}|${c}|${a}`)),
    putDecision: async (d, replacing) => {
      const key = `${d.hospitalId}|${d.claimNumber}|${d.action}`;
      const old = decisions.get(key);
      if (replacing === undefined ? old : old?.basedOnVersion !== replacing) return false;
      decisions.set(key, structuredClone(d));
      return true;
    },
    markApplied: async (d) => {
      decisions.get(`${d.hospitalId}|${d.claimNumber}|${d.action}`)!.status = "applied";
    },
    getTotals: async (e, y) => structuredClone(totals.get(`${e}#${y}`) ?? emptyTotals()),
    putTotals: async (e, y, t, prev) => {
      if ((totals.get(`${e}#${y}`)?.version ?? 0) !== prev) return false;
      totals.set(`${e}#${y}`, structuredClone(t));
      return true;
    },
  };
  return { store, totals };
}

const message = (claimNumber: string, action: "submit" | "cancel" = "submit", netFen = 300000): ClaimMessageV1 => ({
  type: "claim",
  version: 1,
  hospitalId: "sjz001",
  claimNumber,
  action,
  cityId: "shijiazhuang",
  hospitalCityCode: "1301",
  hospitalLevel: "3",
  empi: "E000000000001",
  residentId: makeResidentId("130102", "1960-05-20", "011"),
  kind: "institutional",
  serviceDate: "2026-03-01",
  items: [{ sequence: 1, category: "A", netFen }],
  submittedAt: "2026-03-02T00:00:00.000Z",
});

describe("adjudicateClaim", () => {
  it("answers a redelivered claim with the same result and applies it once", async () => {
    const { store, totals } = memoryLedger();
    const sent: ClaimAdjudicatedMessageV1[] = [];
    const deps = { ledger: store, catalogue: noCatalogue, sendResult: async (r: ClaimAdjudicatedMessageV1) => void sent.push(r) };
    const first = await adjudicateClaim(deps, message("C1"), new Date("2026-03-02T01:00:00Z"));
    const again = await adjudicateClaim(deps, message("C1"), new Date("2026-03-02T02:00:00Z"));
    expect(again).toEqual(first);
    expect(first.amounts.benefitFen).toBe(140000); // 70 % of (3000 − 1000) CNY
    expect(totals.get("E000000000001#2026")).toMatchObject({ inpatientFundFen: 140000, admissions: 1, version: 1 });
    expect(sent).toHaveLength(2);
  });

  it("gives the second admission half the deductible, and a reversal releases fund and admission", async () => {
    const { store, totals } = memoryLedger();
    const deps = { ledger: store, catalogue: noCatalogue, sendResult: async () => {} };
    await adjudicateClaim(deps, message("C1"), new Date());
    const second = await adjudicateClaim(deps, message("C2"), new Date());
    expect(second.amounts.deductibleFen).toBe(50000);
    const reversal = await adjudicateClaim(deps, message("C1", "cancel"), new Date());
    expect(reversal).toMatchObject({ outcome: "complete", amounts: { benefitFen: 140000 } });
    expect(totals.get("E000000000001#2026")).toMatchObject({ inpatientFundFen: second.amounts.benefitFen, admissions: 1 });
    // the reversal delivered again releases nothing more
    await adjudicateClaim(deps, message("C1", "cancel"), new Date());
    expect(totals.get("E000000000001#2026")).toMatchObject({ inpatientFundFen: second.amounts.benefitFen, admissions: 1 });
    // a settled claim is not re-adjudicated after its reversal
    expect((await adjudicateClaim(deps, message("C1"), new Date())).amounts.benefitFen).toBe(140000);
  });

  it("finishes a decision whose totals were written before a stop, without paying again", async () => {
    const { store, totals } = memoryLedger();
    let failOnce = true;
    const deps = {
      catalogue: noCatalogue,
      ledger: {
        ...store,
        markApplied: async (d: Decision) => {
          if (!failOnce) return store.markApplied(d);
          failOnce = false;
          throw new Error("killed");
        },
      },
      sendResult: async () => {},
    };
    await expect(adjudicateClaim(deps, message("C1"), new Date())).rejects.toThrow("killed");
    const result = await adjudicateClaim(deps, message("C1"), new Date());
    expect(result.amounts.benefitFen).toBe(140000);
    expect(totals.get("E000000000001#2026")).toMatchObject({ inpatientFundFen: 140000, admissions: 1, version: 1 });
  });

  it("does not pay twice when, after a stop, another claim of the resident was applied before the re-sent one", async () => {
    const { store, totals } = memoryLedger();
    let failOnce = true;
    const flaky = {
      catalogue: noCatalogue,
      ledger: {
        ...store,
        markApplied: async (d: Decision) => {
          if (!failOnce) return store.markApplied(d);
          failOnce = false;
          throw new Error("killed");
        },
      },
      sendResult: async () => {},
    };
    await expect(adjudicateClaim(flaky, message("C1"), new Date())).rejects.toThrow("killed");
    await adjudicateClaim(flaky, message("C2"), new Date()); // re-sent first after the restart
    await adjudicateClaim(flaky, message("C1"), new Date());
    expect(totals.get("E000000000001#2026")).toMatchObject({ inpatientFundFen: 140000 + 175000, admissions: 2, version: 2 });
  });

  it("refuses to reverse a claim it never settled", async () => {
    const { store } = memoryLedger();
    const result = await adjudicateClaim(
      { ledger: store, catalogue: noCatalogue, sendResult: async () => {} },
      message("C9", "cancel"),
      new Date(),
    );
    expect(result).toMatchObject({ outcome: "error", reasons: [{ code: "nothing-to-reverse" }] });
  });
});
