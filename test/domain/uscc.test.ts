import { describe, expect, it } from "vitest";
import { isValidUscc, makeUscc, orgCodeCheckChar, USCC_ALPHABET, usccCheckChar, usccProblems } from "#domain/uscc.ts";
import { createRng } from "#lib/seed/prng.ts";

/**
 * Published codes of real companies, recalled from public registration records. A random 18-character
 * string passes both independent checks with probability 1/(11·31) = 1/341, so six of them passing is
 * strong evidence that the algorithm (and the recall) is right.
 */
const PUBLISHED = [
  "914403001922038216", // 华为技术有限公司
  "91110108551385082Q", // 北京小米科技有限责任公司
  "9144030071526726XG", // 腾讯科技（深圳）有限公司
  "91110000802100433B",
  "91330100799655058B",
  "91310000607216596U",
];

describe("check characters", () => {
  it("computes the GB 11714 organisation-code check", () => {
    // 5·3 + 5·7 + 1·9 + 3·10 + 8·5 + 5·8 + 0·4 + 8·2 = 185; 185 mod 11 = 9; 11 − 9 = 2
    expect(orgCodeCheckChar("55138508")).toBe("2");
    // 6·2 = 12; 12 mod 11 = 1; 11 − 1 = 10 → X
    expect(orgCodeCheckChar("00000006")).toBe("X");
    // 0 mod 11 = 0; 11 − 0 = 11 → 0
    expect(orgCodeCheckChar("00000000")).toBe("0");
    // 7·3 + 1·7 + 5·9 + 2·10 + 6·5 + 7·8 + 2·4 + 6·2 = 199 → 199 mod 11 = 1 → X
    expect(orgCodeCheckChar("71526726")).toBe("X");
  });

  it("computes the GB 32100 check and maps 31 to '0'", () => {
    expect(usccCheckChar("00000000000000000")).toBe("0");
    expect(usccCheckChar("91110108551385082")).toBe("Q");
  });

  it("builds hand-computed vectors", () => {
    // org body 40000001: 4·3 + 1·2 = 14; 14 mod 11 = 3 → check 8.
    // 12130682400000018 · weights: 1·1 + 2·3 + 1·9 + 3·27 + 0·19 + 6·26 + 8·16 + 2·17 + 4·20 + 1·30 + 8·28
    //   = 1 + 6 + 9 + 81 + 156 + 128 + 34 + 80 + 30 + 224 = 749; 749 mod 31 = 5; 31 − 5 = 26 → 'T'
    expect(makeUscc({ authority: "1", category: "2", divisionCode: "130682", orgBody8: "40000001" })).toBe("12130682400000018T");
    // org body MJ01A2B3 (GB 11714 values M=22, J=19, A=10, B=11):
    //   22·3 + 19·7 + 0·9 + 1·10 + 10·5 + 2·8 + 11·4 + 3·2 = 325; 325 mod 11 = 6 → check 5.
    // 52130102MJ01A2B35 (31-char values M=21, J=18, A=10, B=11):
    //   5 + 6 + 9 + 81 + 0 + 26 + 0 + 34 + 21·20 + 18·29 + 0 + 13 + 80 + 48 + 110 + 90 + 140 = 1584;
    //   1584 mod 31 = 3; 31 − 3 = 28 → 'W'
    expect(makeUscc({ authority: "5", category: "2", divisionCode: "130102", orgBody8: "MJ01A2B3" })).toBe("52130102MJ01A2B35W");
  });

  it.each(PUBLISHED)("accepts the published code %s", (code) => {
    expect(usccProblems(code)).toEqual([]);
    expect(isValidUscc(code)).toBe(true);
  });

  it("reassembles the published codes from their parts", () => {
    for (const code of PUBLISHED) {
      const rebuilt = makeUscc({ authority: code[0]!, category: code[1]!, divisionCode: code.slice(2, 8), orgBody8: code.slice(8, 16) });
      expect(rebuilt).toBe(code);
    }
  });
});

describe("rejections", () => {
  const good = "91110108551385082Q";

  it.each(["", "91110108551385082", "91110108551385082QQ"])("rejects the wrong length %j", (code) => {
    expect(isValidUscc(code)).toBe(false);
    expect(usccProblems(code).join()).toMatch(/length is \d+, expected 18/);
  });

  it.each(["I", "O", "S", "V", "Z", "a", "-"])("rejects the illegal character %s", (ch) => {
    const code = `${good.slice(0, 10)}${ch}${good.slice(11)}`;
    expect(isValidUscc(code)).toBe(false);
    expect(usccProblems(code)).toEqual([expect.stringContaining(`illegal character '${ch}' at position 11`)]);
  });

  it("rejects a wrong check character, naming the expected one", () => {
    const code = `${good.slice(0, 17)}R`;
    expect(isValidUscc(code)).toBe(false);
    expect(usccProblems(code)).toEqual(["check character is 'R', expected 'Q'"]);
  });

  it("rejects a wrong organisation-code check even when the final check is recomputed", () => {
    const first17 = `${good.slice(0, 16)}3`;
    const code = first17 + usccCheckChar(first17);
    expect(usccProblems(code)).toEqual(["organisation code 551385083 has check character '3', expected '2'"]);
    expect(isValidUscc(code)).toBe(false);
  });

  it("rejects a division code that is not 6 digits", () => {
    const first17 = `911101A8${good.slice(8, 17)}`;
    const code = first17 + usccCheckChar(first17);
    expect(usccProblems(code)).toEqual(["administrative division code '1101A8' is not 6 digits"]);
  });

  it("refuses to make a code from malformed parts", () => {
    const parts = { authority: "1", category: "2", divisionCode: "130102", orgBody8: "40000001" };
    expect(() => makeUscc({ ...parts, orgBody8: "4000000I" })).toThrow(/organisation code body/);
    expect(() => makeUscc({ ...parts, orgBody8: "4000001" })).toThrow(/organisation code body/);
    expect(() => makeUscc({ ...parts, divisionCode: "13010" })).toThrow(/division code/);
    expect(() => makeUscc({ ...parts, authority: "O" })).toThrow(/authority/);
    expect(() => makeUscc({ ...parts, category: "22" })).toThrow(/category/);
  });
});

describe("property: generated codes validate and every single-character change is caught", () => {
  const rng = createRng("test/uscc/property");
  const randomCode = (): string => {
    const chars = (alphabet: string, n: number): string =>
      Array.from({ length: n }, () => alphabet.charAt(rng.int(0, alphabet.length - 1))).join("");
    return makeUscc({
      authority: rng.pick(["1", "5", "9", "Y"]),
      category: rng.pick(["1", "2", "3", "9"]),
      divisionCode: `13${chars("0123456789", 4)}`,
      orgBody8: chars(USCC_ALPHABET, 8),
    });
  };
  const sample = Array.from({ length: 200 }, randomCode);

  it("every generated code is valid", () => {
    for (const code of sample) expect(usccProblems(code), code).toEqual([]);
  });

  it("every substitution of one character by another invalidates the code", () => {
    let mutations = 0;
    for (const code of sample) {
      for (let i = 0; i < code.length; i++) {
        for (const ch of USCC_ALPHABET) {
          if (ch === code[i]) continue;
          const mutated = code.slice(0, i) + ch + code.slice(i + 1);
          if (isValidUscc(mutated)) expect.fail(`${mutated} (from ${code}, position ${i + 1}) still validates`);
          mutations++;
        }
      }
    }
    expect(mutations).toBe(200 * 18 * 30);
  });
});
