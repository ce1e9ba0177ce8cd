import { describe, expect, it } from "vitest";
import { COMMON_NAME, decide } from "#domain/mpi/decide.ts";
import { makeResidentId } from "#domain/mpi/resident-id.ts";
import { CROWDED_NAME, compareRecords, LINK, prepareRecord, REVIEW, scoreComparison } from "#domain/mpi/scorer.ts";
import { WEIGHTS } from "#domain/mpi/weights.ts";
import { daughter, FATHER_ID, father, namesake, SON_ID, son } from "#lib/world/households.ts";
import { dayAfter, residentOf, TODAY, without } from "./fixtures.ts";

const opts = { today: TODAY };
const fatherResident = residentOf("E0000000000012", father);
const sonResident = residentOf("E0000000000020", son);

describe("weights", () => {
  it("are log2(m/u): agreement positive, disagreement negative, missing nothing", () => {
    expect(WEIGHTS.birthDate.exact).toBeCloseTo(Math.log2(0.9 * 22_000), 6);
    expect(WEIGHTS.given.exact).toBeGreaterThan(WEIGHTS.given.homophone);
    expect(WEIGHTS.given.homophone).toBeGreaterThan(0);
    expect(WEIGHTS.given.different).toBeLessThan(0);
    expect(WEIGHTS.phone.missing).toBe(0);
    expect(REVIEW).toBeLessThan(LINK);
  });
});

describe("thresholds", () => {
  it("links a clear match (no ID: name, birth date, sex, phone and address agree)", () => {
    const d = decide(without(father, "residentId"), [fatherResident], opts);
    expect(d).toMatchObject({ outcome: "link", empi: fatherResident.empi, decidedBy: "score" });
    expect(d.bestScore!).toBeGreaterThanOrEqual(LINK);
  });

  it("queues for review what lies between: a homophone given name, the birth date a day off, another phone, no home", () => {
    const record = {
      ...without(father, "residentId", "address"),
      given: "建帼",
      birthDate: dayAfter(father.birthDate!),
      phone: "18603110000",
    };
    const d = decide(record, [fatherResident], opts);
    // 张 4.23 + 建帼 ~ 建国 homophone 6.13 + one day apart 7.80 + sex 0.99 + phone −2.00 = 17.15
    expect(d.bestScore!).toBeCloseTo(17.15, 1);
    expect(d).toMatchObject({ outcome: "review", reviewCandidates: [{ empi: fatherResident.empi }] });
    expect(d.empi).toBeUndefined();
  });

  it("links a name sounding the same at the same home when one record has no birth date (16.26 on the score)", () => {
    const record = { ...without(father, "residentId", "birthDate"), given: "建帼", phone: "18603110000" };
    const d = decide(record, [fatherResident], opts);
    // 张 4.23 + 建帼 ~ 建国 homophone 6.13 + sex 0.99 + phone −2.00 + address 6.91 = 16.26
    expect(d.bestScore!).toBeCloseTo(16.26, 1);
    expect(d).toMatchObject({ outcome: "link", empi: fatherResident.empi, flags: expect.arrayContaining(["link-name-at-home"]) });
    // not with another sex typed, another home, or a second resident in question
    expect(decide({ ...record, sex: "female" }, [fatherResident], opts).outcome).not.toBe("link");
    expect(decide({ ...record, address: "河北省保定市竞秀区朝阳南大街5号" }, [fatherResident], opts).outcome).not.toBe("link");
  });

  it("creates a new resident below REVIEW, and when there is no candidate", () => {
    const stranger = { family: "李", given: "芳", sex: "female" as const, birthDate: "1975-02-14" };
    const d = decide(stranger, [fatherResident], opts);
    expect(d.outcome).toBe("new");
    expect(d.bestScore!).toBeLessThan(REVIEW);
    expect(decide(stranger, [], opts)).toMatchObject({ outcome: "new", decidedBy: "no-candidate", bestScore: null });
  });

  it("links through a day/month swap and a homophone, and says so", () => {
    const record = { ...without(father, "residentId"), given: "建帼" };
    const swapped = { ...without(son, "residentId"), given: "子晗", birthDate: "1988-07-09" };
    expect(decide(record, [fatherResident], opts).outcome).toBe("link");
    const d = decide(swapped, [sonResident], opts);
    expect(d).toMatchObject({ outcome: "link", empi: sonResident.empi });
    expect(d.flags).toEqual(expect.arrayContaining(["birthdate-swap", "name-homophone"]));
  });
});

