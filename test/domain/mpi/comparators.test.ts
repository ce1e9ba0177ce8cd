import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  compareAddresses,
  compareBirthDates,
  compareNamePart,
  comparePhones,
  compareSex,
  compareTypedIds,
  jaroWinkler,
  normalizePhone,
  withinOneEdit,
} from "#domain/mpi/comparators.ts";
import { fuzzyName, fuzzySyllable } from "#domain/mpi/pinyin.ts";

describe("names", () => {
  it.each([
    ["伟", "伟", "exact"],
    ["伟", "玮", "homophone"], // wei / wei
    ["丽娜", "莉娜", "homophone"],
    ["海燕", "海艳", "homophone"],
    ["思琪", "斯琪", "homophone"], // si / si
    ["乐", "悦", "homophone"], // 乐 also reads yue
    ["宁", "玲", "near-homophone"], // ning / ling: n/l and in/ing folded
    ["志强", "子强", "near-homophone"], // zhi / zi
    ["晶", "金", "near-homophone"], // jing / jin
    ["文", "问", "homophone"],
    ["明", "明明", "dropped"], // one 明 left out
    ["华斌", "华", "dropped"], // 李华斌 typed 李华: the second character left out
    ["思然", "然", "dropped"],
    ["子涵", "子轩", "partial"], // twins' names: one character shared, the other sounding apart
    ["建国", "建军", "partial"],
    ["丽", "娜丽娜", "partial"], // contained, but more than one character longer
    ["伟", "芳", "different"],
    ["", "芳", "missing"],
  ] as const)("given names %s / %s are %s", (a, b, level) => {
    expect(compareNamePart(a, b, "given")).toBe(level);
    expect(compareNamePart(b, a, "given")).toBe(level);
  });

  it("reads family names as surnames and compares typed pinyin", () => {
    expect(compareNamePart("张", "章", "family")).toBe("homophone");
    expect(compareNamePart("陈", "程", "family")).toBe("near-homophone"); // chen / cheng
    expect(compareNamePart("欧阳", "欧", "family")).toBe("partial"); // "dropped" is for given names
    expect(compareNamePart("明", "明明", "family")).not.toBe("dropped");
    expect(compareNamePart("晓明", "xiaoming", "given")).toBe("homophone");
    expect(compareNamePart("晓明", "xiao ming", "given")).toBe("homophone");
    expect(compareNamePart("单", "shan", "family")).toBe("homophone"); // 单 as a surname reads shan
  });

  it("folds the common pinyin confusions", () => {
    expect(["zhang", "zang", "chen", "cheng", "shi", "nan", "lan", "ning", "ling"].map(fuzzySyllable)).toEqual([
      "zan",
      "zan",
      "cen",
      "cen",
      "si",
      "lan",
      "lan",
      "lin",
      "lin",
    ]);
    expect(fuzzyName("张", "伟")).toBe(fuzzyName("章", "玮"));
    expect(fuzzyName("刘", "宁")).toBe(fuzzyName("牛", "玲")); // liu/niu, ning/ling
  });

  it("computes Jaro–Winkler like the published examples", () => {
    expect(jaroWinkler("MARTHA", "MARHTA")).toBeCloseTo(0.961, 3);
    expect(jaroWinkler("DWAYNE", "DUANE")).toBeCloseTo(0.84, 3);
    expect(jaroWinkler("DIXON", "DICKSONX")).toBeCloseTo(0.813, 3);
    expect(jaroWinkler("", "A")).toBe(0);
  });

  it("property: Jaro–Winkler stays within [0, 1] and is 1 only for equal strings", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        const s = jaroWinkler(a, b);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1 + 1e-12);
        if (a !== b) expect(s).toBeLessThan(1);
      }),
    );
  });

  it("counts one edit", () => {
    expect(withinOneEdit("jing", "jin")).toBe(true);
    expect(withinOneEdit("hua", "huan")).toBe(true);
    expect(withinOneEdit("wei", "hui")).toBe(false);
    expect(withinOneEdit("li", "lu")).toBe(true);
  });
});

describe("birth dates", () => {
  it.each([
    ["1985-03-12", "1985-03-12", "exact"],
    ["1985-03-12", "1985-12-03", "swap"],
    ["1985-03-12", "1985-03-13", "day"], // one day apart, however many digits differ
    ["1985-05-19", "1985-05-20", "day"],
    ["1985-05-31", "1985-06-01", "day"],
    ["1984-12-31", "1985-01-01", "day"],
    ["1985-03-12", "1985-03-18", "slip"],
    ["1985-03-12", "1955-03-12", "slip"],
    ["1985-05-19", "1985-05-21", "same-year"],
    ["1985-03-12", "1985-07-30", "same-year"],
    ["1985-03-12", "1960-05-20", "different"],
    ["1985-03-12", undefined, "missing"],
  ] as const)("%s / %s is %s", (a, b, level) => {
    expect(compareBirthDates(a, b)).toBe(level);
    expect(compareBirthDates(b, a)).toBe(level);
  });
});

describe("sex, phones, addresses, typed numbers", () => {
  it("compares sex, other and unknown carrying no evidence", () => {
    expect(compareSex("male", "male")).toBe("same");
    expect(compareSex("male", "female")).toBe("different");
    expect(compareSex("male", "unknown")).toBe("missing");
    expect(compareSex(undefined, "other")).toBe("missing");
  });

  it("normalizes phones and drops placeholders", () => {
    expect(normalizePhone("+86 139-1234-5678")).toBe("13912345678");
    expect(normalizePhone("0086 13912345678")).toBe("13912345678");
    expect(normalizePhone("13800000000")).toBeUndefined();
    expect(normalizePhone("123")).toBeUndefined();
    expect(comparePhones("13912345678", "+8613912345678")).toBe("exact");
    expect(comparePhones("0311-86754321", "86754321")).toBe("last8");
    expect(comparePhones("13912345678", "15833334444")).toBe("different");
    expect(comparePhones("13912345678", "13800000000")).toBe("missing");
    expect(normalizePhone("12345678")).toBeUndefined();
  });

  it("compares addresses by character bigrams after dropping the province", () => {
    const full = "河北省石家庄市长安区建设路12号阳光小区3号楼2单元301室";
    expect(compareAddresses(full, "石家庄市长安区建设路12号阳光小区3号楼2单元301室")).toBe("same");
    expect(compareAddresses(full, "建设路12号阳光小区3号楼2单元301室")).toBe("same");
    expect(compareAddresses("石家庄市长安区建设路12号", "石家庄市长安区建设路18号阳光小区")).toBe("similar");
    expect(compareAddresses(full, "唐山市迁西县小庄镇柳高村137号")).toBe("different");
    expect(compareAddresses(full, "")).toBe("missing");
  });

  it("sees a mistyped ID number as one edit from the right one", () => {
    expect(compareTypedIds("130102198503120017", "130102198503120018")).toBe("one-edit");
    expect(compareTypedIds("130102198503120017", "130102198530120017")).toBe("one-edit"); // transposition
    expect(compareTypedIds("130102198503120017", "130102198512030017")).toBe("different");
    expect(compareTypedIds("130102198503120017", undefined)).toBe("missing");
  });
});
