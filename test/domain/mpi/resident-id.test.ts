import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkResidentId, convertLegacyResidentId, makeResidentId, residentIdCheckChar } from "#domain/mpi/resident-id.ts";

const TODAY = { today: "2025-06-30" };

/** Weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2; check = "10X98765432"[sum mod 11]. */
describe("check character (ISO 7064 MOD 11-2)", () => {
  it("computes the standard's own examples", () => {
    // 1·7 + 1·9 + 0 + 1·5 + 0 + 5·4 + 1·2 + 9·1 + 4·6 + 9·3 + 1·7 + 2·9 + 3·10 + 1·5 + 0 + 0 + 2·2 = 167;
    // 167 mod 11 = 2 → X
    expect(residentIdCheckChar("11010519491231002")).toBe("X");
    // 4·7 + 4·9 + 0 + 5·5 + 2·8 + 4·4 + 1·2 + 8·1 + 8·6 + 0 + 0 + 1·9 + 0 + 1·5 + 0 + 0 + 1·2 = 195;
    // 195 mod 11 = 8 → 4
    expect(residentIdCheckChar("44052418800101001")).toBe("4");
  });

  it("computes Hebei numbers by hand", () => {
    // 1·7 + 3·9 + 0 + 1·5 + 0 + 2·4 + 1·2 + 9·1 + 8·6 + 5·3 + 0 + 3·9 + 1·10 + 2·5 + 0 + 0 + 1·2 = 170;
    // 170 mod 11 = 5 → 7
    expect(residentIdCheckChar("13010219850312001")).toBe("7");
    // 1·7 + 3·9 + 0 + 6·5 + 0 + 2·4 + 1·2 + 9·1 + 9·6 + 0 + 0 + 1·9 + 0 + 1·5 + 0 + 0 + 2·2 = 155;
    // 155 mod 11 = 1 → 0
    expect(residentIdCheckChar("13060219900101002")).toBe("0");
  });

  it("refuses a body that is not 17 digits", () => {
    expect(() => residentIdCheckChar("1306021990010100")).toThrow(/17 digits/);
    expect(() => residentIdCheckChar("1306021990010100A")).toThrow(/17 digits/);
  });
});

describe("checkResidentId", () => {
  it("reads a valid number: birth date, sex from the parity of the 17th digit, region", () => {
    expect(checkResidentId("11010519491231002x", TODAY)).toEqual({
      kind: "valid",
      normalized: "11010519491231002X",
      birthDate: "1949-12-31",
      sex: "female",
      regionCode: "110105",
    });
    expect(checkResidentId(" 130102198503120017 ", TODAY)).toMatchObject({ kind: "valid", sex: "male", birthDate: "1985-03-12" });
  });

  it("folds full-width digits typed with a Chinese input method", () => {
    expect(checkResidentId("１３０１０２１９８５０３１２００１７", TODAY)).toMatchObject({
      kind: "valid",
      normalized: "130102198503120017",
    });
  });

  it("converts a legacy 15-digit number (19xx century, check appended)", () => {
    expect(convertLegacyResidentId("130102850312001")).toBe("130102198503120017");
    expect(checkResidentId("130102850312001", TODAY)).toEqual({
      kind: "legacy-converted",
      normalized: "130102198503120017",
      birthDate: "1985-03-12",
      sex: "male",
      regionCode: "130102",
    });
    expect(() => convertLegacyResidentId("13010285031200")).toThrow(/15 digits/);
  });

  it("flags a wrong check character and an impossible birth date, keeping the number", () => {
    expect(checkResidentId("130102198503120018", TODAY)).toEqual({
      kind: "bad-check",
      normalized: "130102198503120018",
      regionCode: "130102",
    });
    const feb30 = `13010219850230001`;
    expect(checkResidentId(feb30 + residentIdCheckChar(feb30), TODAY)).toMatchObject({ kind: "impossible-date" });
    const future = `13010220300101001`;
    expect(checkResidentId(future + residentIdCheckChar(future), TODAY)).toMatchObject({ kind: "impossible-date" });
    const month13 = `13010219851301001`;
    expect(checkResidentId(month13 + residentIdCheckChar(month13), TODAY).kind).toBe("impossible-date");
  });

  it.each(["", "13010219850312001", "1301021985031200177", "13010219850312001Y", "X30102198503120017", "13010285031200X"])(
    "calls %j malformed",
    (value) => {
      expect(checkResidentId(value, TODAY)).toEqual({ kind: "malformed" });
    },
  );
});

const body = fc
  .record({
    region: fc.integer({ min: 110_000, max: 829_999 }),
    day: fc.integer({ min: 0, max: 45_000 }),
    sequence: fc.integer({ min: 0, max: 999 }),
  })
  .map(({ region, day, sequence }) => {
    const date = new Date(Date.UTC(1900, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
    return { id: makeResidentId(String(region), date, String(sequence).padStart(3, "0")), date, sequence };
  });

describe("properties", () => {
  it("the check character makes any well-dated body valid, and the number reads back", () => {
    fc.assert(
      fc.property(body, ({ id, date, sequence }) => {
        const check = checkResidentId(id, TODAY);
        expect(check.kind).toBe("valid");
        expect(check.birthDate).toBe(date);
        expect(check.sex).toBe(sequence % 2 === 1 ? "male" : "female");
      }),
    );
  });

  it("changing any one character invalidates the number", () => {
    const position = fc.integer({ min: 0, max: 17 });
    const replacement = fc.constantFrom(..."0123456789X");
    fc.assert(
      fc.property(body, position, replacement, ({ id }, i, ch) => {
        fc.pre(ch !== id.charAt(i) && (i === 17 || ch !== "X"));
        expect(checkResidentId(id.slice(0, i) + ch + id.slice(i + 1), TODAY).kind).toBe("bad-check");
      }),
    );
  });

  it("swapping two adjacent different digits invalidates the number", () => {
    fc.assert(
      fc.property(body, fc.integer({ min: 0, max: 15 }), ({ id }, i) => {
        fc.pre(id.charAt(i) !== id.charAt(i + 1));
        const swapped = id.slice(0, i) + id.charAt(i + 1) + id.charAt(i) + id.slice(i + 2);
        expect(checkResidentId(swapped, TODAY).kind).toBe("bad-check");
      }),
    );
  });

  it("a legacy number of the 1900s converts to the valid 18-character number it abbreviates", () => {
    fc.assert(
      fc.property(body, ({ id }) => {
        fc.pre(id.slice(6, 8) === "19");
        expect(convertLegacyResidentId(id.slice(0, 6) + id.slice(8, 17))).toBe(id);
      }),
    );
  });
});
