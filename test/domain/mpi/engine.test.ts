import { describe, expect, it } from "vitest";
import { blockingKeys, NAME_COUNT_PREFIX } from "#domain/mpi/blocking.ts";
import { COMMON_NAME } from "#domain/mpi/decide.ts";
import { CounterEmpiAllocator, empiCheckDigit, formatEmpi, isValidEmpi } from "#domain/mpi/empi.ts";
import { MasterPatientIndex, ResidentVersionConflictError } from "#domain/mpi/engine.ts";
import { InMemoryResidentIndex } from "#domain/mpi/memory-index.ts";
import type { MatchRecord } from "#domain/mpi/record.ts";
import { makeResidentId } from "#domain/mpi/resident-id.ts";
import { daughter, FATHER_ID, father, namesake, reviewed, reviewedElsewhere, SON_ID, son } from "#lib/world/households.ts";
import { dayAfter, TODAY, without } from "./fixtures.ts";

function engine(): { mpi: MasterPatientIndex; index: InMemoryResidentIndex } {
  const index = new InMemoryResidentIndex();
  return { mpi: new MasterPatientIndex(index, new CounterEmpiAllocator()), index };
}

async function register(mpi: MasterPatientIndex, ...records: MatchRecord[]): Promise<string[]> {
  const empis: string[] = [];
  for (const r of records) empis.push((await mpi.match(r, { today: TODAY })).resident.empi);
  return empis;
}

describe("EMPI format", () => {
  it("is E, 12 digits and an ISO 7064 MOD 11,10 check digit", () => {
    // p = 10; eleven zeros cycle p through 9 7 3 6 1 2 4 8 5 10 9; then 1: s = 10, p = 9; check (11 − 9) mod 10 = 2
    expect(formatEmpi(1)).toBe("E0000000000012");
    expect(empiCheckDigit("000000000001")).toBe("2");
    expect(isValidEmpi("E0000000000012")).toBe(true);
    expect(isValidEmpi("E0000000000013")).toBe(false);
    expect(isValidEmpi("E0000000000102")).toBe(false); // transposed
    expect(() => formatEmpi(0)).toThrow(/out of range/);
  });
});

