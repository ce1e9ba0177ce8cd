import { describe, expect, it } from "vitest";
import { type CatalogueCopyEntry, categoryOn, resolveItems } from "#domain/settlement/catalogue-items.ts";

const v1: CatalogueCopyEntry = { version: 1, inForceFrom: "2024-01-01", category: "A", validFrom: "2024-01-01", validTo: null };
const v5: CatalogueCopyEntry = { version: 5, inForceFrom: "2026-06-10", category: "B", validFrom: "2024-01-01", validTo: "2026-12-31" };
const withdrawn: CatalogueCopyEntry = { version: 7, inForceFrom: "2026-09-01" };

describe("an insurance drug code's category on a service date", () => {
  it("is the one of the version in force that day, whatever order the versions arrived in", () => {
    expect(categoryOn([v5, v1], "2026-06-09")).toEqual({ category: "A" });
    expect(categoryOn([v5, v1], "2026-06-10")).toEqual({ category: "B" });
    expect(categoryOn([v1, v5], "2026-08-01")).toEqual({ category: "B" });
  });

  it("has none before the catalogue knew it, outside its validity, or once withdrawn", () => {
    expect(categoryOn([], "2026-01-01")).toEqual({ problem: "not in the drug catalogue on 2026-01-01" });
    expect(categoryOn([v5], "2026-06-09")).toEqual({ problem: "not in the drug catalogue on 2026-06-09" });
    expect(categoryOn([v1, v5], "2027-01-01")).toMatchObject({ problem: expect.stringContaining("not valid on 2027-01-01") });
    expect(categoryOn([v1, v5, withdrawn], "2026-09-01")).toMatchObject({ problem: expect.stringContaining("withdrawn") });
    expect(categoryOn([v1, v5, withdrawn], "2026-08-31")).toEqual({ category: "B" });
  });
});

describe("a claim's items", () => {
  const histories = new Map([["XA01ABD075A002010100483", [v1, v5]]]);
  it("take the catalogue's category for a coded item, the typed one otherwise", () => {
    const items = [
      { sequence: 1, insuranceCode: "XA01ABD075A002010100483", category: "C", netFen: 100 },
      { sequence: 2, category: "C", netFen: 200 },
    ];
    expect(resolveItems(items, histories, "2026-07-01")).toEqual({
      ok: true,
      items: [
        { sequence: 1, category: "B", netFen: 100 },
        { sequence: 2, category: "C", netFen: 200 },
      ],
    });
  });

  it("reject the claim whole, naming every unknown code and reused traceability code", () => {
    const items = [
      { sequence: 1, insuranceCode: "XA01ABD075A002010100483", netFen: 100 },
      { sequence: 2, insuranceCode: "XN02BEB019A000019900001", netFen: 100 },
      { sequence: 3, category: "A", traceCode: "81234567890123450001", traceReused: true, netFen: 100 },
    ];
    const out = resolveItems(items, histories, "2026-07-01");
    expect(out.ok).toBe(false);
    expect(!out.ok && out.reasons.map((r) => [r.code, r.detail.slice(0, 6)])).toEqual([
      ["unknown-item-code", "item 2"],
      ["trace-code-reused", "item 3"],
    ]);
  });
});
