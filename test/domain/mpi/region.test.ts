/**
 * The county that issued a resident ID number against the county of a record's home (region.ts):
 * evidence for a pair where nothing else beyond name and birth date agrees, never counted twice with
 * a home that agrees already, and shared by a household like phone and address.
 */
import { describe, expect, it } from "vitest";
import { decide } from "#domain/mpi/decide.ts";
import { countyOfAddress, regionLevel } from "#domain/mpi/region.ts";
import { makeResidentId } from "#domain/mpi/resident-id.ts";
import { prepareRecord } from "#domain/mpi/scorer.ts";
import { residentOf, TODAY, without } from "./fixtures.ts";

const opts = { today: TODAY };
const QIANAN = "130283"; // 唐山市迁安市
const HOME = "河北省唐山市迁安市振兴路160号铁路宿舍3号楼2单元301室";
const person = {
  residentId: makeResidentId(QIANAN, "1987-05-19", "031"),
  family: "李",
  given: "华斌",
  sex: "male" as const,
  birthDate: "1987-05-19",
  phone: "13912345678",
  address: HOME,
};

describe("the county of an address", () => {
  it("is read from the prefecture and county names, with or without the province, or a county name only one division holds", () => {
    expect(countyOfAddress(HOME)).toBe(QIANAN);
    expect(countyOfAddress("唐山市迁安市振兴路160号")).toBe(QIANAN);
    expect(countyOfAddress("唐山迁安市振兴路160号")).toBe(QIANAN);
    expect(countyOfAddress("迁安市振兴路160号")).toBe(QIANAN);
    expect(countyOfAddress("河北省石家庄市桥西区中山路1号")).toBe("130104");
    expect(countyOfAddress("河北省邢台市桥西区中兴路1号")).not.toBe("130104");
  });

  it("is unknown for a county name several divisions hold, another province, or no address", () => {
    expect(countyOfAddress("桥西区中山路1号")).toBeUndefined(); // Shijiazhuang's, Xingtai's or Zhangjiakou's
    expect(countyOfAddress("北京市朝阳区建国路1号")).toBeUndefined();
    expect(countyOfAddress("")).toBeUndefined();
    expect(countyOfAddress(undefined)).toBeUndefined();
  });
});

describe("the county that issued a number against a home", () => {
  const known = residentOf("E0000000000012", without(person, "residentId")); // known without a number, at home
  const numbered = residentOf("E0000000000020", without(person, "address")); // known by the number, no home

  it("agrees when the record's own number was issued where the resident lives, or the resident's where the record lives", () => {
    expect(regionLevel(prepareRecord(without(person, "address"), opts), known)).toBe("same");
    expect(regionLevel(prepareRecord(without(person, "residentId"), opts), numbered)).toBe("same");
  });

  it("differs for a number of another county, and is missing without a number that is the record's own or without a home", () => {
    const elsewhere = { ...without(person, "address"), residentId: makeResidentId("130102", "1987-05-19", "031") };
    expect(regionLevel(prepareRecord(elsewhere, opts), known)).toBe("different");
    expect(regionLevel(prepareRecord(without(person, "address", "residentId"), opts), known)).toBe("missing");
    // a number the record cannot confirm (no birth date, no sex) may be a relative's: not the record's county
    const unconfirmed = without(person, "address", "birthDate", "sex");
    expect(regionLevel(prepareRecord(unconfirmed, opts), known)).toBe("missing");
  });
});

describe("a given name typed short, another phone, no home on the record", () => {
  const resident = residentOf("E0000000000012", without(person, "residentId"));
  const short = { ...without(person, "address"), given: "华", phone: "13800001111" };

  it("links when the record's own number was issued in the county the resident lives in", () => {
    const d = decide(short, [resident], opts);
    expect(d).toMatchObject({ outcome: "link", empi: resident.empi });
    expect(d.bestComparison?.region).toBe("same");
  });

  it("goes to review with a number issued elsewhere (the name typed short and the date are all that agree)", () => {
    const elsewhere = { ...short, residentId: makeResidentId("130102", "1987-05-19", "031") };
    const d = decide(elsewhere, [resident], opts);
    expect(d.outcome).toBe("review");
    expect(d.flags).toContain("link-uncorroborated");
  });
});

describe("no evidence counted twice", () => {
  it("adds nothing where the homes agree already (one home lies in one county)", () => {
    const resident = residentOf("E0000000000012", without(person, "residentId"));
    const withNumber = decide({ ...person, phone: "13800001111" }, [resident], opts);
    const elsewhere = { ...person, phone: "13800001111", residentId: makeResidentId("130102", "1987-05-19", "031") };
    const withOther = decide(elsewhere, [resident], opts);
    expect(withNumber.bestComparison?.region).toBe("same");
    expect(withOther.bestComparison?.region).toBe("different");
    expect(withNumber.bestScore).toBeCloseTo(withOther.bestScore!, 5);
  });

  it("a twin known by his number in the household's county still leaves a name typed short to review", () => {
    const twin = (given: string, sequence: string) => ({
      ...person,
      given,
      residentId: makeResidentId(QIANAN, "2012-10-22", sequence),
      birthDate: "2012-10-22",
    });
    const own = residentOf("E0000000000020", twin("超宇", "145"));
    const brother = residentOf("E0000000000012", without(twin("超然", "157"), "address"));
    const d = decide({ ...without(twin("超宇", "145"), "residentId"), given: "超" }, [own, brother], opts);
    expect(d.outcome).toBe("review");
    expect(d.reviewCandidates?.map((c) => c.empi)).toEqual(expect.arrayContaining([own.empi, brother.empi]));
  });
});
