/** The ClaimResponse and its inbox Communication, and the reconciliation of a day. */
import { describe, expect, it } from "vitest";
import { buildClaimResponse, claimResponseCommunication, cstDay, reconcile } from "#domain/settlement/claim-response.ts";
import { inboxCommunicationSchema } from "#schemas/messages.ts";
import type { ClaimAdjudicatedMessageV1 } from "#schemas/settlement.ts";

const result: ClaimAdjudicatedMessageV1 = {
  type: "claim-adjudicated",
  version: 1,
  hospitalId: "sjz001",
  claimNumber: "ZY/2026_0001 住院",
  action: "submit",
  cityId: "shijiazhuang",
  empi: "E0000000000012",
  kind: "institutional",
  outcome: "complete",
  reasons: [],
  amounts: { submittedFen: 680005, eligibleFen: 680005, deductibleFen: 100000, benefitFen: 406004 },
  policyVersion: "HEBEI-BMI-2024.1",
  settledAt: "2026-03-05T16:30:00.000Z",
};

describe("the ClaimResponse", () => {
  it("carries the four totals as CNY Money, zero amounts included, and a FHIR id whatever the claim number", () => {
    const cr = buildClaimResponse({ ...result, amounts: { ...result.amounts, deductibleFen: 0 } });
    expect(cr.id).toMatch(/^[A-Za-z0-9\-.]{1,64}$/);
    expect(cr.total).toEqual(
      ["submitted", "eligible", "deductible", "benefit"].map((code, i) => ({
        category: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/adjudication", code }] },
        amount: { value: [6800.05, 6800.05, 0, 4060.04][i], currency: "CNY" },
      })),
    );
    expect(buildClaimResponse({ ...result, action: "cancel" }).id).not.toBe(cr.id);
  });

  it("reaches the inbox as a Communication the inbox contract accepts", () => {
    const communication = claimResponseCommunication(result);
    expect(inboxCommunicationSchema.safeParse(communication).success).toBe(true);
    expect(communication.payload[0]!.contentReference.reference).toBe(`ClaimResponse/${String(buildClaimResponse(result).id)}`);
  });
});

describe("reconciliation", () => {
  it("counts the day in China Standard Time and nets reversals", () => {
    expect(cstDay("2026-03-05T16:30:00.000Z")).toBe("2026-03-06");
    expect(cstDay("2026-03-05T15:59:59.999Z")).toBe("2026-03-05");
    expect(
      reconcile([
        { hospitalId: "b", action: "submit", submittedFen: 1000, benefitFen: 500 },
        { hospitalId: "a", action: "submit", submittedFen: 300000, benefitFen: 140000 },
        { hospitalId: "a", action: "cancel", submittedFen: 300000, benefitFen: 140000 },
        { hospitalId: "a", action: "submit", submittedFen: 2000, benefitFen: 1001 },
      ]),
    ).toEqual([
      { hospitalId: "a", claims: 2, reversals: 1, submittedFen: 2000, fundFen: 1001, patientFen: 999 },
      { hospitalId: "b", claims: 1, reversals: 0, submittedFen: 1000, fundFen: 500, patientFen: 500 },
    ]);
  });
});
