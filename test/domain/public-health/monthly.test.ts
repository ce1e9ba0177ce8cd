/** The monthly figures (docs/public-health.md#monthly-figures): CST months, the indicators an encounter counts to, idempotent runs */
import { describe, expect, it } from "vitest";
import { encounterIndicators, monthlyReports, monthOf, monthPeriod } from "#domain/public-health/monthly.ts";
import { withDiagnoses } from "#lib/world/case-reports.ts";
import { encounterOf } from "#lib/world/encounters.ts";
import type { MonthlyFigures } from "#ports/public-health.ts";
import type { ServiceType } from "#schemas/public-health.ts";
import { previousMonth, runMonth } from "#use-cases/public-health/monthly.ts";

const visit = (start: string, codes: string[] = [], service?: ServiceType, inpatient = false) =>
  withDiagnoses(
    encounterOf("h-a", `E-${start}`, "MRN", inpatient, start, start),
    codes.map((code) => ({ code, recordedDate: start })),
    service,
  );

describe("the monthly figures", () => {
  it("read months in China Standard Time", () => {
    expect(monthOf("2026-01-31T16:00:00Z")).toBe("2026-02");
    expect(monthOf("2026-01-31T15:59:59Z")).toBe("2026-01");
    expect(monthOf("2026-02-01T00:00:00+08:00")).toBe("2026-02");
    expect(monthOf("2026-02-28")).toBe("2026-02");
    expect(monthPeriod("2026-12")).toEqual({ start: "2026-12-01T00:00:00+08:00", end: "2027-01-01T00:00:00+08:00" });
    expect(previousMonth(new Date("2026-03-31T16:30:00Z"))).toBe("2026-03"); // 1 April 00:30 in Beijing
    expect(previousMonth(new Date("2026-01-15T00:00:00Z"))).toBe("2025-12");
  });

  it("count an encounter towards its service type's indicator, hypertension I10–I15, diabetes E10–E14, TCM outpatient visits", () => {
    const t = "2026-03-02T09:00:00+08:00";
    expect(encounterIndicators(visit(t, [], "prenatal-care"))).toEqual(["prenatal-visits"]);
    expect(encounterIndicators(visit(t, [], "delivery", true))).toEqual(["deliveries"]);
    expect(encounterIndicators(visit(t, ["I10", "E11.9"], "chronic-follow-up"))).toEqual([
      "hypertension-follow-ups",
      "diabetes-follow-ups",
    ]);
    expect(encounterIndicators(visit(t, ["I16", "E15", "I09"]))).toEqual([]);
    expect(encounterIndicators(visit(t, [], "tcm"))).toEqual(["tcm-outpatient-visits"]);
    expect(encounterIndicators(visit(t, [], "tcm", true))).toEqual([]);
    expect(encounterIndicators({ ...visit(t, [], "delivery"), status: "entered-in-error" })).toEqual([]);
  });

  it("make one MeasureReport per city with every indicator, cases by disease and class, void ones left out", () => {
    const march = "2026-03-10T09:00:00+08:00";
    const [bd, ts] = monthlyReports(
      "2026-03",
      ["baoding", "tangshan"],
      [
        { cityId: "baoding", resource: visit(march, [], "prenatal-care") },
        { cityId: "baoding", resource: visit("2026-02-28T23:59:00+08:00", [], "prenatal-care") },
        { cityId: "baoding", resource: visit(march, ["I11"], "chronic-follow-up") },
      ],
      [
        { cityId: "baoding", disease: "cholera", diseaseClass: "A", diagnosedAt: march, status: "forwarded" },
        { cityId: "baoding", disease: "measles", diseaseClass: "B", diagnosedAt: march, status: "accepted" },
        { cityId: "baoding", disease: "measles", diseaseClass: "B", diagnosedAt: march, status: "void" },
      ],
      [
        // a newborn's certificate published twice counts once; one of February and a superseded one not at all
        { cityId: "baoding", empi: "N1", date: "2026-03-02", status: "current" },
        { cityId: "baoding", empi: "N1", date: "2026-03-03T10:00:00+08:00", status: "current" },
        { cityId: "baoding", empi: "N2", date: "2026-02-28T23:00:00+08:00", status: "current" },
        { cityId: "baoding", empi: "N3", date: march, status: "superseded" },
        { cityId: "tangshan", empi: "N4", date: "2026-02-28T16:30:00Z", status: "current" }, // 1 March 00:30 in Beijing
      ],
    );
    const count = (r: typeof bd, code: string) => r!.group.find((g) => g.code.coding[0]!.code === code)!.population[0]!.count;
    expect(bd).toMatchObject({ id: "mr-baoding-2026-03", period: { start: "2026-03-01T00:00:00+08:00" } });
    expect([
      count(bd, "prenatal-visits"),
      count(bd, "hypertension-follow-ups"),
      count(bd, "notifiable-cases"),
      count(bd, "deliveries"),
      count(bd, "births"),
      count(ts, "births"),
    ]).toEqual([1, 1, 2, 0, 1, 1]);
    const cases = bd!.group.find((g) => g.code.coding[0]!.code === "notifiable-cases")!;
    expect(cases.stratifier![0]!.stratum.map((s) => [s.value.text, s.population[0]!.count])).toEqual([
      ["cholera", 1],
      ["measles", 1],
    ]);
    expect(cases.stratifier![1]!.stratum.map((s) => [s.value.text, s.population[0]!.count])).toEqual([
      ["A", 1],
      ["B", 1],
    ]);
    expect(ts!.group.filter((g) => g.code.coding[0]!.code !== "births").every((g) => g.population[0]!.count === 0)).toBe(true);
  });

  it("stratify every indicator by the residents' sex, a resident the MPI has no sex for counted as unknown", () => {
    const march = "2026-03-10T09:00:00+08:00";
    const [bd] = monthlyReports(
      "2026-03",
      ["baoding"],
      [
        { cityId: "baoding", empi: "W", resource: visit(march, ["I10"], "chronic-follow-up") },
        { cityId: "baoding", empi: "M", resource: visit(march, ["I12"], "chronic-follow-up") },
        { cityId: "baoding", empi: "M", resource: visit("2026-04-01T09:00:00+08:00", ["I12"], "chronic-follow-up") },
        { cityId: "baoding", resource: visit(march, ["I13"], "chronic-follow-up") },
      ],
      [{ cityId: "baoding", empi: "W", disease: "cholera", diseaseClass: "A", diagnosedAt: march, status: "accepted" }],
      [{ cityId: "baoding", empi: "N", date: march, status: "current" }],
      new Map([
        ["W", "female"],
        ["M", "male"],
        ["N", "not-a-sex"],
      ]),
    );
    const sexes = (code: string) => {
      const group = bd!.group.find((g) => g.code.coding[0]!.code === code)!;
      const sex = group.stratifier.find((s) => s.code[0]!.text === "sex")!;
      return Object.fromEntries(sex.stratum.map((s) => [s.value.text, s.population[0]!.count]));
    };
    expect(sexes("hypertension-follow-ups")).toEqual({ female: 1, male: 1, unknown: 1 });
    expect(sexes("notifiable-cases")).toEqual({ female: 1 });
    expect(sexes("births")).toEqual({ unknown: 1 });
    expect(sexes("deliveries")).toEqual({});
  });

  it("are idempotent: re-running a month writes nothing and sends nothing", async () => {
    const kept = new Map<string, Record<string, unknown>>();
    const figures: MonthlyFigures = {
      get: async (m, c) => kept.get(`${m}|${c}`),
      put: async (m, c, r) => void kept.set(`${m}|${c}`, structuredClone(r)),
      list: async () => [...kept.values()],
      encounters: async () => [{ cityId: "baoding", resource: visit("2026-03-10T09:00:00+08:00", [], "tcm") }],
      births: async () => [],
      cities: async () => ["tangshan", "baoding"],
    };
    const sent: string[] = [];
    const deps = {
      figures,
      reports: { list: async () => [] },
      exchange: { send: async (m: { messageId: string }) => void sent.push(m.messageId) },
      now: () => new Date("2026-04-01T00:00:00Z"),
    };
    expect(await runMonth(deps, "2026-03")).toEqual({
      month: "2026-03",
      written: ["mr-baoding-2026-03", "mr-tangshan-2026-03"],
      unchanged: [],
    });
    expect(sent).toHaveLength(2);
    expect(await runMonth(deps, "2026-03")).toEqual({
      month: "2026-03",
      written: [],
      unchanged: ["mr-baoding-2026-03", "mr-tangshan-2026-03"],
    });
    expect(sent).toHaveLength(2);
    await expect(runMonth(deps, "2026-13")).rejects.toThrow(/month/);
  });
});
