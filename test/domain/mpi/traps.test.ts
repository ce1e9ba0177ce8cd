/**
 * Twins, siblings and strangers that the desks' slips made look like one resident (issue 20): each
 * rule below keeps one of them apart, and each test also shows the same person still linking.
 */
import { describe, expect, it } from "vitest";
import { blockingKeys, bringsCandidates } from "#domain/mpi/blocking.ts";
import { compareNamePart } from "#domain/mpi/comparators.ts";
import { decide } from "#domain/mpi/decide.ts";
import { makeResidentId } from "#domain/mpi/resident-id.ts";
import { compareRecords, personAgrees, prepareRecord } from "#domain/mpi/scorer.ts";
import { residentOf, TODAY, without } from "./fixtures.ts";

const opts = { today: TODAY };
const HOME = "河北省沧州市献县南大街272号碧水湾13号楼4单元2003室";
const PHONE = "16179086883";
const child = (given: string, sex: "male" | "female", sequence: string) => ({
  residentId: makeResidentId("130929", "2012-10-22", sequence),
  family: "林",
  given,
  sex,
  birthDate: "2012-10-22",
  phone: PHONE,
  address: HOME,
});
const chaoyu = child("超宇", "male", "145");

describe("a given name typed short", () => {
  it("is a character left out even when the rest is typed by its sound (华 for 桦斌)", () => {
    expect(compareNamePart("华", "桦斌", "given")).toBe("dropped");
    expect(compareNamePart("桦", "华斌", "given")).toBe("dropped");
    expect(compareNamePart("斌", "华斌", "given")).toBe("dropped");
    expect(compareNamePart("明", "华斌", "given")).not.toBe("dropped");
  });

  it("with no number to confirm it, does not link while another resident of the household fits it", () => {
    const short = { ...without(chaoyu, "residentId"), given: "超" };
    // the twin brother 超然 is known with the household's phone only (no home, no number, so not the
    // county that issued it either): he scores well below 超宇
    const brother = residentOf("E0000000000012", { ...without(child("超然", "male", "157"), "address", "residentId") });
    const own = residentOf("E0000000000020", chaoyu);
    const d = decide(short, [own, brother], opts);
    expect(d.outcome).toBe("review");
    expect(d.flags).toContain("link-sibling");
    expect(d.reviewCandidates?.map((c) => c.empi)).toContain(own.empi);
    // alone, or with a household member the short name does not fit (another name, or the other sex), it links
    expect(decide(short, [own], opts)).toMatchObject({ outcome: "link", empi: own.empi });
    const sister = residentOf("E0000000000038", without(child("超萱", "female", "162"), "address"));
    expect(decide(short, [own, sister], opts)).toMatchObject({ outcome: "link", empi: own.empi });
    const elder = residentOf("E0000000000046", without({ ...child("思远", "male", "179") }, "address"));
    expect(decide(short, [own, elder], opts)).toMatchObject({ outcome: "link", empi: own.empi });
    // a number confirming the record decides, whoever else lives there
    expect(decide({ ...short, residentId: chaoyu.residentId }, [own, brother], opts)).toMatchObject({ outcome: "link", empi: own.empi });
  });

  it("meets the person's full record at the same home through the household key, a day off and all", () => {
    const keys = blockingKeys(without(chaoyu, "residentId", "phone"), opts);
    const slipped = blockingKeys({ ...without(chaoyu, "residentId", "phone"), given: "超", birthDate: "2012-10-21" }, opts);
    const shared = slipped.filter((k) => keys.includes(k) && bringsCandidates(k));
    expect(shared).toEqual(["hh:lin:南大街272号碧水湾13号楼4单元2003室"]);
    // an address without a house number gives no household key
    expect(blockingKeys({ ...chaoyu, address: "河北省沧州市献县" }, opts).some((k) => k.startsWith("hh:"))).toBe(false);
  });
});

