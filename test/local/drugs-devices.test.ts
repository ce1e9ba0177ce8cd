/**
 * Drugs and devices through the local province (docs/drugs-devices.md): any of a seeded drug's codes
 * resolves at a city to its one catalogue entry at the hub; a malformed code or a wrong check digit is
 * a 400 naming `code`, an unknown valid code an empty Bundle; a city parses GS1 and HIBCC UDIs.
 * One province for the file; the exhaustive formats and the round trips are in test/domain/drugs/.
 */
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gtin14, gtinCheckDigit, nationalDrugCode } from "#domain/drugs/codes.ts";
import { formatGs1, formatHibcc } from "#domain/drugs/udi.ts";
import { cstDay } from "#domain/settlement/claim-response.ts";
import { type Hospital, register } from "#lib/harness/patients.ts";
import { type ClaimResponseLike, claimResponses, submit, totalsFen } from "#lib/harness/settlement.ts";
import { generateDeviceRegistry, udiOf } from "#lib/seed/devices.ts";
import { generateDrugCatalogue } from "#lib/seed/drugs.ts";
import { claimOf, encounterOf, residentAt, withImplants } from "#lib/world/index.ts";
import { encounterSystem } from "#schemas/documents.ts";
import type { CatalogueEntry } from "#schemas/drugs.ts";
import { GTIN_SYSTEM, INSURANCE_DRUG_CODE_SYSTEM, NATIONAL_DRUG_CODE_SYSTEM } from "#schemas/drugs.ts";
import { EMPI_SYSTEM, mrnSystem } from "#schemas/patient.ts";
import { INSURANCE_CATEGORY_EXTENSION } from "#schemas/settlement.ts";
import { advanceClock, call, queueSettled, startTestProvince, type TestProvince, waitFor } from "../support/province.ts";
import { scratchFolders } from "../support/scratch.ts";

let t: TestProvince;
const tempDir = scratchFolders();
const catalogue = generateDrugCatalogue();
const devices = generateDeviceRegistry();

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

/** An outpatient claim of 100.00 CNY per item at `h` for a new resident, its items as given */
let claimants = 0;
async function outpatientClaim(h: Hospital, number: string, serviceDate: string, items: Json[]) {
  const patient = await register(t.province.url, h, `DRUG-R${++claimants}`, residentAt(claimants + 900, "130602"));
  const claim = claimOf(h, number, patient, { kind: "professional", start: serviceDate, items: items.map(() => ["A", 100]) });
  return { ...claim, item: items.map((item, i) => ({ sequence: i + 1, net: { value: 100, currency: "CNY" }, ...item })) };
}
/** An item coded with an insurance drug code, no category typed (and a traceability code, if given) */
const drugItem = (insuranceCode: string, traceCode?: string): Json => ({
  productOrService: { coding: [{ system: INSURANCE_DRUG_CODE_SYSTEM, code: insuranceCode }] },
  ...(traceCode ? { extension: [{ url: "https://hebei.health/fhir/StructureDefinition/trace-code", valueString: traceCode }] } : {}),
});
const settledClaim = async (h: Hospital, number: string): Promise<ClaimResponseLike> =>
  (
    await waitFor(
      () => claimResponses(t.province.url, h, number),
      (rs) => rs.length > 0,
      60_000,
    )
  )[0]!;
