/** Newborns registered under their mother's resident ID number and a birth order (issue 20, item 4). */
import { describe, expect, it } from "vitest";
import { blockingKeys } from "#domain/mpi/blocking.ts";
import { decide } from "#domain/mpi/decide.ts";
import { makeResidentId } from "#domain/mpi/resident-id.ts";
import { residentOf, TODAY } from "./fixtures.ts";

const opts = { today: TODAY };
const MOTHER_ID = makeResidentId("130102", "1994-02-17", "026");
const HOME = "河北省石家庄市长安区建设路12号";
const mother = {
  residentId: MOTHER_ID,
  family: "刘",
  given: "静",
  sex: "female" as const,
  birthDate: "1994-02-17",
  phone: "13912340005",
  address: HOME,
};
/** the first twin, born yesterday, no given name yet */
const first = {
  residentId: MOTHER_ID,
  family: "刘",
  given: "",
  sex: "male" as const,
  birthDate: "2025-06-29",
  phone: "13912340005",
  address: HOME,
  birthOrder: 1,
};
const second = { ...first, birthOrder: 2 };
const motherResident = residentOf("E0000000000012", mother);

describe("newborns", () => {
  it("get their own resident at once: the mother's number is no key, no link to the mother, no review for the missing name", () => {
    const d = decide(first, [motherResident], opts);
    expect(d).toMatchObject({ outcome: "new", record: { residentIdSetAside: true, birthOrder: 1 } });
    expect(d.residentIdKey).toBeUndefined();
    expect(d.flags).toContain("newborn-mother-id");
    expect(d.reviewCandidates).toBeUndefined();
    expect(blockingKeys(first, opts)).toContain(`nb:${MOTHER_ID}:1`);
    expect(blockingKeys(first, opts).some((k) => k.startsWith("id:"))).toBe(false);
  });

  it("never link across birth orders; the same newborn registered again links", () => {
    const firstResident = { empi: "E0000000000020", version: 1, records: [decide(first, [], opts).record] };
    expect(decide(second, [motherResident, firstResident], opts)).toMatchObject({ outcome: "new" });
    const again = decide({ ...first, phone: "13700000001" }, [motherResident, firstResident], opts);
    expect(again).toMatchObject({ outcome: "link", empi: firstResident.empi });
    // named later, still the same newborn
    expect(decide({ ...first, given: "子墨" }, [firstResident], opts)).toMatchObject({ outcome: "link", empi: firstResident.empi });
  });

  it("do not draw the mother's own registrations", () => {
    const firstResident = { empi: "E0000000000020", version: 1, records: [decide(first, [], opts).record] };
    expect(decide(mother, [firstResident], opts)).toMatchObject({ outcome: "new", residentIdKey: MOTHER_ID });
    expect(decide(mother, [firstResident, motherResident], opts)).toMatchObject({ outcome: "link", empi: motherResident.empi });
  });

  it("a twin registered with a number of its own and a birth order is matched as anyone else", () => {
    const ownId = makeResidentId("130102", "2012-04-03", "013");
    const twin = { residentId: ownId, family: "刘", given: "子涵", sex: "male" as const, birthDate: "2012-04-03", birthOrder: 2 };
    expect(decide(twin, [], opts)).toMatchObject({ outcome: "new", residentIdKey: ownId });
  });
});