describe("the person's own fields disagreeing", () => {
  it("another sex: what a household shares counts nothing (胡杰 and 胡杰, twins of each sex)", () => {
    const brother = { family: "胡", given: "杰", sex: "male" as const, birthDate: "2017-05-26", phone: "16255427331", address: HOME };
    const sister = { ...brother, sex: "female" as const, phone: undefined };
    const c = compareRecords(prepareRecord(sister, opts), residentOf("E0000000000053", brother).records[0]!);
    expect(c).toMatchObject({ given: "exact", birthDate: "exact", sex: "different" });
    expect(personAgrees(c)).toBe(false);
    expect(decide(sister, [residentOf("E0000000000053", brother)], opts).outcome).not.toBe("link");
    // the same sex links
    expect(decide({ ...sister, sex: "male" }, [residentOf("E0000000000053", brother)], opts).outcome).toBe("link");
  });

  it("given names that only nearly sound alike (思 / 梓): the shared birth date and phone count nothing", () => {
    const si = { family: "王", given: "思", sex: "female" as const, birthDate: "2003-04-19", phone: "17658726657", address: HOME };
    const zi = { ...si, given: "梓", address: undefined };
    const c = compareRecords(prepareRecord(zi, opts), residentOf("E0000000000061", si).records[0]!);
    expect(c.given).toBe("near-homophone");
    expect(personAgrees(c)).toBe(false);
    expect(decide(zi, [residentOf("E0000000000061", si)], opts).outcome).toBe("new");
    // a true homophone (子 / 梓) still links
    expect(decide({ ...zi, given: "子" }, [residentOf("E0000000000061", { ...si, given: "梓" })], opts).outcome).toBe("link");
  });
});

describe("typed numbers as evidence", () => {
  const jing = { family: "齐", given: "静娟", sex: "female" as const, phone: "18635094693", address: HOME };
  const JING_ID = makeResidentId("130930", "1991-05-01", "882");
  const TWIN_ID = makeResidentId("130930", "1991-05-01", "280");
  const mistype = (id: string): string => `${id.slice(0, 14)}${id.charAt(14) === "0" ? "1" : "0"}${id.slice(15)}`;

  it("an invalid number that is not one slip from the resident's valid one keeps a short name from linking", () => {
    const own = residentOf("E0000000000079", { ...jing, residentId: JING_ID });
    const twin = { ...jing, given: "静", residentId: mistype(TWIN_ID) };
    const d = decide(twin, [own], opts);
    expect(d.bestComparison?.typedId).toBe("different");
    expect(d.outcome).toBe("review");
    expect(d.flags).toContain("link-number-disagrees");
    // one slip away from the resident's number: the same person
    expect(decide({ ...twin, residentId: mistype(JING_ID) }, [own], opts)).toMatchObject({ outcome: "link", empi: own.empi });
  });

  it("two numbers that both failed their check are no evidence against each other (two slips of one number)", () => {
    const first = { ...jing, residentId: mistype(JING_ID) };
    const other = `${JING_ID.slice(0, 16)}${JING_ID.charAt(16) === "1" ? "3" : "1"}${JING_ID.charAt(17)}`;
    const c = compareRecords(prepareRecord({ ...jing, residentId: other }, opts), residentOf("E0000000000087", first).records[0]!);
    expect(c.typedId).toBe("missing");
    expect(decide({ ...jing, residentId: other }, [residentOf("E0000000000087", first)], opts).outcome).toBe("link");
  });
});

describe("a relative's card the record cannot confirm", () => {
  const child = { ...chaoyu };
  const father = { family: "林", given: "建军", sex: "male" as const, birthDate: "1980-03-14", phone: "13912340009", address: HOME };
  // the father registered with his son's card, nothing else of his own but the name and the home
  const withCard = { residentId: child.residentId, family: "林", given: "建军", phone: "13012345678", address: HOME };

  it("counts for the candidate who lives with the card's owner (household), and looks the owner up", () => {
    expect(blockingKeys(withCard, opts)).toContain(`id:${child.residentId}`);
    const fatherResident = residentOf("E0000000000095", father);
    const son = residentOf("E0000000000103", child);
    const d = decide(withCard, [fatherResident, son], opts);
    expect(d).toMatchObject({ outcome: "link", empi: fatherResident.empi });
    expect(d.bestComparison?.typedId).toBe("household");
    // the owner unknown: the full name at the same home with nothing to hold against it links
    // (link-name-at-home, link-rules.test.ts); a name only sounding the same stays a case for review
    expect(decide(withCard, [fatherResident], opts)).toMatchObject({
      outcome: "link",
      flags: expect.arrayContaining(["link-name-at-home"]),
    });
    expect(decide({ ...withCard, given: "建钧" }, [fatherResident], opts).outcome).toBe("review");
    // stored, the number stays set aside and is no key of the father's
    expect(blockingKeys(d.record, opts).some((k) => k.startsWith("id:"))).toBe(false);
  });
});
