import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { codeKey, entryKeys, entryProblems, medicationKnowledge, namedCode } from "#domain/drugs/catalogue.ts";
import {
  gtinCheckDigit,
  gtinProblems,
  insuranceDrugCodeProblems,
  mod11_10,
  nationalDrugCode,
  nationalDrugCodeProblems,
  traceCodeProblems,
} from "#domain/drugs/codes.ts";
import { generateDrugCatalogue, SEED_DRUG_COUNT } from "#lib/seed/drugs.ts";
import { GTIN_SYSTEM, INSURANCE_DRUG_CODE_SYSTEM, NATIONAL_DRUG_CODE_SYSTEM } from "#schemas/drugs.ts";

const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(""));
/** Another digit than `d` */
const otherDigit = (d: string, shift: number) => String((Number(d) + shift) % 10);

describe("ISO/IEC 7064 MOD 11,10 (GB 18937's check digit)", () => {
  it("gives the standard's worked example: 0794 → 5", () => {
    expect(mod11_10("0794")).toBe("5");
  });

  it("catches any single changed digit", () => {
    fc.assert(
      fc.property(digits(10), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 1, max: 9 }), (body, at, shift) => {
        const code = nationalDrugCode(body);
        expect(nationalDrugCodeProblems(code)).toEqual([]);
        const changed = code.slice(0, at) + otherDigit(code[at]!, shift) + code.slice(at + 1);
        expect(nationalDrugCodeProblems(changed)).not.toEqual([]);
      }),
    );
  });

  it("catches about 98 % of swaps of adjacent different digits (a hybrid system does not catch them all)", () => {
    let swaps = 0;
    let caught = 0;
    fc.assert(
      fc.property(digits(10), fc.integer({ min: 0, max: 12 }), (body, at) => {
        const code = nationalDrugCode(body);
        if (code[at] === code[at + 1]) return;
        swaps++;
        if (nationalDrugCodeProblems(code.slice(0, at) + code[at + 1] + code[at] + code.slice(at + 2)).length > 0) caught++;
      }),
      { numRuns: 5000, seed: 18 },
    );
    expect(caught / swaps).toBeGreaterThan(0.96);
    expect(caught).toBeLessThan(swaps);
  });
});

describe("national drug code (本位码)", () => {
  it("names what is wrong: length, characters, prefix, check digit", () => {
    const good = nationalDrugCode("0000100001");
    expect(good).toBe("86900001000019");
    expect(nationalDrugCodeProblems(good.slice(0, 13))[0]).toMatch(/14 digits; this one has 13/);
    expect(nationalDrugCodeProblems(`${good.slice(0, 13)}X`)[0]).toMatch(/other characters/);
    expect(nationalDrugCodeProblems(`85${good.slice(2)}`)[0]).toMatch(/starts 86/);
    expect(nationalDrugCodeProblems(`${good.slice(0, 13)}0`)[0]).toMatch(/wrong check digit 0: GB 18937 \(MOD 11,10\) gives 9/);
  });
});

describe("GTIN (GS1 mod 10)", () => {
  it("accepts published GTINs and refuses a changed digit", () => {
    for (const gtin of ["4006381333931", "00844588003288", "96385074", "036000291452"]) expect(gtinProblems(gtin), gtin).toEqual([]);
    expect(gtinProblems("4006381333932")[0]).toMatch(/wrong GTIN check digit 2: GS1 mod 10 gives 1/);
    expect(gtinProblems("400638133393")[0]).toMatch(/wrong GTIN check digit/);
    expect(gtinProblems("40063813339311")[0]).toMatch(/check digit/);
    expect(gtinProblems("4006381A")[0]).toMatch(/digits only/);
    expect(gtinProblems("12345")[0]).toMatch(/8, 12, 13 or 14 digits/);
  });

  it("round-trips generated bodies of every length, and catches any single changed digit", () => {
    fc.assert(
      fc.property(fc.constantFrom(7, 11, 12, 13).chain(digits), fc.nat(), fc.integer({ min: 1, max: 9 }), (body, pick, shift) => {
        const gtin = body + gtinCheckDigit(body);
        expect(gtinProblems(gtin)).toEqual([]);
        const at = pick % gtin.length;
        expect(gtinProblems(gtin.slice(0, at) + otherDigit(gtin[at]!, shift) + gtin.slice(at + 1))).not.toEqual([]);
      }),
    );
  });
});

