/**
 * The slips busy registration desks make that the engine first missed (issue 20): each pair is the
 * same resident and must link, and each trap beside it must not.
 */
import { describe, expect, it } from "vitest";
import { decide } from "#domain/mpi/decide.ts";
import { makeResidentId } from "#domain/mpi/resident-id.ts";
import { compareRecords, phoneHolders, prepareRecord, scoreComparison } from "#domain/mpi/scorer.ts";
import { WEIGHTS } from "#domain/mpi/weights.ts";
import { residentOf, TODAY, without } from "./fixtures.ts";

const opts = { today: TODAY };
const HOME = "河北省保定市竞秀区朝阳北大街12号";
/** A registration at HOME with a valid number of its own. */
const registration = (family: string, given: string, sex: "male" | "female", birthDate: string, phone: string, sequence: string) => ({
  residentId: makeResidentId("130602", birthDate, sequence),
  family,
  given,
  sex,
  birthDate,
  phone,
  address: HOME,
});
const li = registration("李", "华斌", "male", "1990-05-20", "13912340001", "011");
const LI_ID = li.residentId;
const liResident = residentOf("E0000000000012", li);

describe("desk slips that link", () => {
  it("a given name with its second character dropped, under the same valid number: the number decides", () => {
    const d = decide({ ...li, given: "华", phone: undefined, address: undefined }, [liResident], opts);
    expect(d).toMatchObject({ outcome: "link", empi: liResident.empi, decidedBy: "resident-id" });
    expect(d.bestComparison?.given).toBe("dropped");
  });

  it("a birth date one day off while the number agrees with the other record: a slip the number confirms", () => {
    const d = decide({ ...li, birthDate: "1990-05-19" }, [liResident], opts);
    expect(d).toMatchObject({ outcome: "link", decidedBy: "resident-id", residentIdKey: LI_ID });
    expect(d.flags).toContain("birthdate-day");
    // with a homophone as well (杜文 / 杜雯): still the number's
    expect(decide({ ...li, given: "华彬", birthDate: "1990-05-21" }, [liResident], opts)).toMatchObject({ outcome: "link" });
  });

  it("an invalid number one digit off the valid one, with a dropped character (任华 / 任华然): the invalid number weighs as a slip", () => {
    const mistyped = `${LI_ID.slice(0, 10)}${LI_ID.charAt(10) === "0" ? "1" : "0"}${LI_ID.slice(11)}`;
    const d = decide({ ...li, residentId: mistyped, given: "华", phone: undefined }, [liResident], opts);
    expect(d).toMatchObject({ outcome: "link", empi: liResident.empi, decidedBy: "score" });
    expect(d.flags).toEqual(expect.arrayContaining(["resident-id-bad-check", "resident-id-one-edit", "name-dropped-character"]));
  });

  it("no number, a homophone and a one-day slip, the same phone and address (何伟 / 何玮): linked or reviewed, never new", () => {
    const he = { family: "何", given: "伟", sex: "male" as const, birthDate: "1985-03-02", phone: "13800001111", address: HOME };
    const d = decide({ ...he, given: "玮", birthDate: "1985-03-03" }, [residentOf("E0000000000020", he)], opts);
    expect(d.outcome).toBe("link");
    const noAddress = decide({ ...without(he, "address"), given: "玮", birthDate: "1985-03-03" }, [residentOf("E0000000000020", he)], opts);
    expect(noAddress.outcome).not.toBe("new");
  });
});

describe("name and birth date alone", () => {
  it("link only with the full name (or its sound) and the date itself: a day off or a name typed short goes to review", () => {
    const bare = { family: "郜", given: "靓", sex: "female" as const, birthDate: "1979-11-23" };
    const resident = [residentOf("E0000000000137", bare)];
    expect(decide(bare, resident, opts).outcome).toBe("link");
    expect(decide({ ...bare, birthDate: "1979-11-24" }, resident, opts)).toMatchObject({
      outcome: "review",
      flags: ["link-uncorroborated"],
    });
    const long = { ...bare, given: "靓颖" };
    expect(decide(bare, [residentOf("E0000000000145", long)], opts)).toMatchObject({ outcome: "review", flags: ["link-uncorroborated"] });
  });
});

