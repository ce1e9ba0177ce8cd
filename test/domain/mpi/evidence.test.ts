import { describe, expect, it } from "vitest";
import { decide } from "#domain/mpi/decide.ts";
import { pairEvidence } from "#domain/mpi/evidence.ts";
import { reviewed, reviewedElsewhere } from "#lib/world/households.ts";
import { residentOf, TODAY } from "./fixtures.ts";

describe("the evidence a steward sees for a pair under review", () => {
  it("names per field what agreed, partly agreed, disagreed or was missing, with the level and its weight", () => {
    const candidate = residentOf("E0000000000012", { ...reviewed, source: { system: "mrn-a", value: "1" } });
    const doubt = { ...reviewedElsewhere, source: { system: "mrn-b", value: "2" } };
    expect(decide(doubt, [candidate], { today: TODAY }).outcome).toBe("review");
    const evidence = pairEvidence([decide(doubt, [], { today: TODAY }).record], candidate, TODAY)!;
    expect(evidence.fields).toMatchObject({
      family: { level: "exact", agreement: "agreed" },
      given: { level: "exact", agreement: "agreed" },
      birthDate: { level: "swap", agreement: "partly-agreed" },
      sex: { level: "same", agreement: "agreed" },
      phone: { level: "different", agreement: "disagreed" },
      address: { level: "different", agreement: "disagreed" },
      typedId: { level: "missing", agreement: "missing" },
    });
    expect(evidence.fields.phone.weight).toBeLessThan(0);
    expect(evidence).toMatchObject({ source: { value: "2" }, candidateSource: { value: "1" } });
    expect(evidence.score).toBeGreaterThanOrEqual(12);
  });

  it("gives nothing for a candidate without records", () => {
    expect(pairEvidence([reviewed], { empi: "E0000000000020", version: 1, records: [] }, TODAY)).toBeUndefined();
  });
});
