/**
 * Drugs and devices through the local province (docs/drugs-devices.md): any of a seeded drug's codes
 * resolves at a city to its one catalogue entry at the hub; a malformed code or a wrong check digit is
 * a 400 naming `code`, an unknown valid code an empty Bundle; a city parses GS1 and HIBCC UDIs.
 * One province for the file; the exhaustive formats and the round trips are in test/domain/drugs/.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gtin14, gtinCheckDigit, nationalDrugCode } from "#domain/drugs/codes.ts";
import { formatGs1, formatHibcc } from "#domain/drugs/udi.ts";
import { generateDrugCatalogue } from "#lib/seed/drugs.ts";
import { encounterSystem } from "#schemas/documents.ts";
import type { CatalogueEntry } from "#schemas/drugs.ts";
import { GTIN_SYSTEM, INSURANCE_DRUG_CODE_SYSTEM, NATIONAL_DRUG_CODE_SYSTEM } from "#schemas/drugs.ts";
import { advanceClock, call, startTestProvince, type TestProvince } from "../support/province.ts";

let t: TestProvince;
const catalogue = generateDrugCatalogue();

type Json = Record<string, unknown>;
const hospital = () => t.credentials.hospitals.find((h) => h.cityId === "handan")!;
const resolve = (code: string) => {
  const h = hospital();
  return call(`${t.province.url}/cities/${h.cityId}/fhir/MedicationKnowledge?code=${encodeURIComponent(code)}`, { token: h.credential });
};
const parseUdi = (udi: string) => {
  const h = hospital();
  return call(`${t.province.url}/cities/${h.cityId}/fhir/Device/$parse-udi`, {
    token: h.credential,
    body: { resourceType: "Parameters", parameter: [{ name: "udi", valueString: udi }] },
  });
};
const resources = (bundle: Json | undefined) => ((bundle?.entry ?? []) as { resource: Json }[]).map((e) => e.resource);
const issue = (outcome: Json | undefined) => ((outcome?.issue ?? []) as { diagnostics: string; expression?: string[] }[])[0]!;

beforeAll(async () => {
  t = await startTestProvince();
}, 180_000);
afterAll(async () => {
  await t?.province.stop();
});

describe("the drug catalogue, resolved at a city", () => {
  it("resolves each of a drug's codes, bare or with its system, to the same one entry", async () => {
    const imported = catalogue.filter((e) => e.gtin)[7]!;
    const codes = [
      imported.nationalDrugCode,
      imported.insuranceCode,
      imported.gtin!,
      `${NATIONAL_DRUG_CODE_SYSTEM}|${imported.nationalDrugCode}`,
      `${INSURANCE_DRUG_CODE_SYSTEM}|${imported.insuranceCode}`,
      `${GTIN_SYSTEM}|${gtin14(imported.gtin!)}`,
    ];
    for (const code of codes) {
      const res = await resolve(code);
      expect(res.status, code).toBe(200);
      expect(res.json).toMatchObject({ resourceType: "Bundle", type: "searchset", total: 1 });
      const [drug] = resources(res.json);
      expect(drug).toMatchObject({
        resourceType: "MedicationKnowledge",
        id: imported.nationalDrugCode,
        manufacturer: { display: imported.manufacturer },
      });
      expect(drug!.extension).toContainEqual({
        url: "https://hebei.health/fhir/StructureDefinition/insurance-category",
        valueCode: imported.category,
      });
      expect((drug!.code as { coding: { code: string }[] }).coding.map((c) => c.code)).toEqual([
        imported.nationalDrugCode,
        imported.insuranceCode,
        gtin14(imported.gtin!),
      ]);
    }
  }, 120_000);

  it("answers an unknown valid code with an empty Bundle", async () => {
    const known = new Set(catalogue.map((e) => e.nationalDrugCode));
    const unknown = nationalDrugCode("9999999999");
    expect(known.has(unknown)).toBe(false);
    for (const code of [unknown, "XA01ABD075A002999999999", "4006381333931"]) {
      const res = await resolve(code);
      expect(res.status, code).toBe(200);
      expect(res.json).toMatchObject({ resourceType: "Bundle", type: "searchset", total: 0 });
      expect(resources(res.json)).toEqual([]);
    }
  });

  it("refuses a malformed code or a wrong check digit with a 400 naming `code` and the fault", async () => {
    const good = catalogue[0]!.nationalDrugCode;
    const wrongCheck = good.slice(0, 13) + String((Number(good[13]) + 1) % 10);
    const cases: [string, RegExp][] = [
      [wrongCheck, /national drug code .*wrong check digit/],
      [good.slice(0, 12), /GTIN .*8, 12, 13 or 14 digits|check digit/],
      ["4006381333932", /GTIN .*wrong GTIN check digit 2/],
      ["XA01ABD075A00201010048", /insurance drug code .*23 characters/],
      ["http://example.org/codes|123", /unknown code system/],
    ];
    for (const [code, diagnostics] of cases) {
      const res = await resolve(code);
      expect(res.status, code).toBe(400);
      expect(res.json?.resourceType).toBe("OperationOutcome");
      expect(issue(res.json).expression).toEqual(["code"]);
      expect(issue(res.json).diagnostics, code).toMatch(diagnostics);
    }
    const none = await call(`${t.province.url}/cities/handan/fhir/MedicationKnowledge`, { token: hospital().credential });
    expect(none.status).toBe(400);
    expect(issue(none.json).expression).toEqual(["code"]);
  });
});

describe("the dashboard", () => {
  it("counts the cities' resolutions per minute", async () => {
    const summary = async () => {
      const res = await call(`${t.province.url}/hub/ops/summary`, { token: t.credentials.operator });
      const a = ((res.json?.activity ?? {}) as Record<string, { perMinute: number; thisMinute: number; lastMinutes: number[] }>)
        .drugLookups!;
      return a.perMinute + a.thisMinute + a.lastMinutes.reduce((x, y) => x + y, 0);
    };
    const before = await summary();
    for (const entry of catalogue.slice(10, 13)) expect((await resolve(entry.nationalDrugCode)).status).toBe(200);
    expect((await resolve("86900001000010")).status).toBe(400); // refused: not a resolution
    expect(await summary()).toBe(before + 3);
  });
});

describe("UDI parsing at a city", () => {
  const udi = { di: "00844588003288", lot: "L2026-07", serial: "SN42", manufactureDate: "2026-01-15", expiryDate: "2029-01-31" };
  const values = (parameters: Json | undefined) =>
    Object.fromEntries(
      ((parameters?.parameter ?? []) as { name: string; valueString?: string; valueDate?: string }[]).map((p) => [
        p.name,
        p.valueString ?? p.valueDate,
      ]),
    );

  it("parses GS1, human-readable and scanned, and HIBCC", async () => {
    for (const text of [formatGs1(udi, "hri"), formatGs1(udi, "scanned")]) {
      const res = await parseUdi(text);
      expect(res.status).toBe(200);
      expect(values(res.json)).toEqual({ issuer: "GS1", ...udi });
    }
    const hibcc = { di: "A123BJC5D6E71", lot: "LOT42", expiryDate: "2029-06-30" };
    const res = await parseUdi(formatHibcc(hibcc));
    expect(res.status).toBe(200);
    expect(values(res.json)).toEqual({ issuer: "HIBCC", ...hibcc });
  });

  it("refuses a fault with a 400 naming the udi parameter and the fault", async () => {
    for (const [text, fault] of [
      ["(01)00844588003289(10)L1", /wrong GTIN check digit/],
      ["+A123BJC5D6E71H", /wrong check character/],
      ["(01)00844588003288(17)291331", /not a date/],
    ] as const) {
      const res = await parseUdi(text);
      expect(res.status).toBe(400);
      expect(issue(res.json).expression).toEqual(["Parameters.parameter.udi"]);
      expect(issue(res.json).diagnostics).toMatch(fault);
    }
    const h = hospital();
    const empty = await call(`${t.province.url}/cities/${h.cityId}/fhir/Device/$parse-udi`, {
      token: h.credential,
      body: { resourceType: "Parameters", parameter: [] },
    });
    expect(empty.status).toBe(400);
    expect(issue(empty.json).expression?.[0]).toMatch(/parameter/);
  });
});

describe("the daily delta", () => {
  const operator = () => t.credentials.operator;
  const importDelta = (entries: unknown[]) => call(`${t.province.url}/hub/drugs/import`, { token: operator(), body: { entries } });
  const changedSince = (instant: string) =>
    call(`${t.province.url}/hub/fhir/MedicationKnowledge?_lastUpdated=${encodeURIComponent(`gt${instant}`)}`, { token: operator() });
  const fresh = (n: number): CatalogueEntry => {
    const gtinBody = `400638${String(900_000 + n)}`;
    return {
      nationalDrugCode: nationalDrugCode(`99${String(n).padStart(8, "0")}`),
      insuranceCode: `XN02BEB019A00001${String(9_900_000 + n)}`,
      gtin: gtinBody + gtinCheckDigit(gtinBody),
      name: `对乙酰氨基酚片（0.5g×${n}）`,
      genericName: "对乙酰氨基酚",
      dosageForm: "片剂",
      strength: "0.5g",
      manufacturer: "拜耳医药保健有限公司",
      category: "A",
      validFrom: "2026-01-01",
      validTo: null,
    };
  };

  it("applies a delta once: a new version, the changes listed after it; the same delta again changes nothing", async () => {
    const before = await advanceClock(t.province, 60);
    const changed = { ...catalogue[1]!, category: catalogue[1]!.category === "C" ? ("B" as const) : ("C" as const) };
    const entries = [fresh(1), fresh(2), changed, catalogue[2]!];
    const first = await importDelta(entries);
    expect(first.status).toBe(200);
    expect(first.json).toEqual({ version: 2, changed: 3, unchanged: 1 });
    const again = await importDelta(entries);
    expect(again.json).toEqual({ version: 2, changed: 0, unchanged: 4 });

    const listed = await changedSince(before);
    expect(listed.status).toBe(200);
    expect(resources(listed.json).map((r) => r.id)).toEqual(
      [changed.nationalDrugCode, fresh(1).nationalDrugCode, fresh(2).nationalDrugCode].sort(),
    );
    expect(resources(listed.json).every((r) => (r.meta as { versionId: string }).versionId === "2")).toBe(true);
    const resolved = resources((await resolve(fresh(2).gtin!)).json);
    expect(resolved.map((r) => r.id)).toEqual([fresh(2).nationalDrugCode]);
    expect(resources((await resolve(changed.insuranceCode)).json)[0]!.extension).toContainEqual({
      url: "https://hebei.health/fhir/StructureDefinition/insurance-category",
      valueCode: changed.category,
    });
    // nothing after the re-import: the list after the first import's time is empty
    const after = await advanceClock(t.province, 1);
    expect((await changedSince(after)).json).toMatchObject({ total: 0 });
  });

  it("moves a drug's insurance code: the old one resolves to nothing, the new one to the drug", async () => {
    const entry = fresh(1);
    const moved = { ...entry, insuranceCode: `XN02BEB019A00001${String(9_800_001)}` };
    expect((await importDelta([moved])).json).toMatchObject({ version: 3, changed: 1 });
    expect((await resolve(entry.insuranceCode)).json).toMatchObject({ total: 0 });
    expect(resources((await resolve(moved.insuranceCode)).json).map((r) => r.id)).toEqual([entry.nationalDrugCode]);
  });

  it("refuses a delta with a wrong check digit or another drug's code, naming the entry's field, and applies none of it", async () => {
    const wrong = {
      ...fresh(3),
      nationalDrugCode: `${fresh(3).nationalDrugCode.slice(0, 13)}${(Number(fresh(3).nationalDrugCode[13]) + 1) % 10}`,
    };
    const bad = await importDelta([fresh(4), wrong]);
    expect(bad.status).toBe(400);
    expect(issue(bad.json).expression).toEqual(["entries.1.nationalDrugCode"]);
    const taken = await importDelta([fresh(5), { ...fresh(6), insuranceCode: catalogue[3]!.insuranceCode }]);
    expect(taken.status).toBe(409);
    expect(issue(taken.json).expression).toEqual(["entries.1.insuranceCode"]);
    for (const n of [4, 5]) expect((await resolve(fresh(n).nationalDrugCode)).json, `fresh(${n})`).toMatchObject({ total: 0 });
  });

  it("is what `npm run operator -- drugs-import` applies from a CSV file", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "hhc-delta-"));
    const entry = { ...fresh(7), name: '对乙酰氨基酚片（0.5g×7, "缓释"）' };
    const fields = Object.keys(entry) as (keyof CatalogueEntry)[];
    const csvValue = (v: unknown) => (v === null ? "" : /[",]/.test(String(v)) ? `"${String(v).replaceAll('"', '""')}"` : String(v));
    writeFileSync(path.join(dir, "delta.csv"), `${fields.join(",")}\n${fields.map((f) => csvValue(entry[f])).join(",")}\n`);
    const { stdout } = await promisify(execFile)(
      path.resolve("node_modules/.bin/tsx"),
      ["scripts/operator.ts", "drugs-import", "--file", path.join(dir, "delta.csv")],
      {
        env: { ...process.env, HHC_HUB_URL: `${t.province.url}/hub`, HHC_OPERATOR_TOKEN: operator() },
      },
    );
    expect(JSON.parse(stdout)).toMatchObject({ changed: 1 });
    const [drug] = resources((await resolve(entry.nationalDrugCode)).json);
    expect((drug!.code as { text: string }).text).toBe(entry.name);
  }, 60_000);
});

describe("traceability codes", () => {
  const inCity = (cityId: string) => t.credentials.hospitals.find((h) => h.cityId === cityId && h.practitioners.length > 0)!;
  const scan = (
    h: ReturnType<typeof inCity>,
    code: string,
    event: string,
    encounter: string,
    practitioner: string | undefined = h.practitioners[0],
  ) =>
    call(`${t.province.url}/cities/${h.cityId}/fhir/$trace-scan`, {
      token: h.credential,
      headers: practitioner ? { "x-practitioner-id": practitioner } : {},
      body: {
        resourceType: "Parameters",
        parameter: [
          { name: "code", valueString: code },
          { name: "event", valueCode: event },
          { name: "encounter", valueReference: { identifier: { system: encounterSystem(h.id), value: encounter } } },
        ],
      },
    });
  const outcome = (res: { json?: Json }) =>
    Object.fromEntries(
      (
        (res.json?.parameter ?? []) as {
          name: string;
          valueCode?: string;
          valueString?: string;
          valueDateTime?: string;
          valueReference?: { reference: string };
        }[]
      ).map((p) => [p.name, p.valueCode ?? p.valueString ?? p.valueDateTime ?? p.valueReference?.reference]),
    );

  it("flags a code dispensed at two hospitals to the operator, with where and when it was first dispensed; a return releases it", async () => {
    const a = inCity("baoding");
    const b = inCity("tangshan");
    const code = "81234567890123450001";
    const first = await scan(a, code, "dispense", "E-TRACE-1");
    expect(first.status).toBe(200);
    expect(outcome(first)).toEqual({ outcome: "first" });
    // the same scan again (an FEP retrying) is the same dispense
    expect(outcome(await scan(a, code, "dispense", "E-TRACE-1"))).toEqual({ outcome: "first" });

    const repeat = await scan(b, code, "dispense", "E-TRACE-2");
    expect(repeat.status).toBe(200);
    const said = outcome(repeat);
    expect(said).toMatchObject({ outcome: "repeat", firstDispensedBy: `Organization/${a.id}`, firstDispensedIn: "baoding" });
    expect(Date.parse(said.firstDispensedAt!)).toBeGreaterThan(0);

    const alerts = await call(`${t.province.url}/hub/drugs/trace-alerts`, { token: t.credentials.operator });
    expect(alerts.status).toBe(200);
    const mine = (
      (alerts.json?.alerts ?? []) as { code: string; first: { hospitalId: string }; repeat: { hospitalId: string; cityId: string } }[]
    ).filter((x) => x.code === code);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      first: { hospitalId: a.id, encounter: "E-TRACE-1" },
      repeat: { hospitalId: b.id, cityId: "tangshan" },
    });

    const wrongReturn = await scan(b, code, "return", "E-TRACE-2");
    expect(wrongReturn.status).toBe(409);
    expect(issue(wrongReturn.json).expression).toEqual(["Parameters.parameter.code"]);
    expect(outcome(await scan(a, code, "return", "E-TRACE-1"))).toEqual({ outcome: "released" });
    expect(outcome(await scan(b, code, "dispense", "E-TRACE-2"))).toEqual({ outcome: "first" });
  });

  it("refuses a malformed code naming it, and a scan without a licensed practitioner", async () => {
    const a = inCity("baoding");
    const bad = await scan(a, "8123456789012345678", "dispense", "E-TRACE-3");
    expect(bad.status).toBe(400);
    expect(issue(bad.json).expression).toEqual(["Parameters.parameter.code"]);
    const nobody = await scan(a, "81234567890123450002", "dispense", "E-TRACE-3", "");
    expect(nobody.status).toBe(403);
    expect(issue(nobody.json).expression).toEqual(["X-Practitioner-Id"]);
  });
});