describe("twins", () => {
  it("a given name typed short that fits both twins (子 for 子涵 or 子轩) goes to review, not to either", () => {
    const a = registration("张", "子涵", "male", "2012-04-03", "13912340004", "013");
    const b = registration("张", "子轩", "male", "2012-04-03", "13912340004", "015");
    const twins = [residentOf("E0000000000095", a), residentOf("E0000000000103", b)];
    const d = decide({ ...without(a, "residentId"), given: "子" }, twins, opts);
    expect(d.outcome).toBe("review");
    expect(d.flags).toContain("link-ambiguous");
    // a resident known by a given name that goes against the incoming one (子轩 against 子涵) is not
    // joined through its record typed short (子)
    const knownAs = residentOf("E0000000000153", { ...without(b, "residentId"), given: "子" }, without(b, "residentId"));
    expect(decide(without(a, "residentId"), [knownAs], opts).outcome).toBe("new");
    // known only by the short name, nothing tells the twins apart: it links (docs/mpi.md, what is not met)
    expect(
      decide(without(a, "residentId"), [residentOf("E0000000000161", { ...without(b, "residentId"), given: "子" })], opts).outcome,
    ).toBe("link");
    // typed short under the other sex, it is the opposite-sex twin's: the shared fields count nothing
    const sister = decide({ ...without(a, "residentId"), given: "子", sex: "female" }, [twins[0]!], opts);
    expect(sister.outcome).toBe("new");
    // the same person registered twice (two residents the full name fits) is not ambiguous
    const twice = [residentOf("E0000000000111", a), residentOf("E0000000000129", without(a, "residentId"))];
    expect(decide(without(a, "residentId"), twice, opts).outcome).toBe("link");
  });
});

describe("a contested number", () => {
  const child = registration("王", "思然", "female", "2015-08-11", "13912340002", "024");
  const CHILD_ID = child.residentId;
  const parentWithCard = { residentId: CHILD_ID, family: "王", given: "建军", phone: "13912340002", address: HOME };

  it("a record with nothing to hold the number against (no birth date, no sex) does not make it a key", () => {
    const d = decide(parentWithCard, [], opts);
    expect(d.residentIdKey).toBeUndefined();
    expect(d.flags).toContain("resident-id-unconfirmed");
    expect(d.record.residentIdSetAside).toBe(true);
    // nor is it evidence for the child whose card it is
    expect(decide(parentWithCard, [residentOf("E0000000000038", child)], opts).outcome).toBe("new");
  });

  it("a borrower that claimed the number first does not keep the child's clean records apart", () => {
    const borrower = { ...parentWithCard, sex: "female" as const }; // the mother, the child's sex: the number agrees
    const claimed = residentOf("E0000000000046", borrower);
    expect(claimed.residentId).toBe(CHILD_ID);
    const first = decide(child, [claimed], opts);
    expect(first).toMatchObject({ outcome: "new" });
    expect(first.flags).toContain("resident-id-contested");
    const childResident = { empi: "E0000000000053", version: 1, records: [first.record] };
    const second = decide(child, [claimed, childResident], opts);
    expect(second).toMatchObject({ outcome: "link", empi: childResident.empi });
  });

  it("a number its owner confirmed with a birth date stays the owner's: the other record goes to review", () => {
    const owner = residentOf("E0000000000061", child);
    const other = { ...child, given: "佳怡" }; // a sister's record typed with this number
    const d = decide(other, [owner], opts);
    expect(d.outcome).toBe("review");
    expect(d.flags).toContain("resident-id-name-conflict");
  });
});

describe("frequencies", () => {
  it("a phone several candidate residents hold weighs less than one only the candidate holds", () => {
    const a = { family: "赵", given: "磊", sex: "male" as const, birthDate: "1980-01-15", phone: "13912340003" };
    const incoming = prepareRecord({ ...a, birthDate: "1980-01-16" }, opts);
    const household = [residentOf("E0000000000079", a), residentOf("E0000000000087", { ...a, given: "静", sex: "female" })];
    expect(phoneHolders(incoming, household)).toBe(2);
    const c = compareRecords(incoming, household[0]!.records[0]!);
    expect(scoreComparison(c, { phoneHolders: 2 })).toBeCloseTo(scoreComparison(c) - 1, 6);
    expect(scoreComparison(c, { phoneHolders: 1 })).toBe(scoreComparison(c));
  });

  it("a name many candidates share weighs less than a rare one", () => {
    const c = compareRecords(prepareRecord(without(li, "residentId"), opts), liResident.records[0]!);
    expect(scoreComparison(c, { sameName: 4 })).toBeCloseTo(scoreComparison(c) - 2, 6);
    expect(WEIGHTS.given.dropped).toBeGreaterThan(0);
    expect(WEIGHTS.birthDate.day).toBeGreaterThan(WEIGHTS.birthDate.slip);
  });
});