const errorCodes = (r: ClaimResponseLike) => (r.error ?? []).map((e) => e.code.coding[0]!.code);
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
      const a = ((res.json?.activity ?? {}) as Record<string, { thisMinute: number; lastMinutes: number[] }>).drugLookups!;
      // the window's whole minutes and the current one: a minute turning between the two reads moves
      // lookups from thisMinute into lastMinutes, never out of the sum (perMinute repeats lastMinutes' last)
      return a.thisMinute + a.lastMinutes.reduce((x, y) => x + y, 0);
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

  it("adds the registry's DeviceDefinition of a registered DI; an imported device type is found once imported", async () => {
    const definitionOf = (parameters: Json | undefined) =>
      ((parameters?.parameter ?? []) as { name: string; resource?: Json }[]).find((p) => p.name === "definition")?.resource;
    for (const entry of [devices.find((e) => /^[0-9]/.test(e.di))!, devices.find((e) => !/^[0-9]/.test(e.di))!]) {
      const res = await parseUdi(udiOf(entry, "LOT-7"));
      expect(res.status, entry.di).toBe(200);
      expect(values(res.json)).toMatchObject({ di: entry.di, lot: "LOT-7" });
      expect(definitionOf(res.json)).toMatchObject({
        resourceType: "DeviceDefinition",
        id: entry.di,
        manufacturerString: entry.manufacturer,
        deviceName: [{ name: entry.name }],
      });
    }
    // not registered: the parts alone
    expect(definitionOf((await parseUdi(formatGs1(udi, "hri"))).json)).toBeUndefined();

    const body = `069${"77777"}${"00001"}`;
    const fresh = { ...devices[0]!, di: body + gtinCheckDigit(body), name: "冠状动脉药物洗脱支架 Z900", model: "Z900" };
    const importDevices = (entries: unknown[]) =>
      call(`${t.province.url}/hub/devices/import`, { token: t.credentials.operator, body: { entries } });
    expect((await importDevices([fresh])).json).toEqual({ changed: 1, unchanged: 0 });
    expect((await importDevices([fresh])).json).toEqual({ changed: 0, unchanged: 1 });
    expect(definitionOf((await parseUdi(udiOf(fresh, "A1"))).json)).toMatchObject({ id: fresh.di, modelNumber: "Z900" });
    const wrong = await importDevices([{ ...fresh, di: `${body}${(Number(gtinCheckDigit(body)) + 1) % 10}` }]);
    expect(wrong.status).toBe(400);
    expect(issue(wrong.json).expression).toEqual(["entries.0.di"]);
  });

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
    const dir = tempDir("hhc-delta-");
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

  it("rejects a claim whose item carries a code the hospital dispensed as a repeat; the first dispenser's claim is paid", async () => {
    const a = inCity("baoding");
    const b = inCity("tangshan");
    const code = "81234567890123450042";
    expect(outcome(await scan(a, code, "dispense", "E-TRACE-7"))).toMatchObject({ outcome: "first" });
    expect(outcome(await scan(b, code, "dispense", "E-TRACE-8"))).toMatchObject({ outcome: "repeat" });
    const day = cstDay(await advanceClock(t.province, 0));
    const drug = catalogue.find((e) => e.validTo === null && e.category === "A")!;
    const resold = await outpatientClaim(b, "TRACE-CLAIM-B", day, [drugItem(drug.insuranceCode, code)]);
    expect((await submit(t.province.url, b, resold)).status).toBe(202);
    const first = await outpatientClaim(a, "TRACE-CLAIM-A", day, [drugItem(drug.insuranceCode, code)]);
    expect((await submit(t.province.url, a, first)).status).toBe(202);
    const refused = await settledClaim(b, "TRACE-CLAIM-B");
    expect(refused.outcome).toBe("error");
    expect(errorCodes(refused)).toEqual(["trace-code-reused"]);
    expect(totalsFen(refused).benefit).toBe(0);
    const paid = await settledClaim(a, "TRACE-CLAIM-A");
    expect(paid.outcome).toBe("complete");
    expect(totalsFen(paid)).toMatchObject({ eligible: 10000, benefit: 5000 });
    // a malformed traceability code on an item is the claim's 400, naming it
    const bad = await outpatientClaim(a, "TRACE-CLAIM-BAD", day, [drugItem(drug.insuranceCode, "123")]);
    const res = await submit(t.province.url, a, bad);
    expect(res.status).toBe(400);
    expect(issue(res.json).expression).toEqual(["Claim.item.0.extension.0.valueString"]);
  }, 120_000);

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

