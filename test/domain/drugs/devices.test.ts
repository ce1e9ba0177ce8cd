import { describe, expect, it } from "vitest";
import { deviceDefinition, diProblems } from "#domain/drugs/devices.ts";
import { parseUdi } from "#domain/drugs/udi.ts";
import { generateDeviceRegistry, udiOf } from "#lib/seed/devices.ts";
import type { DeviceRegistryStore } from "#ports/drugs.ts";
import type { DeviceEntry } from "#schemas/drugs.ts";
import { deviceDefinitionOf, importDevices } from "#use-cases/drugs/devices.ts";

const seed = generateDeviceRegistry();

function memoryRegistry(entries: DeviceEntry[]): DeviceRegistryStore & { writes: number } {
  const held = new Map(entries.map((e) => [e.di, e]));
  const store = {
    writes: 0,
    byDis: async (dis: string[]) => new Map(dis.flatMap((di) => (held.has(di) ? [[di, held.get(di)!] as const] : []))),
    put: async (written: DeviceEntry[]) => {
      store.writes++;
      for (const e of written) held.set(e.di, e);
    },
  };
  return store;
}

describe("the seed's device registry", () => {
  it("holds valid, distinct DIs, GS1 and HIBCC, each of whose printed UDIs parses back to it", () => {
    expect(seed.every((e) => diProblems(e.di).length === 0)).toBe(true);
    expect(new Set(seed.map((e) => e.di)).size).toBe(seed.length);
    const issuers = new Set(seed.map((e) => deviceDefinition(e).udiDeviceIdentifier[0]!.issuer));
    expect(issuers.size).toBe(2);
    for (const entry of seed) {
      const parsed = parseUdi(udiOf(entry, "L2026-01"));
      expect(parsed, entry.di).toMatchObject({ ok: true, udi: { di: entry.di, lot: "L2026-01" } });
    }
  });

  it("refuses a GTIN with a wrong check digit, a short one, or a malformed HIBCC DI", () => {
    const gs1 = seed.find((e) => /^[0-9]/.test(e.di))!.di;
    const wrong = gs1.slice(0, 13) + ((Number(gs1[13]) + 1) % 10);
    expect(diProblems(wrong)[0]).toMatch(/check digit/);
    expect(diProblems(gs1.slice(1))[0]).toMatch(/GTIN-14/);
    expect(diProblems("H12")[0]).toMatch(/HIBCC/);
  });
});

describe("importing device types", () => {
  it("writes what changed once; the same delta again changes nothing", async () => {
    const registry = memoryRegistry(seed.slice(0, 10));
    const delta = { entries: [{ ...seed[0]!, name: "髋关节假体 新型号" }, seed[1]!, seed[20]!] };
    expect(await importDevices(registry, delta)).toEqual({ changed: 2, unchanged: 1 });
    expect(await importDevices(registry, delta)).toEqual({ changed: 0, unchanged: 3 });
    expect(registry.writes).toBe(1);
    expect(await deviceDefinitionOf(registry, seed[20]!.di)).toMatchObject({ deviceName: [{ name: seed[20]!.name }] });
    expect(await deviceDefinitionOf(registry, seed[30]!.di)).toBeUndefined();
  });

  it("refuses a malformed or repeated DI naming the entry, and applies nothing", async () => {
    const registry = memoryRegistry([]);
    await expect(importDevices(registry, { entries: [seed[0]!, { ...seed[1]!, di: "0691234500001" }] })).rejects.toMatchObject({
      kind: "invalid",
      issues: [{ expression: "entries.1.di" }],
    });
    await expect(importDevices(registry, { entries: [seed[0]!, { ...seed[1]!, di: seed[0]!.di }] })).rejects.toMatchObject({
      issues: [{ expression: "entries.1.di" }],
    });
    await expect(deviceDefinitionOf(registry, "x")).rejects.toMatchObject({ issues: [{ expression: "di" }] });
    expect(registry.writes).toBe(0);
  });
});
