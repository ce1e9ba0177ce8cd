/**
 * Drugs and devices through the local province (docs/drugs-devices.md): any of a seeded drug's codes
 * resolves at a city to its one catalogue entry at the hub; a malformed code or a wrong check digit is
 * a 400 naming `code`, an unknown valid code an empty Bundle; a city parses GS1 and HIBCC UDIs.
 * One province for the file; the exhaustive formats and the round trips are in test/domain/drugs/.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gtin14, nationalDrugCode } from "#domain/drugs/codes.ts";
import { formatGs1, formatHibcc } from "#domain/drugs/udi.ts";
import { generateDrugCatalogue } from "#lib/seed/drugs.ts";
import { GTIN_SYSTEM, INSURANCE_DRUG_CODE_SYSTEM, NATIONAL_DRUG_CODE_SYSTEM } from "#schemas/drugs.ts";
import { call, startTestProvince, type TestProvince } from "../support/province.ts";

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