describe("the resident ID number", () => {
  it("decides when valid and agreeing, flagging a slipped or swapped birth date", () => {
    const typed = { ...father, given: "建帼", phone: undefined, address: undefined, birthDate: "1960-05-23" };
    const d = decide(typed, [fatherResident, sonResident], opts);
    expect(d).toMatchObject({ outcome: "link", empi: fatherResident.empi, decidedBy: "resident-id", residentIdKey: FATHER_ID });
    expect(d.flags).toContain("birthdate-slip");
    const dayOff = decide({ ...typed, birthDate: "1960-05-19" }, [fatherResident, sonResident], opts);
    expect(dayOff).toMatchObject({ outcome: "link", empi: fatherResident.empi, decidedBy: "resident-id" });
    expect(dayOff.flags).toContain("birthdate-day");
    expect(decide({ ...father, birthDate: "1960-20-05" }, [fatherResident], opts).outcome).toBe("link"); // impossible date dropped
    const swapped = decide({ ...son, birthDate: "1988-07-09" }, [sonResident], opts);
    expect(swapped).toMatchObject({ outcome: "link", decidedBy: "resident-id" });
    expect(swapped.flags).toContain("birthdate-swap");
  });

  it("takes the number's birth date over a typed date a day off: the typed one is the slip", () => {
    // a namesake's record: his own valid number (born the 21st), his date typed as the 20th, the father's exact date
    const namesakeId = makeResidentId("130523", "1960-05-21", "031");
    const typed = { ...without(namesake, "birthDate"), residentId: namesakeId, birthDate: father.birthDate };
    const father0 = residentOf("E0000000000046", without(father, "residentId"));
    const c = compareRecords(prepareRecord(typed, opts), father0.records[0]!);
    expect(c.birthDate).toBe("day");
    expect(decide(typed, [father0], opts).outcome).not.toBe("link");
    // the same on the stored side: a stored record whose number says another day than its typed date
    const stored = residentOf("E0000000000054", { ...typed, phone: undefined, address: undefined });
    expect(compareRecords(prepareRecord(without(father, "residentId"), opts), stored.records[0]!).birthDate).toBe("day");
  });

  it("sets aside a parent's number used for a child: linked to the child, never to the parent", () => {
    const borrowed = { ...without(son, "residentId"), residentId: FATHER_ID };
    const d = decide(borrowed, [fatherResident, sonResident], opts);
    expect(d).toMatchObject({ outcome: "link", empi: sonResident.empi, decidedBy: "score" });
    expect(d.flags).toContain("resident-id-contradicts");
    expect(d.record).toMatchObject({ residentId: FATHER_ID, residentIdStatus: "valid", residentIdSetAside: true });
    expect(d.residentIdKey).toBeUndefined();
    const alone = decide(borrowed, [fatherResident], opts);
    expect(alone.outcome).toBe("new");
  });

  it("sets aside a twin's number whose owner has another given name, offering the owner for review", () => {
    const twinsNumber = { ...without(daughter, "residentId", "sex"), residentId: SON_ID };
    const d = decide(twinsNumber, [sonResident], opts);
    expect(d.outcome).toBe("review");
    expect(d.flags).toContain("resident-id-name-conflict");
    expect(d.reviewCandidates?.map((c) => c.empi)).toEqual([sonResident.empi]);
  });

  it("never matches a record with a valid number to a resident holding another", () => {
    const other = residentOf("E0000000000038", { ...son, residentId: undefined });
    const anotherNumber = makeResidentId("130102", "1988-09-07", "033");
    expect(decide({ ...son, residentId: anotherNumber }, [other], opts).outcome).toBe("link"); // the resident had no number yet
    expect(decide({ ...son, residentId: anotherNumber }, [sonResident], opts).outcome).toBe("new");
  });

  it("keeps an invalid number, flags it, and counts it only as evidence of a typing slip", () => {
    const mistyped = `${SON_ID.slice(0, 16)}${SON_ID.charAt(16) === "3" ? "5" : "3"}${SON_ID.charAt(17)}`;
    const d = decide({ ...son, residentId: mistyped, phone: undefined, address: undefined }, [sonResident], opts);
    expect(d.flags).toEqual(expect.arrayContaining(["resident-id-bad-check", "resident-id-one-edit"]));
    expect(d).toMatchObject({ outcome: "link", decidedBy: "score", record: { residentIdStatus: "bad-check" } });
    expect(d.residentIdKey).toBeUndefined();
  });
});