describe("insurance drug code (23 characters)", () => {
  it("accepts the documented example and names the part that is malformed", () => {
    expect(insuranceDrugCodeProblems("XA01ABD075A002010100483")).toEqual([]);
    expect(insuranceDrugCodeProblems("ZA01AAA041B000010001234")).toEqual([]);
    expect(insuranceDrugCodeProblems("XA01ABD075A00201010048")[0]).toMatch(/23 characters; this one has 22/);
    expect(insuranceDrugCodeProblems("YA01ABD075A002010100483")[0]).toMatch(/starts X/);
    expect(insuranceDrugCodeProblems("XA0XABD075A002010100483")[0]).toMatch(/class/);
    expect(insuranceDrugCodeProblems("XA01AB0075A002010100483")[0]).toMatch(/generic name/);
    expect(insuranceDrugCodeProblems("XA01ABD0751002010100483")[0]).toMatch(/dosage form/);
    expect(insuranceDrugCodeProblems("XA01ABD075A00201010048X")[0]).toMatch(/specification and packaging/);
  });
});

describe("traceability code (20 digits)", () => {
  it("is 20 digits", () => {
    expect(traceCodeProblems("81234567890123456789")).toEqual([]);
    expect(traceCodeProblems("8123456789012345678")[0]).toMatch(/this one has 19/);
    expect(traceCodeProblems("8123456789012345678A")[0]).toMatch(/other characters/);
  });
});

describe("the code a search names", () => {
  it("tells the three codes apart bare, and takes a system", () => {
    expect(namedCode("86900001000019")).toEqual({ ok: true, kind: "national", value: "86900001000019" });
    expect(namedCode("XA01ABD075A002010100483")).toMatchObject({ ok: true, kind: "insurance" });
    expect(namedCode("4006381333931")).toEqual({ ok: true, kind: "gtin", value: "04006381333931" });
    expect(namedCode(`${NATIONAL_DRUG_CODE_SYSTEM}|86900001000019`)).toMatchObject({ ok: true, kind: "national" });
    expect(namedCode(`${INSURANCE_DRUG_CODE_SYSTEM}|XA01ABD075A002010100483`)).toMatchObject({ ok: true, kind: "insurance" });
    expect(namedCode(`${GTIN_SYSTEM}|00844588003288`)).toMatchObject({ ok: true, kind: "gtin" });
  });

  it("names the fault of a malformed code or a wrong check digit", () => {
    expect(namedCode("86900001000010")).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/national drug code .*wrong check digit/),
    });
    expect(namedCode("4006381333932")).toMatchObject({ ok: false, problem: expect.stringMatching(/GTIN .*check digit/) });
    expect(namedCode("XA01ABD075")).toMatchObject({ ok: false, problem: expect.stringMatching(/insurance drug code .*23 characters/) });
    expect(namedCode("aspirin")).toMatchObject({ ok: false });
    expect(namedCode("http://example.org|1")).toMatchObject({ ok: false, problem: expect.stringMatching(/unknown code system/) });
    // a system named like an Object member finds nothing inherited (the fuzzing bench's 500: `valueOf|…`)
    for (const system of ["valueOf", "__proto__", "constructor", "toString", "hasOwnProperty"])
      expect(namedCode(`${system}|86900001000019`), system).toMatchObject({
        ok: false,
        problem: expect.stringMatching(/unknown code system/),
      });
  });
});

describe("the seed's catalogue", () => {
  const catalogue = generateDrugCatalogue();

  it("holds several thousand entries, each with valid codes, each code naming one drug", () => {
    expect(catalogue).toHaveLength(SEED_DRUG_COUNT);
    const keys = new Map<string, string>();
    for (const entry of catalogue) {
      expect(entryProblems(entry), entry.nationalDrugCode).toEqual([]);
      for (const key of entryKeys(entry)) {
        expect(keys.get(key), key).toBeUndefined();
        keys.set(key, entry.nationalDrugCode);
      }
    }
    expect(catalogue.filter((e) => e.gtin).length).toBeGreaterThan(200);
    expect(new Set(catalogue.map((e) => e.category))).toEqual(new Set(["A", "B", "C"]));
  });

  it("is the same on every run", () => {
    expect(generateDrugCatalogue(50)).toEqual(catalogue.slice(0, 50));
  });

  it("is served as MedicationKnowledge carrying every code, the category and the validity", () => {
    const entry = catalogue.find((e) => e.gtin)!;
    const resource = medicationKnowledge(entry, { version: 3, lastUpdated: "2026-01-01T00:00:00Z", today: "2026-06-01" });
    expect(resource.code.coding.map((c) => c.system)).toEqual([NATIONAL_DRUG_CODE_SYSTEM, INSURANCE_DRUG_CODE_SYSTEM, GTIN_SYSTEM]);
    expect(resource.extension[0]).toEqual({
      url: "https://hebei.health/fhir/StructureDefinition/insurance-category",
      valueCode: entry.category,
    });
    expect(resource.status).toBe(entry.validTo && entry.validTo < "2026-06-01" ? "inactive" : "active");
    expect(entryKeys(entry)).toContain(codeKey("gtin", entry.gtin!.padStart(14, "0")));
  });
});
