/**
 * Issue 20, fourth round: the rules decide.ts applies on top of the scores (lambdas/domain/mpi/link-rules.ts),
 * each shown keeping two people apart (or linking one person) and the contrary case it must not touch.
 */
import { describe, expect, it } from "vitest";
import { decide } from "#domain/mpi/decide.ts";
import { residentsAgree } from "#domain/mpi/link-rules.ts";
import { makeResidentId } from "#domain/mpi/resident-id.ts";
import { residentOf, TODAY, without } from "./fixtures.ts";

const opts = { today: TODAY };
const HOME = "河北省邯郸市鸡泽县河家镇马高村43号";
const PHONE = "13873259669";

/** one digit of the first 17 changed: the check character then fails (MOD 11-2 catches every single substitution) */
const slip = (id: string, at: number): string => id.slice(0, at) + String((Number(id.charAt(at)) + 1) % 10) + id.slice(at + 1);

describe("a number's owner known by a name typed short", () => {
  const twin = (given: string, sequence: string) => ({
    residentId: makeResidentId("130431", "2017-03-07", sequence),
    family: "赵",
    given,
    sex: "female" as const,
    birthDate: "2017-03-07",
    phone: PHONE,
    address: HOME,
  });
  const yuexia = twin("悦霞", "174");
  // the number of 悦艳 reached 悦霞's resident on a record typed short (悦), while 悦霞 is known in full
  const owner = residentOf("E0000000000012", without(yuexia, "residentId"), { ...twin("悦艳", "182"), given: "悦" });

  it("does not take a record whose full given name goes against the owner's other name: the twin is a conflict for review", () => {
    const d = decide(twin("悦艳", "182"), [owner], opts);
    expect(d.outcome).not.toBe("link");
    expect(d.flags).toContain("resident-id-name-conflict");
  });

  it("still takes the record when the short name is all the owner is known by", () => {
    const known = residentOf("E0000000000020", { ...twin("悦艳", "182"), given: "悦" });
    expect(decide(twin("悦艳", "182"), [known], opts)).toMatchObject({ outcome: "link", decidedBy: "resident-id" });
  });
});

describe("an invalid number against the resident's valid one", () => {
  const own = makeResidentId("130303", "2012-09-22", "537");
  const huitian = {
    residentId: own,
    family: "赵",
    given: "辉天",
    sex: "male" as const,
    birthDate: "2012-09-22",
    phone: PHONE,
    address: HOME,
  };
  // the resident holds its valid number, and a record whose typed number failed its check (its best match for an invalid one)
  const resident = residentOf("E0000000000012", huitian, { ...huitian, residentId: slip(own, 9) });
  const brother = makeResidentId("130303", "2012-09-22", "571");

  it("that is no slip of it keeps a record typed short from linking by score (the twin's number, mistyped)", () => {
    const d = decide({ ...huitian, given: "辉", residentId: slip(brother, 1) }, [resident], opts);
    expect(d.outcome).toBe("review");
    expect(d.flags).toContain("link-number-disagrees");
  });

  it("that is one slip of it links", () => {
    const d = decide({ ...huitian, given: "辉", residentId: slip(own, 4) }, [resident], opts);
    expect(d).toMatchObject({ outcome: "link", empi: "E0000000000012" });
    expect(d.flags).toContain("resident-id-one-edit");
  });
});

describe("a valid number against the resident's invalid ones", () => {
  // a child known only by a mistyped number (it failed its check), in another county
  const own = makeResidentId("130432", "2019-07-14", "110");
  const known = { residentId: slip(own, 9), family: "陈", given: "静欣", sex: "female" as const, birthDate: "2019-07-14", phone: PHONE };
  const resident = residentOf("E0000000000012", known, { ...without(known, "residentId"), address: HOME });

  it("that none of them is a slip of keeps name and birth date from linking (two children of one name)", () => {
    const other = { ...without(known, "phone"), residentId: makeResidentId("130705", "2019-07-14", "616"), phone: "13093317496" };
    const d = decide(other, [resident], opts);
    expect(d.outcome).toBe("review");
    expect(d.flags).toContain("link-number-disagrees");
  });

  it("that one of them is a slip of links (the same child, its number typed right this time)", () => {
    const d = decide({ ...without(known, "phone"), residentId: own, phone: "13093317496" }, [resident], opts);
    expect(d).toMatchObject({ outcome: "link", empi: "E0000000000012" });
  });
});