describe("family members and namesakes", () => {
  it("does not merge twins (same birth date, family name, phone, address; another given name)", () => {
    const d = decide(without(daughter, "residentId", "sex"), [sonResident], opts);
    expect(d.outcome).toBe("new");
    const c = compareRecords(prepareRecord(without(daughter, "residentId", "sex"), opts), sonResident.records[0]!);
    expect(c).toMatchObject({ family: "exact", given: "partial", birthDate: "exact", phone: "exact", address: "same" });
    expect(scoreComparison(c)).toBeLessThan(REVIEW); // the shared fields count nothing between different given names
  });

  it("does not merge namesakes (same name and birth year, nothing else)", () => {
    expect(decide(namesake, [fatherResident], opts).outcome).toBe("new");
  });

  it("does not link on name and birth date alone when the name is crowded", () => {
    const stranger = { ...without(father, "residentId"), phone: "18999990000", address: "河北省邯郸市涉县新华路3号" };
    expect(decide(stranger, [fatherResident], opts).outcome).toBe("link"); // a rare name: name + date suffice
    const crowd = Array.from({ length: CROWDED_NAME - 1 }, (_, i) =>
      residentOf(`E${String(100 + i).padStart(12, "0")}0`, { ...without(father, "residentId"), birthDate: `1960-05-0${i + 1}` }),
    );
    const d = decide(stranger, [fatherResident, ...crowd], opts);
    expect(d.outcome).toBe("review");
    expect(d.flags).toContain("link-uncorroborated");
    const swapped = { ...without(son, "residentId"), phone: "18999990000", address: "河北省邯郸市涉县新华路3号", birthDate: "1988-07-09" };
    expect(decide(swapped, [sonResident], opts)).toMatchObject({ outcome: "review", flags: ["link-uncorroborated"] }); // 18.8
  });

  it("does not link on name and birth date alone when the index holds the name COMMON_NAME times or more", () => {
    const stranger = { ...without(father, "residentId"), phone: "18999990000", address: "河北省邯郸市涉县新华路3号" };
    expect(decide(stranger, [fatherResident], { ...opts, nameHolders: COMMON_NAME - 1 }).outcome).toBe("link");
    const d = decide(stranger, [fatherResident], { ...opts, nameHolders: COMMON_NAME });
    expect(d.outcome).toBe("review");
    expect(d.flags).toContain("link-uncorroborated");
    // the same record with its phone links whatever the name's holders: it is corroborated
    const corroborated = { ...stranger, phone: father.phone };
    expect(decide(corroborated, [fatherResident], { ...opts, nameHolders: COMMON_NAME })).toMatchObject({ outcome: "link" });
  });
});
