/** A resident's death and its reversal, and the month's reconciliation, over an in-memory vital status store. */
import { describe, expect, it } from "vitest";
import type { VitalStatus, VitalStatusStore } from "#ports/department-exchange.ts";
import type { ResidentVitalEvent } from "#schemas/departments.ts";
import { markDeceased, reconcileDeaths, restoreResident } from "#use-cases/departments/vital.ts";

function memoryVital(): VitalStatusStore {
  const items = new Map<string, VitalStatus>();
  return {
    get: async (empi) => items.get(empi),
    async put(status) {
      if ((items.get(status.empi)?.version ?? 0) !== status.version - 1) return false;
      items.set(status.empi, status);
      return true;
    },
    listDeaths: async () => [...items.values()],
  };
}

const NOW = new Date("2026-12-02T00:00:00Z");

describe("vital status", () => {
  it("a death reported twice by a hospital publishes one change; public security's register of it publishes none", async () => {
    const published: ResidentVitalEvent[] = [];
    const deps = { vital: memoryVital(), publish: async (e: ResidentVitalEvent) => void published.push(e) };
    const report = { empi: "E1", deceasedDateTime: "2026-12-01T08:00:00+08:00", source: "health" as const, reportedBy: "bd001" };
    expect(await markDeceased(deps, report, NOW)).toBe("marked");
    expect(await markDeceased(deps, report, NOW)).toBe("already");
    expect(await markDeceased(deps, { ...report, source: "public-security", messageId: "ps-1" }, NOW)).toBe("marked");
    expect(published.map((e) => [e.change, e.source])).toEqual([["deceased", "health"]]);
    // public security voids its register: the hospital's report stands
    expect(await restoreResident(deps, "E1", "ps-1", NOW)).toBe("unchanged");
    expect((await deps.vital.get("E1"))?.deceased).toBe(true);
  });

  it("public security's void restores a resident only it reported dead, and only for the message it names", async () => {
    const published: ResidentVitalEvent[] = [];
    const deps = { vital: memoryVital(), publish: async (e: ResidentVitalEvent) => void published.push(e) };
    await markDeceased(
      deps,
      { empi: "E2", deceasedDateTime: "2026-11-30T22:00:00+08:00", source: "public-security", messageId: "ps-2" },
      NOW,
    );
    expect(await restoreResident(deps, "E2", "another", NOW)).toBe("unchanged");
    expect(await restoreResident(deps, "E2", "ps-2", NOW)).toBe("restored");
    const status = await deps.vital.get("E2");
    expect([status?.deceased, status?.deceasedDateTime, status?.knownToPublicSecurity]).toEqual([false, undefined, false]);
    expect(published.map((e) => e.change)).toEqual(["deceased", "restored"]);
  });

  it("public security's update of its register applies the amended time of death, once; not over a hospital's report", async () => {
    const published: ResidentVitalEvent[] = [];
    const deps = { vital: memoryVital(), publish: async (e: ResidentVitalEvent) => void published.push(e) };
    const registered = { empi: "E6", deceasedDateTime: "2026-11-30T22:00:00+08:00", source: "public-security" as const, messageId: "ps-6" };
    await markDeceased(deps, registered, NOW);
    const amended = { ...registered, deceasedDateTime: "2026-11-30T21:15:00+08:00", amended: true };
    expect(await markDeceased(deps, amended, NOW)).toBe("marked");
    expect((await deps.vital.get("E6"))?.deceasedDateTime).toBe("2026-11-30T21:15:00+08:00");
    expect(await markDeceased(deps, amended, NOW)).toBe("already");
    // a repeat of the first message (not an update) changes nothing back
    expect(await markDeceased(deps, registered, NOW)).toBe("already");
    expect((await deps.vital.get("E6"))?.deceasedDateTime).toBe("2026-11-30T21:15:00+08:00");
    expect(published.map((e) => e.change)).toEqual(["deceased"]);
    // a hospital reported E7's death: public security's amendment does not replace its time
    await markDeceased(deps, { empi: "E7", deceasedDateTime: "2026-12-01T08:00:00+08:00", source: "health" }, NOW);
    await markDeceased(deps, { ...registered, empi: "E7", messageId: "ps-7" }, NOW);
    expect(await markDeceased(deps, { ...registered, empi: "E7", messageId: "ps-7", amended: true }, NOW)).toBe("already");
    expect((await deps.vital.get("E7"))?.deceasedDateTime).toBe("2026-12-01T08:00:00+08:00");
  });

  it("reconciles a month in China Standard Time: one side only, in each direction", async () => {
    const deps = { vital: memoryVital(), publish: async () => {} };
    await markDeceased(deps, { empi: "E3", deceasedDateTime: "2026-11-30T17:00:00Z", source: "health" }, NOW); // 12-01 01:00 CST
    await markDeceased(
      deps,
      { empi: "E4", deceasedDateTime: "2026-12-05T10:00:00+08:00", source: "public-security", messageId: "ps-4" },
      NOW,
    );
    await markDeceased(deps, { empi: "E5", deceasedDateTime: "2026-12-06T10:00:00+08:00", source: "health" }, NOW);
    await markDeceased(
      deps,
      { empi: "E5", deceasedDateTime: "2026-12-06T10:00:00+08:00", source: "public-security", messageId: "ps-5" },
      NOW,
    );
    await markDeceased(deps, { empi: "E6", deceasedDateTime: "2026-11-29T10:00:00+08:00", source: "health" }, NOW);
    const december = await reconcileDeaths(deps.vital, "2026-12");
    expect(december.healthOnly.map((r) => r.empi)).toEqual(["E3"]);
    expect(december.publicSecurityOnly.map((r) => r.empi)).toEqual(["E4"]);
    expect((await reconcileDeaths(deps.vital, "2026-11")).healthOnly.map((r) => r.empi)).toEqual(["E6"]);
  });
});