describe("the record's own number, carried before without birth date and sex", () => {
  // a parent registered with the child's card and nothing else, first; then the child, with that number
  const childsCard = makeResidentId("130183", "2007-06-15", "663");
  const parent = residentOf("E0000000000012", { residentId: childsCard, family: "张", given: "磊军", phone: PHONE, address: HOME });
  const child = {
    residentId: childsCard,
    family: "张",
    given: "军",
    sex: "male" as const,
    birthDate: "2007-06-15",
    phone: PHONE,
    address: HOME,
  };

  it("under another name is a relative's card: the child does not link to the parent", () => {
    const d = decide(child, [parent], opts);
    expect(d.outcome).not.toBe("link");
    expect(d.bestComparison?.typedId).toBe("different");
  });

  it("under the same name is its owner registered before without them: it links", () => {
    const before = residentOf("E0000000000020", { residentId: childsCard, family: "张", given: "军", phone: "15500001111", address: HOME });
    const d = decide({ ...child, phone: "13912345678" }, [before], opts);
    expect(d).toMatchObject({ outcome: "link", empi: "E0000000000020" });
    expect(d.bestComparison?.typedId).toBe("same");
  });
});

describe("the full name at the same home, on a record without birth date and sex", () => {
  const parent = {
    residentId: makeResidentId("130431", "1985-04-11", "021"),
    family: "刘",
    given: "秀兰",
    sex: "female" as const,
    birthDate: "1985-04-11",
    phone: PHONE,
    address: HOME,
  };
  const childsCard = makeResidentId("130431", "2015-06-02", "043");
  // a parent registered with the child's card and nothing else, the phone another one (the child is not indexed yet)
  const borrowed = { residentId: childsCard, family: "刘", given: "秀兰", phone: "15500001111", address: HOME };
  const resident = residentOf("E0000000000012", parent);

  it("links to the resident of that name living there (17.2 on the score: review before)", () => {
    const d = decide(borrowed, [resident], opts);
    expect(d).toMatchObject({ outcome: "link", empi: "E0000000000012" });
    expect(d.bestScore).toBeLessThan(18);
    expect(d.flags).toContain("link-name-at-home");
  });

  it("does not link a name only sounding the same, another home, or when a second resident is in question", () => {
    expect(decide({ ...borrowed, given: "秀岚" }, [resident], opts).outcome).not.toBe("link");
    expect(decide({ ...borrowed, address: "河北省保定市竞秀区朝阳南大街5号" }, [resident], opts).outcome).not.toBe("link");
    const other = residentOf("E0000000000020", {
      ...parent,
      residentId: makeResidentId("130431", "1962-01-30", "062"),
      birthDate: "1962-01-30",
    });
    expect(decide(borrowed, [resident, other], opts).outcome).toBe("review");
  });
});

describe("two residents' records taken together (residentsAgree)", () => {
  const number = makeResidentId("131122", "1996-04-27", "839");
  const stored = (...records: Parameters<typeof residentOf>[1][]) => residentOf("E0000000000012", ...records).records;
  const name = { family: "胡", given: "鸣平", sex: "male" as const };
  const provisional = stored(
    { ...name, birthDate: "1996-04-27", residentId: number, phone: "15675414631" },
    { ...name, given: "鸣", birthDate: "1996-04-27", residentId: number, phone: PHONE },
  );
  const candidate = stored({ ...name, birthDate: "1996-04-28", phone: PHONE, address: HOME });

  it("are one person when one pair gives the full name and a date a day off, another a phone", () => {
    expect(residentsAgree(provisional, candidate, opts)).toBe(true);
    expect(residentsAgree(candidate, provisional, opts)).toBe(true);
  });

  it("are not when only a name typed short meets the phone, or the full names' dates are a year apart", () => {
    expect(residentsAgree(provisional, stored({ ...name, given: "鸣", birthDate: "1996-04-27", phone: PHONE }), opts)).toBe(false);
    expect(residentsAgree(provisional, stored({ ...name, birthDate: "1997-06-27", phone: PHONE }), opts)).toBe(false);
  });

  it("are not when they hold two valid numbers, or one side typed a number no slip of the other's", () => {
    const another = makeResidentId("130102", "1996-04-28", "017");
    expect(residentsAgree(provisional, stored({ ...name, birthDate: "1996-04-28", residentId: another, phone: PHONE }), opts)).toBe(false);
    expect(
      residentsAgree(provisional, stored({ ...name, birthDate: "1996-04-28", residentId: slip(another, 3), phone: PHONE }), opts),
    ).toBe(false);
    // a slip of the provisional resident's own number is its own, mistyped
    expect(residentsAgree(provisional, stored({ ...name, birthDate: "1996-04-28", residentId: slip(number, 3), phone: PHONE }), opts)).toBe(
      true,
    );
  });
});