describe("claims coded by insurance drug code", () => {
  const staffed = () => t.credentials.hospitals.find((h) => h.cityId === "baoding" && h.practitioners.length > 0)!;

  it("take the category of the catalogue version in force on the service date, from the insurance platform's copy", async () => {
    const h = staffed();
    const today = cstDay(await advanceClock(t.province, 0));
    const yesterday = cstDay(new Date(Date.parse(`${today}T12:00:00+08:00`) - 86_400_000).toISOString());
    // a drug in force, category A in the seed's version; the operator's delta moves it to B from today
    const drug = catalogue.filter((e) => e.validTo === null && e.category === "A" && e.validFrom < yesterday)[11]!;
    const a = await outpatientClaim(h, "DRUG-A", today, [drugItem(drug.insuranceCode)]);
    expect((await submit(t.province.url, h, a)).status).toBe(202);
    expect(totalsFen(await settledClaim(h, "DRUG-A"))).toMatchObject({ submitted: 10000, eligible: 10000, benefit: 5000 });

    const imported = await call(`${t.province.url}/hub/drugs/import`, {
      token: t.credentials.operator,
      body: { entries: [{ ...drug, category: "B" }] },
    });
    expect(imported.json).toMatchObject({ changed: 1 });
    await queueSettled(t.province, "hub", "DrugCatalogueVersions");

    // typed C by the hospital, but coded: the catalogue's B (90 %) today, A for yesterday's service
    const b = await outpatientClaim(h, "DRUG-B", today, [
      { ...drugItem(drug.insuranceCode), extension: [{ url: INSURANCE_CATEGORY_EXTENSION, valueCode: "C" }] },
    ]);
    const before = await outpatientClaim(h, "DRUG-YESTERDAY", yesterday, [drugItem(drug.insuranceCode)]);
    expect((await submit(t.province.url, h, b)).status).toBe(202);
    expect((await submit(t.province.url, h, before)).status).toBe(202);
    expect(totalsFen(await settledClaim(h, "DRUG-B"))).toMatchObject({ eligible: 9000, benefit: 4500 });
    expect(totalsFen(await settledClaim(h, "DRUG-YESTERDAY"))).toMatchObject({ eligible: 10000, benefit: 5000 });
  }, 180_000);

  it("rejects a claim whole for an unknown code, and refuses a malformed one naming it", async () => {
    const h = staffed();
    const today = cstDay(await advanceClock(t.province, 0));
    const known = catalogue.find((e) => e.validTo === null)!;
    const unknown = `${known.insuranceCode.slice(0, 17)}999999`;
    expect(catalogue.some((e) => e.insuranceCode === unknown)).toBe(false);
    const claim = await outpatientClaim(h, "DRUG-UNKNOWN", today, [drugItem(known.insuranceCode), drugItem(unknown)]);
    expect((await submit(t.province.url, h, claim)).status).toBe(202);
    const rejected = await settledClaim(h, "DRUG-UNKNOWN");
    expect(rejected.outcome).toBe("error");
    expect(errorCodes(rejected)).toEqual(["unknown-item-code"]);
    expect(totalsFen(rejected)).toEqual({ submitted: 20000, eligible: 0, deductible: 0, benefit: 0 });

    const malformed = await outpatientClaim(h, "DRUG-MALFORMED", today, [drugItem("XA01AB")]);
    const res = await submit(t.province.url, h, malformed);
    expect(res.status).toBe(400);
    expect(issue(res.json).expression).toEqual(["Claim.item.0.productOrService.coding.0.code"]);
    // neither the code nor the category: the item names what it lacks
    const neither = await outpatientClaim(h, "DRUG-NEITHER", today, [{ productOrService: { coding: [{ code: "bed" }] } }]);
    const none = await submit(t.province.url, h, neither);
    expect(none.status).toBe(400);
    expect(issue(none.json).expression).toEqual(["Claim.item.0.extension"]);
  }, 120_000);
});

