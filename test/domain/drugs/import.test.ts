import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { codeKey, entryKeys } from "#domain/drugs/catalogue.ts";
import { readDeltaFile } from "#domain/drugs/delta-file.ts";
import { generateDrugCatalogue } from "#lib/seed/drugs.ts";
import type { CatalogueRecord, DrugCatalogueStore, VersionLog } from "#ports/drugs.ts";
import type { CatalogueEntry, CatalogueVersionMessageV1 } from "#schemas/drugs.ts";
import { importDelta } from "#use-cases/drugs/import.ts";
import { changedSince } from "#use-cases/drugs/resolve.ts";

/** The DrugCatalogue table in memory, as adapters/drug-catalogue.ts keeps it */
function memoryCatalogue(seed: CatalogueEntry[]) {
  const records = new Map<string, CatalogueRecord>();
  const logs = new Map<number, VersionLog>();
  let version = 1;
  for (const entry of seed)
    for (const key of entryKeys(entry)) records.set(key, { entry, version: 1, lastUpdated: "2026-01-01T00:00:00.000Z" });
  logs.set(1, { version: 1, lastUpdated: "2026-01-01T00:00:00.000Z", drugs: seed.map((e) => e.nationalDrugCode), published: true });
  const store: DrugCatalogueStore & { crashAfterClaim?: boolean } = {
    byKey: async (key) => records.get(key),
    byKeys: async (keys) => new Map(keys.flatMap((k) => (records.has(k) ? [[k, records.get(k)!] as const] : []))),
    currentVersion: async () => version,
    claimVersion: async (previous) => {
      if (previous !== version) return false;
      version++;
      return true;
    },
    putVersionLog: async (log) => {
      logs.set(log.version, log);
      if (store.crashAfterClaim) throw new Error("crashed");
    },
    versionLog: async (v) => logs.get(v),
    markPublished: async (v) => void logs.set(v, { ...logs.get(v)!, published: true }),
    putRecords: async (written, stale) => {
      for (const record of written) for (const key of entryKeys(record.entry)) records.set(key, record);
      for (const key of stale) records.delete(key);
    },
  };
  const sent: CatalogueVersionMessageV1[] = [];
  const send = async (message: CatalogueVersionMessageV1) => void sent.push(message);
  return { store, records, sent, send };
}

const seed = generateDrugCatalogue(20);
const secret = randomBytes(32);
const pageKey = async () => secret;
const recategorised = (e: CatalogueEntry): CatalogueEntry => ({ ...e, category: e.category === "A" ? "B" : "A" });

