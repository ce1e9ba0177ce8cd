import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatGs1, formatHibcc, gtin14Of, hibccCheckChar, type ParsedUdi, parseUdi } from "#domain/drugs/udi.ts";

const GS = "\u001d";
const problem = (text: string) => {
  const parsed = parseUdi(text);
  return parsed.ok ? undefined : parsed.problem;
};

describe("GS1 UDIs", () => {
  it("parses the human-readable form: DI, expiry, lot, serial, manufacture date", () => {
    expect(parseUdi("(01)00844588003288(11)240115(17)281231(10)7654321D(21)SN-10")).toEqual({
      ok: true,
      udi: {
        issuer: "GS1",
        di: "00844588003288",
        manufactureDate: "2024-01-15",
        expiryDate: "2028-12-31",
        lot: "7654321D",
        serial: "SN-10",
      },
    });
  });

  it("parses the scanned form, with its symbology prefix and a GS after a variable field", () => {
    expect(parseUdi(`]d2010084458800328817281200${"10"}LOT-1${GS}21ABC`)).toEqual({
      ok: true,
      udi: { issuer: "GS1", di: "00844588003288", expiryDate: "2028-12-31", lot: "LOT-1", serial: "ABC" },
    });
  });

  it("names the fault", () => {
    expect(problem("(01)00844588003289(10)L1")).toMatch(/\(01\): wrong GTIN check digit 9: GS1 mod 10 gives 8/);
    expect(problem("(01)0084458800328(10)L1")).toMatch(/\(01\): a GTIN-14 is 14 digits/);
    expect(problem("(01)00844588003288(17)281331")).toMatch(/\(17\): "281331" is not a date/);
    expect(problem("(01)00844588003288(11)230230")).toMatch(/\(11\): "230230" is not a date/);
    expect(problem("(10)LOT1")).toMatch(/device identifier \(01\) is missing/);
    expect(problem("(01)00844588003288(99)X")).toMatch(/unsupported application identifier \(99\)/);
    expect(problem("(01)00844588003288(10)L1(10)L2")).toMatch(/\(10\) appears twice/);
    expect(problem("(01)00844588003288(10)")).toMatch(/\(10\): lot must be 1 to 20/);
    expect(problem("0100844588003288990")).toMatch(/unsupported application identifier "99"/);
    expect(problem("(01)00844588003288junk")).toMatch(/14 digits/);
    expect(problem("")).toMatch(/empty/);
    expect(problem("ABC")).toMatch(/neither GS1/);
  });
});

describe("HIBCC UDIs", () => {
  it("checks the published example's mod-43 character and parses its primary data", () => {
    expect(hibccCheckChar("+A123BJC5D6E71")).toBe("G");
    expect(parseUdi("+A123BJC5D6E71G")).toEqual({ ok: true, udi: { issuer: "HIBCC", di: "A123BJC5D6E71" } });
  });

  it("parses lot, serial, expiry and manufacture date", () => {
    const text = formatHibcc({ di: "A123BJC5D6E71", lot: "LOT42", expiryDate: "2029-06-30", manufactureDate: "2025-02-03" });
    expect(text.startsWith("+A123BJC5D6E71/$$3290630LOT42/16D20250203")).toBe(true);
    expect(parseUdi(text)).toEqual({
      ok: true,
      udi: { issuer: "HIBCC", di: "A123BJC5D6E71", lot: "LOT42", expiryDate: "2029-06-30", manufactureDate: "2025-02-03" },
    });
    expect(parseUdi(formatHibcc({ di: "H9990ABC1", serial: "S-1" }))).toMatchObject({ ok: true, udi: { serial: "S-1" } });
  });

  it("names the fault", () => {
    expect(problem("+A123BJC5D6E71H")).toMatch(/wrong check character "H": mod 43 gives "G"/);
    const bad = (data: string) => problem(data + hibccCheckChar(data));
    expect(bad("+1123BJC5")).toMatch(/primary data/);
    expect(bad("+A123BJC5D6E71/X")).toMatch(/secondary data/);
    expect(bad("+A123BJC5D6E71/$$3291331LOT")).toMatch(/expiry "291331"/);
    expect(bad("+A123BJC5D6E71/$LOT/16D20251301")).toMatch(/manufacture date/);
    expect(bad("+A123BJC5D6E71/$")).toMatch(/lot must be 1 to 18/);
    expect(problem("+a123")).toMatch(/only 0-9, A-Z/);
  });
});

// ——— round trips of generated UDIs ———

const date = fc
  .date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2099-12-31T00:00:00Z"), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const gs1Value = fc.stringMatching(/^[A-Za-z0-9\-./]{1,20}$/);
const hibcValue = fc.stringMatching(/^[A-Z0-9\-.]{1,18}$/);
const gtin = fc.stringMatching(/^[0-9]{13}$/).map(gtin14Of);

const gs1Udi = fc.record({ di: gtin, lot: gs1Value, serial: gs1Value, manufactureDate: date, expiryDate: date }, { requiredKeys: ["di"] });
const hibccUdi = fc
  .record({
    di: fc.stringMatching(/^[A-Z][A-Z0-9]{3}[A-Z0-9]{1,18}[0-9]$/),
    value: hibcValue,
    serial: fc.boolean(),
    expiryDate: fc.option(date, { nil: undefined }),
    manufactureDate: fc.option(date, { nil: undefined }),
    withSecondary: fc.boolean(),
  })
  .map(({ di, value, serial, expiryDate, manufactureDate, withSecondary }): Omit<ParsedUdi, "issuer"> => {
    if (!withSecondary) return { di };
    return {
      di,
      ...(serial ? { serial: value } : { lot: value }),
      ...(expiryDate ? { expiryDate } : {}),
      ...(manufactureDate ? { manufactureDate } : {}),
    };
  });

describe("generated UDIs round-trip", () => {
  it("GS1, human-readable and scanned", () => {
    fc.assert(
      fc.property(gs1Udi, fc.constantFrom("hri" as const, "scanned" as const), (udi, form) => {
        expect(parseUdi(formatGs1(udi, form))).toEqual({ ok: true, udi: { issuer: "GS1", ...udi } });
      }),
      { numRuns: 500 },
    );
  });

  it("HIBCC", () => {
    fc.assert(
      fc.property(hibccUdi, (udi) => {
        expect(parseUdi(formatHibcc(udi))).toEqual({ ok: true, udi: { issuer: "HIBCC", ...udi } });
      }),
      { numRuns: 500 },
    );
  });

  it("a changed letter or digit of a HIBCC UDI is caught by its check character", () => {
    const chars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    fc.assert(
      fc.property(hibccUdi, fc.nat(), fc.integer({ min: 1, max: 35 }), (udi, pick, shift) => {
        const text = formatHibcc(udi);
        const at = 1 + (pick % (text.length - 2));
        const i = chars.indexOf(text[at]!);
        if (i < 0) return; // a separator: changing it changes the structure, not just the value
        const changed = text.slice(0, at) + chars[(i + shift) % 36] + text.slice(at + 1);
        // one character's value moves by 1 to 35, so the sum moves by a non-zero amount mod 43
        expect(problem(changed)).toMatch(/wrong check character/);
      }),
    );
  });
});
