import { describe, expect, it } from "vitest";
import type { Dispense, TraceAlert, TraceRegistry } from "#ports/trace.ts";
import { encounterSystem } from "#schemas/documents.ts";
import { applyTraceScan, readTraceScan, reusedTraceCodes } from "#use-cases/drugs/trace-scan.ts";

/** The TraceCodes table in memory, as adapters/trace-registry.ts keeps it */
function memoryRegistry(): TraceRegistry & { held: Map<string, Dispense>; raised: TraceAlert[] } {
  const held = new Map<string, Dispense>();
  const raised: TraceAlert[] = [];
  return {
    held,
    raised,
    dispense: async (code, d) => {
      const inForce = held.get(code);
      if (inForce) return { recorded: false, inForce };
      held.set(code, d);
      return { recorded: true };
    },
    release: async (code, hospitalId) => {
      const inForce = held.get(code);
      if (!inForce) return "not-dispensed";
      if (inForce.hospitalId !== hospitalId) return "another-hospital";
      held.delete(code);
      return "released";
    },
    addAlert: async (alert) => void raised.push(alert),
    alerts: async () => [...raised].reverse(),
    history: async (code) => {
      const inForce = held.get(code);
      const repeatedBy = raised.filter((a) => a.code === code).map((a) => a.repeat.hospitalId);
      return { ...(inForce ? { inForce } : {}), repeatedBy };
    },
  };
}

const CODE = "81234567890123456789";
const params = (code: string, event: string, system: string, value = "E1") => [
  { name: "code", valueString: code },
  { name: "event", valueCode: event },
  { name: "encounter", valueReference: { identifier: { system, value } } },
];
const A = { hospitalId: "bd001", cityId: "baoding" };
const B = { hospitalId: "ts001", cityId: "tangshan" };
const outcomeOf = (p: { parameter: { name: string; valueCode?: string }[] }) => p.parameter[0]!.valueCode;

describe("reading a scan", () => {
  it("takes the code, the event and the hospital's own encounter", () => {
    expect(readTraceScan(params(CODE, "dispense", encounterSystem("bd001")), "bd001")).toEqual({
      code: CODE,
      event: "dispense",
      encounter: "E1",
    });
  });

  it("names the parameter at fault", () => {
    const fault = (p: ReturnType<typeof params>) => {
      try {
        readTraceScan(p, "bd001");
      } catch (error) {
        const refused = error as { kind: string; issues: { expression: string }[] };
        return `${refused.issues[0]!.expression} ${refused.kind}`;
      }
      return "accepted";
    };
    expect(fault(params("8123", "dispense", encounterSystem("bd001")))).toBe("Parameters.parameter.code invalid");
    expect(fault(params(CODE, "sell", encounterSystem("bd001")))).toBe("Parameters.parameter.event invalid");
    expect(fault(params(CODE, "dispense", encounterSystem("ts001")))).toBe("Parameters.parameter.encounter forbidden");
    expect(fault(params(CODE, "dispense", encounterSystem("bd001")).slice(0, 2))).toBe("Parameters.parameter.encounter invalid");
  });
});

describe("applying scans", () => {
  it("first, the same scan again first, elsewhere a repeat raising one alert; a return by the dispenser releases", async () => {
    const registry = memoryRegistry();
    const scan = (event: "dispense" | "return", encounter: string) => ({ code: CODE, event, encounter });
    expect(outcomeOf(await applyTraceScan(registry, scan("dispense", "E1"), A, "t1"))).toBe("first");
    expect(outcomeOf(await applyTraceScan(registry, scan("dispense", "E1"), A, "t2"))).toBe("first");
    expect(registry.raised).toEqual([]);
    const repeat = await applyTraceScan(registry, scan("dispense", "E9"), B, "t3");
    expect(repeat.parameter).toEqual([
      { name: "outcome", valueCode: "repeat" },
      { name: "firstDispensedBy", valueReference: { reference: "Organization/bd001" } },
      { name: "firstDispensedIn", valueString: "baoding" },
      { name: "firstDispensedAt", valueDateTime: "t1" },
    ]);
    // the same hospital, another encounter: a repeat too
    expect(outcomeOf(await applyTraceScan(registry, scan("dispense", "E2"), A, "t4"))).toBe("repeat");
    expect(registry.raised.map((a) => [a.first.hospitalId, a.repeat.hospitalId])).toEqual([
      ["bd001", "ts001"],
      ["bd001", "bd001"],
    ]);
    await expect(applyTraceScan(registry, scan("return", "E9"), B, "t5")).rejects.toMatchObject({ kind: "conflict" });
    expect(outcomeOf(await applyTraceScan(registry, scan("return", "E1"), A, "t6"))).toBe("released");
    await expect(applyTraceScan(registry, scan("return", "E1"), A, "t7")).rejects.toMatchObject({ kind: "conflict" });
    expect(outcomeOf(await applyTraceScan(registry, scan("dispense", "E9"), B, "t8"))).toBe("first");
  });

  it("names the codes a hospital may not claim: dispensed while another's was in force, or its own repeat", async () => {
    const registry = memoryRegistry();
    const [one, two, three, never] = ["81234567890123450001", "81234567890123450002", "81234567890123450003", "81234567890123450004"];
    await applyTraceScan(registry, { code: one, event: "dispense", encounter: "E1" }, A, "t1");
    await applyTraceScan(registry, { code: one, event: "dispense", encounter: "E9" }, B, "t2"); // B repeats A's
    await applyTraceScan(registry, { code: two, event: "dispense", encounter: "E1" }, A, "t3");
    await applyTraceScan(registry, { code: three, event: "dispense", encounter: "E1" }, A, "t4");
    await applyTraceScan(registry, { code: three, event: "dispense", encounter: "E2" }, A, "t5"); // A repeats its own
    const all = [one, two, three, never];
    expect((await reusedTraceCodes(registry, A.hospitalId, all)).reused).toEqual([three]);
    expect((await reusedTraceCodes(registry, B.hospitalId, all)).reused).toEqual([one, two, three]);
    // A's return of two releases it: B may dispense and claim it then
    await applyTraceScan(registry, { code: two, event: "return", encounter: "E1" }, A, "t6");
    await applyTraceScan(registry, { code: two, event: "dispense", encounter: "E9" }, B, "t7");
    expect((await reusedTraceCodes(registry, B.hospitalId, all)).reused).toEqual([one, three]);
  });
});