describe("the master patient index over the in-memory port", () => {
  it("creates a resident, then links later registrations to it and keys it by its number", async () => {
    const { mpi, index } = engine();
    const first = await mpi.match(without(father, "residentId"), { today: TODAY });
    expect(first.decision.outcome).toBe("new");
    expect(first.resident.residentId).toBeUndefined();
    const second = await mpi.match({ ...father, given: "建帼", phone: "18603110000" }, { today: TODAY });
    expect(second.decision).toMatchObject({ outcome: "link", empi: first.resident.empi });
    expect(second.resident).toMatchObject({ version: 2, residentId: FATHER_ID });
    expect(await index.getByBlockingKey(`id:${FATHER_ID}`)).toEqual([first.resident.empi]);
    expect(await index.getByBlockingKey("ph:18603110000")).toEqual([first.resident.empi]);
  });

  it("links a child registered with the parent's number to the child, not the parent", async () => {
    const { mpi, index } = engine();
    const [fatherEmpi, sonEmpi] = await register(mpi, father, son);
    const borrowed = await mpi.match({ ...without(son, "residentId"), residentId: FATHER_ID, phone: "15012340000" }, { today: TODAY });
    expect(borrowed.decision.outcome).toBe("link");
    expect(borrowed.resident.empi).toBe(sonEmpi);
    expect(borrowed.decision.flags).toContain("resident-id-contradicts");
    expect(borrowed.resident.residentId).toBe(SON_ID);
    expect((await index.getResident(fatherEmpi!))?.records).toHaveLength(1);
    expect(await index.getByBlockingKey(`id:${FATHER_ID}`)).toEqual([fatherEmpi]);
  });

  it("gives a child first seen with the parent's number a resident of its own", async () => {
    const { mpi } = engine();
    const [fatherEmpi] = await register(mpi, father);
    const child = await mpi.match({ ...without(son, "residentId"), residentId: FATHER_ID }, { today: TODAY });
    expect(child.decision.outcome).toBe("new");
    expect(child.resident.empi).not.toBe(fatherEmpi);
    expect(child.resident.residentId).toBeUndefined();
    expect(child.resident.records[0]).toMatchObject({ residentId: FATHER_ID, residentIdSetAside: true });
  });

  it("keeps twins apart, with or without their numbers", async () => {
    const { mpi } = engine();
    const [a, b] = await register(mpi, son, daughter);
    expect(a).not.toBe(b);
    const [c, d] = await register(mpi, without(son, "residentId"), without(daughter, "residentId"));
    expect([c, d]).toEqual([a, b]);
  });

  it("keeps namesakes apart", async () => {
    const { mpi } = engine();
    const [a, b] = await register(mpi, without(father, "residentId"), namesake);
    expect(a).not.toBe(b);
  });

  it("keeps an invalid number with its record, flagged, and never indexes it", async () => {
    const { mpi, index } = engine();
    const badCheck = `${SON_ID.slice(0, 17)}${SON_ID.charAt(17) === "1" ? "2" : "1"}`;
    const result = await mpi.match({ ...son, residentId: badCheck }, { today: TODAY });
    expect(result.decision.flags).toContain("resident-id-bad-check");
    expect(result.resident.residentId).toBeUndefined();
    expect(result.resident.records[0]).toMatchObject({ residentId: badCheck, residentIdStatus: "bad-check" });
    expect(await index.getByBlockingKey(`id:${badCheck}`)).toEqual([]);
    expect(blockingKeys(result.resident.records[0]!, { today: TODAY }).some((k) => k.startsWith("id:"))).toBe(false);
    // the right number, typed later, finds the resident through the other keys and takes over as key
    const right = await mpi.match(son, { today: TODAY });
    expect(right.decision).toMatchObject({ outcome: "link", empi: result.resident.empi });
    expect(right.resident.residentId).toBe(SON_ID);
  });

  it("creates a provisional resident for a review, naming the candidates", async () => {
    const { mpi } = engine();
    const [fatherEmpi] = await register(mpi, without(father, "residentId"));
    const unsure = await mpi.match(
      { ...without(father, "residentId", "address"), given: "建帼", birthDate: dayAfter(father.birthDate!), phone: "18603110000" },
      { today: TODAY },
    );
    expect(unsure.decision.outcome).toBe("review");
    expect(unsure.resident).toMatchObject({ version: 1, reviewCandidates: [fatherEmpi] });
    expect(unsure.resident.empi).not.toBe(fatherEmpi);
  });

  it("merges a resident awaiting review into the one a later registration shows it to be", async () => {
    const { mpi } = engine();
    const [first] = await register(mpi, reviewed);
    const doubt = await mpi.match(reviewedElsewhere, { today: TODAY });
    expect(doubt.resident.reviewCandidates).toEqual([first]);
    // the second hospital's address, the first's phone: linked to the first resident, which absorbs the provisional one
    const answer = await mpi.match({ ...reviewed, address: reviewedElsewhere.address }, { today: TODAY });
    expect(answer.decision).toMatchObject({ outcome: "link", empi: first, absorbs: [doubt.resident.empi] });
    expect(answer.decision.flags).toContain("review-answered");
    expect(answer.resident.records.map((r) => r.birthDate)).toEqual([reviewed.birthDate, reviewedElsewhere.birthDate, reviewed.birthDate]);
    // and the other way round: a record that fits the provisional resident best joins the resident it awaited
    const second = engine();
    const [again] = await register(second.mpi, reviewed);
    const doubtAgain = await second.mpi.match(reviewedElsewhere, { today: TODAY });
    const closer = await second.mpi.match({ ...reviewedElsewhere, phone: reviewed.phone, birthDate: reviewed.birthDate }, { today: TODAY });
    expect(closer.decision).toMatchObject({ outcome: "link", empi: again, absorbs: [doubtAgain.resident.empi] });
    expect((await second.index.getResident(doubtAgain.resident.empi))?.records).toEqual([]);
  });

  it("answers a review apart when a later registration gives the provisional resident another number than its candidate's", async () => {
    const { mpi, index } = engine();
    const [fatherEmpi] = await register(mpi, father);
    const unsure = {
      ...without(father, "residentId", "address"),
      given: "建帼",
      birthDate: dayAfter(father.birthDate!),
      phone: "18603110000",
    };
    const doubt = await mpi.match(unsure, { today: TODAY });
    expect(doubt.resident.reviewCandidates).toEqual([fatherEmpi]);
    // the same man again, now with his own number: he is not the father (who holds another), so no longer in question
    const own = makeResidentId("130102", unsure.birthDate!, "031");
    const later = await mpi.match({ ...unsure, residentId: own }, { today: TODAY });
    expect(later.decision).toMatchObject({ outcome: "link", empi: doubt.resident.empi, remainingReview: [] });
    expect(later.decision.flags).toContain("review-answered-apart");
    expect(later.decision.absorbs).toBeUndefined(); // its number is not the father's: never merged into him
    expect(later.resident.reviewCandidates).toBeUndefined();
    expect((await index.getResident(fatherEmpi!))?.records).toHaveLength(1);
    // without a number, the question stays
    const second = engine();
    await register(second.mpi, father);
    const doubtAgain = await second.mpi.match(unsure, { today: TODAY });
    const again = await second.mpi.match({ ...unsure, source: { system: "mrn", value: "2" } }, { today: TODAY });
    expect(again.resident).toMatchObject({ empi: doubtAgain.resident.empi, reviewCandidates: doubtAgain.resident.reviewCandidates });
  });

  it("answers a review apart when the candidate is known only by numbers typed that cannot be a slip of the provisional resident's", async () => {
    const own = makeResidentId("130109", "1948-07-24", "414");
    const other = makeResidentId("130133", "1948-07-22", "204");
    // the namesake's own number, one digit mistyped: it fails its check
    const mistyped = other.slice(0, 16) + String((Number(other.charAt(16)) + 1) % 10) + other.charAt(17);
    const namesake = {
      family: "王",
      given: "晓",
      sex: "female" as const,
      birthDate: "1948-07-24",
      residentId: mistyped,
      phone: "19040208655",
      address: "石家庄市赵县后河镇新后村50号",
    };
    const xiaoxiu = {
      ...namesake,
      given: "晓秀",
      residentId: own,
      phone: "16688907302",
      address: "石家庄市藁城区幸福街77号翰林苑29号楼1单元1602室",
    };
    const { mpi } = engine();
    const [candidate] = await register(mpi, namesake);
    const doubt = await mpi.match(xiaoxiu, { today: TODAY });
    expect(doubt.decision.outcome).toBe("review");
    expect(doubt.resident.reviewCandidates).toEqual([candidate]);
    // her number again: the candidate typed one that is no slip of it, so she is not the candidate
    const later = await mpi.match(xiaoxiu, { today: TODAY });
    expect(later.decision).toMatchObject({ outcome: "link", empi: doubt.resident.empi, remainingReview: [] });
    expect(later.decision.flags).toContain("review-answered-apart");
    expect(later.resident.reviewCandidates).toBeUndefined();
    // a candidate known without a number: nothing to tell them apart, the question stays
    const second = engine();
    const [unnumbered] = await register(second.mpi, without(namesake, "residentId"));
    const doubtAgain = await second.mpi.match(xiaoxiu, { today: TODAY });
    expect(doubtAgain.resident.reviewCandidates).toEqual([unnumbered]);
    const again = await second.mpi.match(xiaoxiu, { today: TODAY });
    expect(again.resident.reviewCandidates).toEqual([unnumbered]);
  });

  it("never lets a given name typed short answer a review: a twin's record looks the same", async () => {
    const { mpi } = engine();
    const [sonEmpi] = await register(mpi, son);
    // the son typed short, with another phone, no number and no home: a steward decides
    const short = await mpi.match({ ...without(son, "residentId", "address"), given: "子", phone: "18603110000" }, { today: TODAY });
    expect(short.decision.outcome).toBe("review");
    const later = await mpi.match({ ...son, phone: "18603110000" }, { today: TODAY });
    expect(later.decision).toMatchObject({ outcome: "link", empi: sonEmpi });
    expect(later.decision.absorbs).toBeUndefined();
  });

  describe("a review answered by the provisional resident's registrations together (link-rules.ts residentsAgree)", () => {
    const number = makeResidentId("131122", "1996-04-27", "839");
    const elsewhere = {
      family: "胡",
      given: "鸣平",
      sex: "male" as const,
      birthDate: "1996-04-28",
      phone: "14275941419",
      address: "河北省石家庄市赵县杨庄镇杨南村263号",
    };
    const atHome = {
      family: "胡",
      given: "鸣平",
      sex: "male" as const,
      birthDate: "1996-04-27",
      residentId: number,
      phone: "15675414631",
      address: "河北省衡水市武邑县和平路232号",
    };

    it("merges it into its candidate when one registration gives the name and date, another the candidate's phone", async () => {
      const { mpi, index } = engine();
      const [candidate] = await register(mpi, elsewhere);
      // the full name and a day off, nothing else: a steward decides
      const unsure = await mpi.match(atHome, { today: TODAY });
      expect(unsure.decision.outcome).toBe("review");
      expect(unsure.resident.reviewCandidates).toEqual([candidate]);
      // his own number again, his name typed short, and the phone the candidate gave: alone it says nothing about the
      // candidate (a twin typed short looks the same), with the registration before it, it is the candidate's full name,
      // a day off, at the candidate's phone
      const later = await mpi.match({ ...atHome, given: "鸣", phone: elsewhere.phone }, { today: TODAY });
      expect(later.decision).toMatchObject({ outcome: "link", empi: candidate, absorbs: [unsure.resident.empi] });
      expect(later.decision.flags).toContain("review-answered");
      expect(later.resident.records.map((r) => r.given)).toEqual(["鸣平", "鸣平", "鸣"]);
      expect((await index.getResident(unsure.resident.empi))?.records).toEqual([]);
    });

    it("leaves it to the steward when the candidate is known only by a name typed short (a twin's record looks the same)", async () => {
      const { mpi } = engine();
      const [candidate] = await register(mpi, { ...elsewhere, given: "鸣", birthDate: atHome.birthDate });
      const unsure = await mpi.match(atHome, { today: TODAY });
      expect(unsure.resident.reviewCandidates).toEqual([candidate]);
      const later = await mpi.match({ ...atHome, phone: elsewhere.phone, address: elsewhere.address }, { today: TODAY });
      expect(later.resident.empi).toBe(unsure.resident.empi);
      expect(later.decision.absorbs).toBeUndefined();
      expect(later.resident.reviewCandidates).toEqual([candidate]);
    });

    it("leaves it when nothing beyond name and date is shared", async () => {
      const { mpi } = engine();
      const [candidate] = await register(mpi, elsewhere);
      const unsure = await mpi.match(atHome, { today: TODAY });
      const again = await mpi.match({ ...atHome, phone: "13900000000" }, { today: TODAY });
      expect(again.resident.empi).toBe(unsure.resident.empi);
      expect(again.decision.absorbs).toBeUndefined();
      expect(again.resident.reviewCandidates).toEqual([candidate]);
    });
  });

  it("counts the residents holding a name (up to COMMON_NAME) without reading them as candidates", async () => {
    const index = new InMemoryResidentIndex();
    const mpi = new MasterPatientIndex(index, new CounterEmpiAllocator());
    const [fatherEmpi] = await register(mpi, without(father, "residentId"));
    const nameKey = blockingKeys(father, { today: TODAY }).find((k) => k.startsWith(NAME_COUNT_PREFIX))!;
    expect(await index.getByBlockingKey(nameKey)).toEqual([fatherEmpi]);
    // a namesake born on another day, at another home, with another phone: counted, never a candidate
    const elsewhere = { family: father.family, given: father.given, sex: father.sex, birthDate: "1991-01-01", phone: "17700001111" };
    const { residents, nameHolders } = await mpi.candidates(elsewhere, { today: TODAY });
    expect(nameHolders).toBe(1);
    expect(residents).toEqual([]);
    await index.addBlockingKeys("E0000000000999", [nameKey]);
    for (let i = 0; i < COMMON_NAME + 5; i++) await index.addBlockingKeys(`E${String(1000 + i).padStart(12, "0")}0`, [nameKey]);
    expect((await mpi.candidates(elsewhere, { today: TODAY })).nameHolders).toBe(COMMON_NAME);
  });

  it("skips an overfull partition and says so", async () => {
    const index = new InMemoryResidentIndex();
    const mpi = new MasterPatientIndex(index, new CounterEmpiAllocator(), { maxPartition: 1 });
    await register(mpi, without(son, "residentId"), without(daughter, "residentId"));
    const result = await mpi.match(without(son, "residentId"), { today: TODAY });
    expect(result.decision.flags).toContain("blocking-partition-overfull");
  });

  it("refuses a write over a resident changed meanwhile", async () => {
    const index = new InMemoryResidentIndex();
    await index.putResident({ empi: "E0000000000012", version: 1, records: [] });
    await expect(index.putResident({ empi: "E0000000000012", version: 1, records: [] })).rejects.toBeInstanceOf(
      ResidentVersionConflictError,
    );
  });
});