describe("implanted devices and recalls", () => {
  // hospitals no other test of this file uses, so their inboxes hold only what this block sends
  const at = (cityId: string) => t.credentials.hospitals.filter((h) => h.cityId === cityId && h.practitioners.length > 0)[1]!;
  const [stent, otherStent] = devices.filter((d) => d.implantable && /^[0-9]/.test(d.di));
  const recall = (query: string) => call(`${t.province.url}/hub/devices/recall?${query}`, { token: t.credentials.operator });
  const issueRecall = (body: Json) => call(`${t.province.url}/hub/devices/recall`, { token: t.credentials.operator, body });
  let implanted = 0;
  /** Registers a new resident at `h` and records an encounter implanting these UDIs; the answer and the resident's EMPI */
  async function implant(h: Hospital, udis: string[]) {
    const n = ++implanted;
    const mrn = await register(t.province.url, h, `IMPL-R${n}`, residentAt(n + 1900, "130602"));
    const encounter = withImplants(encounterOf(h.id, `IMPL-E${n}`, mrn.value, true, "2026-11-02T09:00:00+08:00"), udis);
    const res = await call(`${t.province.url}/cities/${h.cityId}/fhir/Encounter`, {
      token: h.credential,
      headers: { "x-practitioner-id": h.practitioners[0]! },
      body: encounter,
    });
    return { res, body: encounter, empi: String((res.json?.subject as { identifier?: { value: string } } | undefined)?.identifier?.value) };
  }
  const residentsIn = (body: Json | undefined) =>
    ((body?.hospitals ?? []) as { hospitalId: string; implants: { empi: string; encounter: string; lot?: string }[] }[]).flatMap((g) =>
      g.implants.map((i) => `${g.hospitalId}|${i.empi}|${i.lot}`),
    );
  const recallNotices = async (h: Hospital) => {
    const res = await call(`${t.province.url}/cities/${h.cityId}/fep/inbox?wait=1&_count=100`, { token: h.credential });
    const got = ((res.json?.entry ?? []) as { resource: Json & { id: string; category?: { text: string }[] } }[]).map((e) => e.resource);
    for (const c of got) await call(`${t.province.url}/cities/${h.cityId}/fep/inbox/${c.id}/ack`, { token: h.credential, method: "POST" });
    return got.filter((c) => c.category?.some((k) => k.text === "device-recall"));
  };
  const given: Record<string, { h: Hospital; empi: string; encounterId: string; body: Json }> = {};

  beforeAll(async () => {
    const [a, b, c] = [at("chengde"), at("hengshui"), at("zhangjiakou")];
    const plans: [string, Hospital, string[]][] = [
      ["a-lot1", a, [udiOf(stent!, "RCL-1")]],
      ["b-lot1", b, [`(01)${stent!.di}(17)291231(10)RCL-1(21)SN-7`]],
      ["a-lot2", a, [udiOf(stent!, "RCL-2")]],
      ["c-other", c, [udiOf(otherStent!, "RCL-1")]],
    ];
    for (const [name, h, udis] of plans) {
      const { res, empi, body } = await implant(h, udis);
      expect(res.status, JSON.stringify(res.json)).toBe(201);
      given[name] = { h, empi, encounterId: String(res.json!.id), body };
    }
    await queueSettled(t.province, "hub", "Exchange");
  }, 120_000);

  it("records an encounter's implant: the Device contained, its patient the resident, indexed at the hub by DI and lot", async () => {
    const a = given["a-lot1"]!;
    const read = await call(`${t.province.url}/cities/${a.h.cityId}/fhir/Encounter/${a.encounterId}`, {
      token: a.h.credential,
      headers: { "x-practitioner-id": a.h.practitioners[0]! },
    });
    expect(read.status).toBe(200);
    const device = (read.json!.contained as Json[]).find((c) => c.resourceType === "Device")!;
    expect(device).toMatchObject({ udiCarrier: [{ carrierHRF: udiOf(stent!, "RCL-1") }], patient: { reference: `Patient/${a.empi}` } });
    expect(read.json!.extension).toEqual([
      { url: "https://hebei.health/fhir/StructureDefinition/implanted-device", valueReference: { reference: `#${device.id}` } },
    ]);
    // the same encounter posted again is indexed once
    const again = await call(`${t.province.url}/cities/${a.h.cityId}/fhir/Encounter`, {
      token: a.h.credential,
      headers: { "x-practitioner-id": a.h.practitioners[0]! },
      body: a.body,
    });
    expect(again.status).toBe(200);
    await queueSettled(t.province, "hub", "Exchange");
    const listed = await recall(`di=${stent!.di}&lot=RCL-1`);
    expect(residentsIn(listed.json).filter((r) => r.includes(a.empi))).toHaveLength(1);
  });

  it("refuses a carrier that does not parse, naming it, and records nothing", async () => {
    const h = at("chengde");
    const broken = `(01)${stent!.di.slice(0, 13)}${(Number(stent!.di[13]) + 1) % 10}(10)RCL-9`;
    const { res } = await implant(h, [udiOf(stent!, "RCL-9"), broken]);
    expect(res.status).toBe(400);
    expect(issue(res.json).expression).toEqual(["Encounter.contained[1].udiCarrier[0].carrierHRF"]);
    expect(issue(res.json).diagnostics).toMatch(/check digit/);
    const search = await call(
      `${t.province.url}/cities/${h.cityId}/fhir/Encounter?patient.identifier=${encodeURIComponent(`${mrnSystem(h.id)}|IMPL-R${implanted}`)}`,
      { token: h.credential, headers: { "x-practitioner-id": h.practitioners[0]! } },
    );
    expect(search.status).toBe(200);
    expect(search.json?.entry ?? []).toEqual([]);
    await queueSettled(t.province, "hub", "Exchange");
    expect(residentsIn((await recall(`di=${stent!.di}&lot=RCL-9`)).json)).toEqual([]);
  });

  it("lists exactly the residents given that lot (not another lot of the DI), every lot without one; audited; a bad DI is a 400", async () => {
    const row = (name: string, lot: string) => `${given[name]!.h.id}|${given[name]!.empi}|${lot}`;
    const lot1 = await recall(`di=${stent!.di}&lot=RCL-1`);
    expect(lot1.status).toBe(200);
    expect(lot1.json).toMatchObject({ di: stent!.di, lot: "RCL-1", residents: 2, definition: { id: stent!.di } });
    expect(residentsIn(lot1.json).sort()).toEqual([row("a-lot1", "RCL-1"), row("b-lot1", "RCL-1")].sort());
    const every = await recall(`di=${stent!.di}`);
    expect(residentsIn(every.json).sort()).toEqual([row("a-lot1", "RCL-1"), row("b-lot1", "RCL-1"), row("a-lot2", "RCL-2")].sort());
    const b = (every.json!.hospitals as { hospitalId: string; implants: Json[] }[]).find((g) => g.hospitalId === given["b-lot1"]!.h.id)!;
    expect(b.implants[0]).toMatchObject({
      encounter: `Encounter/${given["b-lot1"]!.encounterId}`,
      serial: "SN-7",
      expiryDate: "2029-12-31",
    });

    const audit = await call(
      `${t.province.url}/hub/fhir/AuditEvent?patient.identifier=${encodeURIComponent(`${EMPI_SYSTEM}|${given["b-lot1"]!.empi}`)}`,
      { token: t.credentials.operator },
    );
    const events = ((audit.json?.entry ?? []) as { resource: Json }[]).map((e) => JSON.stringify(e.resource));
    expect(events.some((e) => e.includes("devices/recall"))).toBe(true);

    const bad = await recall(`di=${stent!.di.slice(0, 13)}${(Number(stent!.di[13]) + 1) % 10}`);
    expect(bad.status).toBe(400);
    expect(issue(bad.json).expression).toEqual(["di"]);
  });

  it("issues a recall: one Communication per affected hospital naming its residents and encounters, once even if posted twice", async () => {
    const [a, b, c] = [given["a-lot1"]!, given["b-lot1"]!, given["c-other"]!];
    const first = await issueRecall({ di: stent!.di, lot: "RCL-1", reason: "sterile barrier breach" });
    expect(first.status, JSON.stringify(first.json)).toBe(201);
    expect(first.json).toMatchObject({ di: stent!.di, lot: "RCL-1", residents: 2, sent: true });
    await Promise.all([a.h.cityId, b.h.cityId].map((cityId) => queueSettled(t.province, cityId, "Push")));
    const atA = await recallNotices(a.h);
    const atB = await recallNotices(b.h);
    expect(atA).toHaveLength(1);
    expect(atB).toHaveLength(1);
    const refs = (comm: Json) => (comm.payload as { contentReference: { reference: string } }[]).map((p) => p.contentReference.reference);
    expect(refs(atA[0]!).sort()).toEqual([`Encounter/${a.encounterId}`, `Patient/${a.empi}`]); // not lot 2's resident at A
    expect(refs(atB[0]!).sort()).toEqual([`Encounter/${b.encounterId}`, `Patient/${b.empi}`]);
    expect(JSON.stringify(atA[0]!.note)).toContain("sterile barrier breach");
    expect(await recallNotices(c.h)).toEqual([]);

    const second = await issueRecall({ di: stent!.di, lot: "RCL-1", reason: "sterile barrier breach" });
    expect(second.status).toBe(200);
    expect(second.json).toMatchObject({ issuedAt: first.json!.issuedAt });
    await Promise.all([a.h.cityId, b.h.cityId].map((cityId) => queueSettled(t.province, cityId, "Push")));
    expect(await recallNotices(a.h)).toEqual([]);
    expect(await recallNotices(b.h)).toEqual([]);
  });
});
