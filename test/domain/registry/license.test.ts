import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isValidLicense, licenseProblems, licenseType, luhnCheckDigit, makeLicense } from "#domain/registry/license.ts";

describe("Luhn check digit", () => {
  it("matches the ISO/IEC 7812-1 worked example", () => {
    // 7992739871 → check 3 (the textbook example)
    expect(luhnCheckDigit("7992739871")).toBe("3");
    expect(luhnCheckDigit("0")).toBe("0");
  });

  it("catches every single-digit change", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 11, maxLength: 14 }),
        fc.nat(),
        fc.integer({ min: 1, max: 9 }),
        (digits, at, delta) => {
          const payload = digits.join("");
          const i = at % payload.length;
          const changed = payload.slice(0, i) + String((Number(payload[i]) + delta) % 10) + payload.slice(i + 1);
          expect(luhnCheckDigit(changed)).not.toBe(luhnCheckDigit(payload));
        },
      ),
    );
  });
});

describe("licence formats", () => {
  const physician = makeLicense({ type: "physician", division: "130602", level: 1, category: 1, year: 2012, serial: 345 });
  const nurse = makeLicense({ type: "nurse", prefecture: "1306", year: 2008, serial: 1234 });
  const pharmacist = makeLicense({ type: "pharmacist", prefecture: "1301", year: 2019, serial: 77 });

  it("assembles each kind from its documented parts", () => {
    // 13060211120345: doubled from the right 5,3,2,1,2,6,3 → 1+6+4+2+4+3+6 = 26, the others 4,0,1,1,0,0,1 = 7; 33 → 7
    expect(physician).toBe("130602111203457");
    // 13060801234: doubled 4,2,0,0,0,1 → 8+4+0+0+0+2 = 14, the others 3,1,8,6,3 = 21; 35 → 5
    expect(nurse).toBe("130608012345");
    // 13011900077 (ZY aside): doubled 7,0,0,1,0,1 → 5+0+0+2+0+2 = 9, the others 7,0,9,1,3 = 20; 29 → 1
    expect(pharmacist).toBe("1301ZY19000771");
    expect([physician, nurse, pharmacist].map(licenseType)).toEqual(["physician", "nurse", "pharmacist"]);
  });

  it.each([
    ["a wrong check digit", "130602111203454", /check digit '4', expected '7'/],
    ["a prefecture outside Hebei", "110602111203457", /not a physician licence/],
    ["prefecture 12 (there are 11)", `1312${"0".repeat(7)}0`, /not a nurse licence/],
    ["an assistant level 3", "130602311203457", /not a physician licence/],
    ["a category 5", "130602151203457", /not a physician licence/],
    ["letters where digits belong", "1306A2111203457", /not a physician licence/],
    ["a pharmacist number without ZY", "1301XY19000771", /is not a licence number/],
    ["13 digits", "1306021112034", /physician 15 digits, nurse 12 digits/],
  ])("refuses %s, saying why", (_label, value, reason) => {
    expect(isValidLicense(value)).toBe(false);
    expect(licenseProblems(value).join("; ")).toMatch(reason);
  });

  it("accepts every licence it makes, and only with its own check digit", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("physician", "nurse", "pharmacist"),
        fc.integer({ min: 1, max: 11 }),
        fc.integer({ min: 1980, max: 2030 }),
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 1, max: 9 }),
        (type, prefecture, year, serial, delta) => {
          const code = `13${String(prefecture).padStart(2, "0")}`;
          const value =
            type === "physician"
              ? makeLicense({ type, division: `${code}21`, level: 2, category: 3, year, serial })
              : makeLicense({ type: type as "nurse" | "pharmacist", prefecture: code, year, serial });
          expect(licenseType(value)).toBe(type);
          const wrong = value.slice(0, -1) + String((Number(value.at(-1)) + delta) % 10);
          expect(isValidLicense(wrong)).toBe(false);
        },
      ),
    );
  });

  it("refuses to make a licence from parts outside the format", () => {
    expect(() => makeLicense({ type: "physician", division: "110101", level: 1, category: 1, year: 2010, serial: 1 })).toThrow(/physician/);
    expect(() => makeLicense({ type: "nurse", prefecture: "1306", year: 2010, serial: 123456 })).toThrow(/nurse/);
  });
});