describe("importing a delta", () => {
  it("makes one version of what changed, and nothing of the same delta again", async () => {
    const { store, records, send, sent } = memoryCatalogue(seed);
    const delta = { entries: [recategorised(seed[0]!), seed[1]!] };
    expect(await importDelta(store, delta, "2026-02-01T00:00:00.000Z", send)).toEqual({ version: 2, changed: 1, unchanged: 1 });
    expect(await importDelta(store, delta, "2026-02-02T00:00:00.000Z", send)).toEqual({ version: 2, changed: 0, unchanged: 2 });
    expect(records.get(codeKey("insurance", seed[0]!.insuranceCode))).toMatchObject({
      version: 2,
      entry: { category: recategorised(seed[0]!).category },
    });
    const listed = await changedSince(store, { _lastUpdated: ["gt2026-01-15T00:00:00Z"] }, "2026-02-03", pageKey);
    expect(listed.entry.map((e) => e.resource.id)).toEqual([seed[0]!.nationalDrugCode]);
    expect((await changedSince(store, { _lastUpdated: ["ge2026-01-01"] }, "2026-02-03", pageKey)).total).toBe(20);
    // version 2 went to the insurance platform once, in force from its day (China Standard Time)
    const { insuranceCode, nationalDrugCode, category, validFrom, validTo } = recategorised(seed[0]!);
    expect(sent).toEqual([
      {
        type: "catalogue-version",
        version: 1,
        catalogueVersion: 2,
        inForceFrom: "2026-02-01",
        part: 0,
        parts: 1,
        entries: [{ insuranceCode, nationalDrugCode, category, validFrom, validTo }],
        withdrawn: [],
      },
    ]);
  });

  it("sends a large version in parts of at most 500 drugs, each drug once", async () => {
    const many = generateDrugCatalogue(1_200);
    const { store, sent, send } = memoryCatalogue(many);
    expect(await importDelta(store, { entries: many.map(recategorised) }, "2026-02-01T17:00:00.000Z", send)).toMatchObject({
      version: 2,
      changed: 1_200,
    });
    expect(sent.map((m) => [m.part, m.parts, m.entries.length, m.inForceFrom])).toEqual([
      [0, 3, 500, "2026-02-02"],
      [1, 3, 500, "2026-02-02"],
      [2, 3, 200, "2026-02-02"],
    ]);
    expect(new Set(sent.flatMap((m) => m.entries.map((e) => e.nationalDrugCode))).size).toBe(1_200);
  });

  it("sends a version whose sending failed with the next import; a moved insurance code goes as withdrawn", async () => {
    const { store, sent } = memoryCatalogue(seed);
    let down = true;
    const flaky = async (message: CatalogueVersionMessageV1) => {
      if (down) throw new Error("queue down");
      sent.push(message);
    };
    const delta = { entries: [recategorised(seed[3]!)] };
    await expect(importDelta(store, delta, "2026-02-01T00:00:00.000Z", flaky)).rejects.toThrow("queue down");
    down = false;
    expect(await importDelta(store, delta, "2026-02-02T00:00:00.000Z", flaky)).toEqual({ version: 2, changed: 0, unchanged: 1 });
    expect(sent.map((m) => [m.catalogueVersion, m.inForceFrom, m.entries.map((e) => e.nationalDrugCode)])).toEqual([
      [2, "2026-02-01", [seed[3]!.nationalDrugCode]],
    ]);
    const old = seed[4]!.insuranceCode;
    const moved = { ...seed[4]!, insuranceCode: `${old.slice(0, 17)}${old.slice(17) === "999999" ? "999998" : "999999"}` };
    expect(await importDelta(store, { entries: [moved] }, "2026-02-03T00:00:00.000Z", flaky)).toMatchObject({ version: 3 });
    expect(sent[1]).toMatchObject({ catalogueVersion: 3, withdrawn: [old], entries: [{ insuranceCode: moved.insuranceCode }] });
  });

  it("completes an import interrupted after its claim: the next one writes what the first did not", async () => {
    const { store, records, send } = memoryCatalogue(seed);
    const delta = { entries: [recategorised(seed[2]!)] };
    store.crashAfterClaim = true;
    await expect(importDelta(store, delta, "2026-02-01T00:00:00.000Z", send)).rejects.toThrow("crashed");
    store.crashAfterClaim = false;
    expect(await importDelta(store, delta, "2026-02-01T00:01:00.000Z", send)).toEqual({ version: 3, changed: 1, unchanged: 0 });
    expect(records.get(codeKey("national", seed[2]!.nationalDrugCode))?.version).toBe(3);
  });

  it("refuses a code two entries of the delta share, or another drug holds, naming the field", async () => {
    const { store, send } = memoryCatalogue(seed);
    await expect(
      importDelta(store, { entries: [seed[0]!, { ...seed[1]!, insuranceCode: seed[0]!.insuranceCode }] }, "t", send),
    ).rejects.toMatchObject({
      kind: "invalid",
      issues: [{ expression: "entries.1.insuranceCode" }],
    });
    await expect(
      importDelta(store, { entries: [{ ...recategorised(seed[1]!), insuranceCode: seed[0]!.insuranceCode }] }, "t", send),
    ).rejects.toMatchObject({
      kind: "conflict",
      issues: [{ expression: "entries.0.insuranceCode" }],
    });
    expect(await store.currentVersion()).toBe(1);
  });

  it("refuses a malformed _lastUpdated naming it", async () => {
    const { store } = memoryCatalogue(seed);
    for (const bad of [undefined, ["2026-01-01"], ["lt2026-01-01"], ["gtyesterday"], ["gt2026-01-01", "gt2026-01-02"]])
      await expect(changedSince(store, { _lastUpdated: bad }, "2026-02-01", pageKey), String(bad)).rejects.toMatchObject({
        issues: [{ expression: "_lastUpdated" }],
      });
  });

  it("pages the change list in national drug code order: every changed drug once, a token bound to the query", async () => {
    const { store } = memoryCatalogue(seed);
    const all: string[] = [];
    let params: Record<string, string[]> = { _lastUpdated: ["ge2026-01-01"], _count: ["7"] };
    for (let pages = 0; pages < 10; pages++) {
      const bundle = await changedSince(store, params, "2026-02-01", pageKey);
      expect(bundle.total).toBe(20);
      expect(bundle.entry.length).toBeLessThanOrEqual(7);
      all.push(...bundle.entry.map((e) => e.resource.id));
      const next = bundle.link.find((l) => l.relation === "next")?.url;
      if (!next) break;
      params = Object.fromEntries([...new URLSearchParams(next.slice(next.indexOf("?") + 1))].map(([k, v]) => [k, [v]]));
    }
    expect(all).toEqual(seed.map((e) => e.nationalDrugCode).sort());
    const token = params._pageToken![0]!;
    await expect(
      changedSince(store, { _lastUpdated: ["ge2026-01-02"], _count: ["7"], _pageToken: [token] }, "2026-02-01", pageKey),
    ).rejects.toMatchObject({ issues: [{ expression: "_pageToken" }] });
    await expect(changedSince(store, { _lastUpdated: ["ge2026-01-01"], foo: ["1"] }, "2026-02-01", pageKey)).rejects.toMatchObject({
      issues: [{ expression: "foo" }],
    });
  });
});

describe("the delta file", () => {
  it("reads JSON lines, skipping blank lines, and names a line it cannot read", () => {
    expect(readDeltaFile('{"a":1}\n\n{"b":"x"}\n', "jsonl")).toEqual({ ok: true, rows: [{ a: 1 }, { b: "x" }] });
    expect(readDeltaFile('{"a":1}\n[1]\n', "jsonl")).toEqual({ ok: false, problem: "line 2: not a JSON object" });
    expect(readDeltaFile('{"a":1}\n{oops\n', "jsonl")).toMatchObject({ ok: false, problem: expect.stringMatching(/^line 2: /) });
  });

  it("reads CSV with quoted commas and quotes; an empty gtin is absent, an empty validTo null", () => {
    const csv = 'name,gtin,validTo,strength\r\n"片剂（0.5g, ""缓释""）",,,0.5g\r\n';
    expect(readDeltaFile(csv, "csv")).toEqual({ ok: true, rows: [{ name: '片剂（0.5g, "缓释"）', validTo: null, strength: "0.5g" }] });
    expect(readDeltaFile("a,b\n1\n", "csv")).toEqual({ ok: false, problem: "line 2: 1 fields, the header names 2" });
    expect(readDeltaFile('a,b\n"1,2\n', "csv")).toEqual({ ok: false, problem: "line 2: unbalanced quotes" });
    expect(readDeltaFile("a,b\n", "csv")).toMatchObject({ ok: false });
  });
});
