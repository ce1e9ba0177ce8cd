/**
 * The MPI use cases (feed, PIXm, PDQm, stewardship) over in-memory stores with the DynamoDB
 * adapters' conditional semantics: placement, versioning, merges and concurrent first registrations.
 */
import { describe, expect, it } from "vitest";
import { DomainError } from "#domain/errors.ts";
import { makeResidentId } from "#domain/mpi/resident-id.ts";
import { daughter, father, patientOf, type Registration, reviewed, reviewedElsewhere, son, wrongCheckChar } from "#lib/world/index.ts";
import { EMPI_SYSTEM, MATCH_FLAG_SYSTEM, MATCH_TAG_SYSTEM, mrnSystem, RESIDENT_ID_SYSTEM } from "#schemas/patient.ts";
import { statusOf as httpStatusOf } from "#shared/http.ts";
import { feedPatient } from "#use-cases/mpi/feed.ts";
import { feedSource } from "#use-cases/mpi/patient-record.ts";
import { pdqSearch, pixQuery } from "#use-cases/mpi/queries.ts";
import { dismissReview, linkRecord, listReview, mergeResidents, unlinkRecord, unmergeResident } from "#use-cases/mpi/stewardship.ts";
import { memoryMpi } from "./patient-memory-stores.ts";

type Mpi = ReturnType<typeof memoryMpi>;
type Id = { system: string; value: string };

async function feed(m: Mpi, hospitalId: string, mrn: string, person: Registration) {
  const patient = patientOf(hospitalId, mrn, person);
  return feedPatient(m.deps, m.mpi, { hospitalId, patient, source: feedSource(hospitalId, patient) });
}
const empiOf = (identifiers: Id[]): string | undefined => identifiers.find((i) => i.system === EMPI_SYSTEM)?.value;
const mrn = (hospitalId: string, value: string) => `${mrnSystem(hospitalId)}|${value}`;
const pix = async (m: Mpi, source: string, targets: string[] = []) =>
  ((await pixQuery(m.deps, source, targets)).parameters.parameter as { name: string; valueIdentifier?: Id }[])
    .flatMap((p) => (p.valueIdentifier ? [`${p.valueIdentifier.system}|${p.valueIdentifier.value}`] : []))
    .sort();
const statusOf = async (run: () => Promise<unknown>) => {
  try {
    await run();
  } catch (error) {
    return error instanceof DomainError ? httpStatusOf(error) : -1;
  }
  return 200;
};

describe("feed and PIXm", () => {
  it("links a second hospital's record by the resident ID number; PIXm answers every linked identifier", async () => {
    const m = memoryMpi();
    const first = await feed(m, "sjz001", "A1", father);
    const second = await feed(m, "ts001", "B7", { ...father, phone: "15800001111", given: "建帼" });
    expect(first.created).toBe(true);
    const empi = empiOf(first.identifiers);
    expect(empi).toMatch(/^E\d{13}$/);
    expect(empiOf(second.identifiers)).toBe(empi);
    expect(await pix(m, mrn("sjz001", "A1"))).toEqual(
      [`${EMPI_SYSTEM}|${empi}`, `${RESIDENT_ID_SYSTEM}|${father.residentId}`, mrn("ts001", "B7")].sort(),
    );
    expect(await pix(m, mrn("sjz001", "A1"), [mrnSystem("ts001")])).toEqual([mrn("ts001", "B7")]);
    expect(await pix(m, `${RESIDENT_ID_SYSTEM}|${father.residentId}`)).toContain(mrn("sjz001", "A1"));
  });

  it("answers PIXm 404 for an unknown identifier, 403 for an unknown target system, 400 for an unknown domain", async () => {
    const m = memoryMpi();
    await feed(m, "sjz001", "A1", father);
    expect(await statusOf(() => pixQuery(m.deps, mrn("sjz001", "nope")))).toBe(404);
    expect(await statusOf(() => pixQuery(m.deps, mrn("sjz001", "A1"), ["urn:oid:1.2.3"]))).toBe(403);
    expect(await statusOf(() => pixQuery(m.deps, "urn:oid:1.2.3|x"))).toBe(400);
  });

  it("replaces a record on update: same EMPI, new version, one record", async () => {
    const m = memoryMpi();
    const first = await feed(m, "sjz001", "A1", father);
    const updated = await feed(m, "sjz001", "A1", { ...father, phone: "18603110000" });
    expect(updated.created).toBe(false);
    expect(empiOf(updated.identifiers)).toBe(empiOf(first.identifiers));
    expect((updated.patient.meta as { versionId: string }).versionId).toBe("2");
    const resident = await m.residents.latest(empiOf(first.identifiers)!);
    expect(resident?.records).toHaveLength(1);
    expect(resident?.records[0]?.phone).toBe("18603110000");
  });

  it("keeps and flags a number with a bad check character, never as a key", async () => {
    const m = memoryMpi();
    const bad = wrongCheckChar(father.residentId!);
    const answer = await feed(m, "sjz001", "A1", { ...father, residentId: bad });
    expect((answer.patient.identifier as Id[]).find((i) => i.system === RESIDENT_ID_SYSTEM)?.value).toBe(bad);
    expect((answer.patient.meta as { tag: unknown[] }).tag).toContainEqual({ system: MATCH_FLAG_SYSTEM, code: "resident-id-bad-check" });
    expect(await statusOf(() => pixQuery(m.deps, `${RESIDENT_ID_SYSTEM}|${bad}`))).toBe(404);
  });

  it("does not link a child registered with the parent's number to the parent", async () => {
    const m = memoryMpi();
    const parent = await feed(m, "sjz001", "A1", father);
    const child = await feed(m, "ts001", "B1", { ...son, residentId: father.residentId });
    expect(empiOf(child.identifiers)).not.toBe(empiOf(parent.identifiers));
    expect((child.patient.meta as { tag?: { code: string }[] }).tag?.map((t) => t.code)).toContain("resident-id-contradicts");
    expect(await pix(m, `${RESIDENT_ID_SYSTEM}|${father.residentId}`)).not.toContain(mrn("ts001", "B1"));
  });

  it("keeps twins apart", async () => {
    const m = memoryMpi();
    const a = await feed(m, "sjz001", "A1", son);
    const b = await feed(m, "sjz001", "A2", daughter);
    const c = await feed(m, "ts001", "B1", { ...daughter, residentId: undefined });
    expect(empiOf(a.identifiers)).not.toBe(empiOf(b.identifiers));
    expect(empiOf(c.identifiers)).toBe(empiOf(b.identifiers));
  });

  it("gives two simultaneous first registrations of one number one EMPI", async () => {
    const m = memoryMpi();
    const [a, b] = await Promise.all([feed(m, "sjz001", "A1", father), feed(m, "ts001", "B1", { ...father, phone: "15800001111" })]);
    expect(empiOf(a.identifiers)).toBeDefined();
    expect(empiOf(b.identifiers)).toBe(empiOf(a.identifiers));
    expect(m.residents.claims.get(father.residentId!)?.owner).toBe(empiOf(a.identifiers));
  });
});

describe("concurrent and interrupted feeds", () => {
  it("serializes two feeds of one MRN: both answer, one record remains, at version 2", async () => {
    const m = memoryMpi();
    const [x, y] = await Promise.all([feed(m, "sjz001", "A1", father), feed(m, "sjz001", "A1", { ...father, phone: "18603110000" })]);
    expect(empiOf(x.identifiers)).toBe(empiOf(y.identifiers));
    expect(m.records.records.get(mrn("sjz001", "A1"))?.version).toBe(2);
    expect((await m.residents.latest(empiOf(x.identifiers)!))?.records).toHaveLength(1);
  });

  it("never answers a copy whose hospital record was not committed, and tidies it at the retry", async () => {
    const m = memoryMpi();
    const first = await feed(m, "sjz001", "A1", son);
    // a crash after the resident was written, before the hospital's record was committed
    const put = m.records.put.bind(m.records);
    m.records.put = async () => {
      throw new Error("crash");
    };
    await expect(feed(m, "ts001", "B1", { ...son, phone: "18600000001" })).rejects.toThrow("crash");
    m.records.put = put;
    expect(await pix(m, mrn("sjz001", "A1"))).toEqual(
      [`${EMPI_SYSTEM}|${empiOf(first.identifiers)}`, `${RESIDENT_ID_SYSTEM}|${son.residentId}`].sort(),
    );
    // the FEP retries: linked once, no second copy
    await feed(m, "ts001", "B1", { ...son, phone: "18600000001" });
    expect(await pix(m, mrn("sjz001", "A1"))).toContain(mrn("ts001", "B1"));
    const records = (await m.residents.latest(empiOf(first.identifiers)!))?.records ?? [];
    expect(records.filter((r) => r.source?.value === "B1")).toHaveLength(1);
  });
});

describe("PDQm", () => {
  it("finds by identifier, telecom, full name and family with birth date, filtered by the other parameters", async () => {
    const m = memoryMpi();
    await feed(m, "sjz001", "A1", father);
    await feed(m, "sjz001", "A2", son);
    const ids = async (q: Parameters<typeof pdqSearch>[1]) =>
      ((await pdqSearch(m.deps, q)).bundle.entry as { resource: { identifier: Id[] } }[])
        .map((e) => e.resource.identifier[0]!.value)
        .sort();
    expect(await ids({ identifier: `${RESIDENT_ID_SYSTEM}|${son.residentId}` })).toEqual(["A2"]);
    expect(await ids({ telecom: "phone|13912345678" })).toEqual(["A1", "A2"]);
    expect(await ids({ telecom: "13912345678", gender: "male", birthdate: "1960" })).toEqual(["A1"]);
    expect(await ids({ name: "张子涵" })).toEqual(["A2"]);
    expect(await ids({ family: "张", given: "建国" })).toEqual(["A1"]);
    expect(await ids({ family: "张", birthdate: "1988-09-07" })).toEqual(["A2"]);
    expect(await statusOf(() => pdqSearch(m.deps, { family: "张" }))).toBe(400);
  });
});

describe("stewardship", () => {
  async function twoResidents() {
    const m = memoryMpi();
    const a = await feed(m, "sjz001", "A1", { ...son, residentId: undefined });
    // the same person, registered elsewhere with a new phone, a new address and a slipped birth date: a new resident
    const b = await feed(m, "ts001", "B1", {
      ...son,
      residentId: undefined,
      birthDate: "1988-09-17",
      phone: "18600000001",
      address: "河北省唐山市路北区建设路99号",
    });
    return { m, a: empiOf(a.identifiers)!, b: empiOf(b.identifiers)! };
  }

  it("merges two EMPIs and undoes it, PIXm following at once; the merged EMPI answers replaced-by", async () => {
    const { m, a, b } = await twoResidents();
    expect(a).not.toBe(b);
    await mergeResidents(m.deps, { survivor: a, merged: b });
    expect(await pix(m, mrn("sjz001", "A1"))).toEqual([`${EMPI_SYSTEM}|${a}`, mrn("ts001", "B1")].sort());
    expect(await pix(m, `${EMPI_SYSTEM}|${b}`)).toEqual([`${EMPI_SYSTEM}|${a}`, mrn("sjz001", "A1"), mrn("ts001", "B1")].sort());
    const replaced = (await pdqSearch(m.deps, { identifier: `${EMPI_SYSTEM}|${b}` })).bundle.entry as {
      resource: Record<string, unknown>;
    }[];
    expect(replaced[0]?.resource).toMatchObject({
      id: b,
      active: false,
      link: [{ type: "replaced-by", other: { identifier: { system: EMPI_SYSTEM, value: a } } }],
    });
    // a later feed of the merged resident's record answers with the survivor's EMPI
    const again = await feed(m, "ts001", "B1", {
      ...son,
      residentId: undefined,
      birthDate: "1988-09-17",
      phone: "18600000001",
      address: "河北省唐山市路北区建设路99号",
    });
    expect(empiOf(again.identifiers)).toBe(a);

    await unmergeResident(m.deps, { merged: b });
    expect(await pix(m, mrn("sjz001", "A1"))).toEqual([`${EMPI_SYSTEM}|${a}`]);
    expect(await pix(m, mrn("ts001", "B1"))).toEqual([`${EMPI_SYSTEM}|${b}`]);
    expect((await m.residents.history(b, 10)).map((v) => v.change?.kind)).toEqual(["unmerge", "feed", "merge", "feed"]);
  });

  it("keeps a survivor answering for its merged resident when its own last record is linked away", async () => {
    const { m, a, b } = await twoResidents();
    await mergeResidents(m.deps, { survivor: a, merged: b });
    const c = empiOf((await feed(m, "hd001", "C1", father)).identifiers)!;
    await linkRecord(m.deps, { source: mrn("sjz001", "A1"), empi: c });
    expect((await m.residents.latest(a))?.mergedInto).toBeUndefined();
    expect(await pix(m, mrn("ts001", "B1"))).toEqual([`${EMPI_SYSTEM}|${a}`]);
    expect(await pix(m, `${EMPI_SYSTEM}|${b}`)).toEqual([`${EMPI_SYSTEM}|${a}`, mrn("ts001", "B1")].sort());
  });

  it("refuses to merge residents holding two resident ID numbers", async () => {
    const m = memoryMpi();
    const a = empiOf((await feed(m, "sjz001", "A1", son)).identifiers)!;
    const b = empiOf((await feed(m, "sjz001", "A2", daughter)).identifiers)!;
    expect(await statusOf(() => mergeResidents(m.deps, { survivor: a, merged: b }))).toBe(409);
  });

  it("links and unlinks a hospital's record; an emptied resident answers replaced-by", async () => {
    const { m, a, b } = await twoResidents();
    await linkRecord(m.deps, { source: mrn("ts001", "B1"), empi: a });
    expect(await pix(m, mrn("sjz001", "A1"))).toEqual([`${EMPI_SYSTEM}|${a}`, mrn("ts001", "B1")].sort());
    expect((await m.residents.latest(b))?.mergedInto).toBe(a);
    await unlinkRecord(m.deps, { source: mrn("ts001", "B1") });
    const alone = await pix(m, mrn("ts001", "B1"));
    expect(alone).toHaveLength(1);
    expect(alone[0]).not.toBe(`${EMPI_SYSTEM}|${a}`);
    expect(await statusOf(() => unlinkRecord(m.deps, { source: mrn("ts001", "B1") }))).toBe(409);
    // pinned: an update of the unlinked record stays with its own resident
    const updated = await feed(m, "ts001", "B1", { ...son, residentId: undefined });
    expect(`${EMPI_SYSTEM}|${empiOf(updated.identifiers)}`).toBe(alone[0]);
  });

  it("queues a record awaiting review without an EMPI; dismissing the review gives it one", async () => {
    const m = memoryMpi();
    await feed(m, "sjz001", "A1", reviewed);
    // the same name, the birth date's day and month swapped, phone and address new: a steward decides
    const doubt = await feed(m, "ts001", "B1", reviewedElsewhere);
    const tags = (doubt.patient.meta as { tag?: { system: string; code: string }[] }).tag ?? [];
    expect(tags).toContainEqual(expect.objectContaining({ system: MATCH_TAG_SYSTEM, code: "review" }));
    expect(empiOf(doubt.identifiers)).toBeUndefined();
    const queue = (await listReview(m.deps, 10)).body.review as { resident: { empi: string } }[];
    expect(queue).toHaveLength(1);
    const provisional = queue[0]!.resident.empi;
    await dismissReview(m.deps, provisional);
    expect(await pix(m, mrn("ts001", "B1"))).toEqual([`${EMPI_SYSTEM}|${provisional}`]);
    expect((await listReview(m.deps, 10)).body.review).toEqual([]);
  });

  it("merges a resident awaiting review into its candidate when a later registration links beyond doubt to both", async () => {
    const m = memoryMpi();
    const first = await feed(m, "sjz001", "A1", reviewed);
    const empi = empiOf(first.identifiers)!;
    await feed(m, "ts001", "B1", reviewedElsewhere);
    const provisional = ((await listReview(m.deps, 10)).body.review as { resident: { empi: string } }[])[0]!.resident.empi;
    // the same woman with the first hospital's phone and the second's address: one person, as a steward would find
    const answer = await feed(m, "hd001", "C1", { ...reviewed, address: reviewedElsewhere.address });
    expect(empiOf(answer.identifiers)).toBe(empi);
    expect(answer.reviewsAnswered).toBe(1);
    const merged = await m.residents.latest(provisional);
    expect(merged?.mergedInto).toBe(empi);
    expect(merged?.change).toMatchObject({ kind: "merge", by: "hd001", subject: empi, reason: `review answered by ${mrn("hd001", "C1")}` });
    expect(await pix(m, mrn("ts001", "B1"), [EMPI_SYSTEM])).toEqual([`${EMPI_SYSTEM}|${empi}`]);
    expect(await pix(m, mrn("sjz001", "A1"), [mrnSystem("ts001")])).toEqual([mrn("ts001", "B1")]);
    expect((await listReview(m.deps, 10)).body.review).toEqual([]);
  });

  it("answers a review apart when a later registration gives the provisional resident another number than its candidate's", async () => {
    const m = memoryMpi();
    const first = await feed(m, "sjz001", "A1", father);
    const unsure = { ...father, residentId: undefined, address: undefined, given: "建帼", birthDate: "1960-05-21", phone: "18603110000" };
    const doubt = await feed(m, "ts001", "B1", unsure);
    expect(empiOf(doubt.identifiers)).toBeUndefined();
    const own = await feed(m, "ts001", "B2", { ...unsure, residentId: makeResidentId("130102", "1960-05-21", "031") });
    expect(own.reviewsAnswered).toBe(1);
    const empi = empiOf(own.identifiers);
    expect(empi).toBeDefined();
    expect(empi).not.toBe(empiOf(first.identifiers));
    expect(await pix(m, mrn("ts001", "B1"), [EMPI_SYSTEM])).toEqual([`${EMPI_SYSTEM}|${empi}`]);
    expect((await listReview(m.deps, 10)).body.review).toEqual([]);
  });

  it("merges a resident awaiting review into its candidate when its registrations together show it to be the candidate", async () => {
    const m = memoryMpi();
    const elsewhere: Registration = {
      family: "胡",
      given: "鸣平",
      sex: "male",
      birthDate: "1996-04-28",
      phone: "14275941419",
      address: "河北省石家庄市赵县杨庄镇杨南村263号",
    };
    const first = await feed(m, "sjz001", "A1", elsewhere);
    const atHome: Registration = {
      ...elsewhere,
      birthDate: "1996-04-27",
      residentId: makeResidentId("131122", "1996-04-27", "839"),
      phone: "15675414631",
      address: "河北省衡水市武邑县和平路232号",
    };
    const doubt = await feed(m, "hs001", "B1", atHome);
    expect(empiOf(doubt.identifiers)).toBeUndefined();
    // his name typed short and the candidate's phone: with the registration before it, one full name a day apart and one phone
    const answer = await feed(m, "hs001", "B2", { ...atHome, given: "鸣", phone: elsewhere.phone });
    expect(answer.reviewsAnswered).toBe(1);
    expect(empiOf(answer.identifiers)).toBe(empiOf(first.identifiers));
    expect(await pix(m, mrn("hs001", "B1"), [EMPI_SYSTEM])).toEqual([`${EMPI_SYSTEM}|${empiOf(first.identifiers)}`]);
    expect((await listReview(m.deps, 10)).body.review).toEqual([]);
  });

  it("leaves the review to the steward when the later registration agrees with the provisional record on name and birth date only", async () => {
    const m = memoryMpi();
    await feed(m, "sjz001", "A1", reviewed);
    await feed(m, "ts001", "B1", reviewedElsewhere);
    expect((await feed(m, "hd001", "C1", { ...reviewed, birthDate: reviewedElsewhere.birthDate })).reviewsAnswered).toBe(0);
    const queue = (await listReview(m.deps, 10)).body.review as { resident: { empi: string } }[];
    expect(queue).toHaveLength(1);
    expect((await m.residents.latest(queue[0]!.resident.empi))?.mergedInto).toBeUndefined();
  });
});

describe("doubts a later registration raises (doubts.ts)", () => {
  /** 子涵's twin brother, and a record of one of the two typed short without a number */
  const brother: Registration = { ...son, residentId: makeResidentId("130102", "1988-09-07", "035"), given: "子轩" };
  const short: Registration = { ...son, residentId: undefined, given: "子" };

  it("puts a twin's record typed short in review once the other twin is registered, the change naming the registration", async () => {
    const m = memoryMpi();
    const a = empiOf((await feed(m, "sjz001", "A1", son)).identifiers)!;
    // while only 子涵 is indexed, 子 links to him: nothing tells it from his own slip
    expect(empiOf((await feed(m, "ts001", "B1", short)).identifiers)).toBe(a);
    const answer = await feed(m, "hd001", "C1", brother);
    const b = empiOf(answer.identifiers)!;
    expect(b).not.toBe(a);
    expect(answer.doubtsRaised).toBe(1);
    // the short record awaits review against both brothers: PIXm no longer gives it 子涵's EMPI
    expect(await pix(m, mrn("sjz001", "A1"), [mrnSystem("ts001")])).toEqual([]);
    expect(await pix(m, mrn("ts001", "B1"), [EMPI_SYSTEM])).not.toContain(`${EMPI_SYSTEM}|${a}`);
    const queue = (await listReview(m.deps, 10)).body.review as { resident: { empi: string }; candidates: { empi: string }[] }[];
    expect(queue).toHaveLength(1);
    expect(queue[0]!.candidates.map((c) => c.empi)).toEqual([a, b]);
    const moved = await m.residents.latest(queue[0]!.resident.empi);
    expect(moved?.change).toMatchObject({
      kind: "doubt",
      by: "hd001",
      subject: mrn("hd001", "C1"),
      reason: `put in doubt by ${mrn("hd001", "C1")}`,
    });
    expect((await m.residents.latest(a))?.records.map((r) => r.given)).toEqual(["子涵"]);
    // an update of the short record stays in question (both brothers fit it), and 子涵's own record raises nothing
    const again = await feed(m, "ts001", "B1", { ...short, phone: "18603110000" });
    expect(empiOf(again.identifiers)).toBeUndefined();
    expect((await feed(m, "sjz001", "A2", son)).doubtsRaised).toBe(0);
  });

  it("leaves alone a record a steward placed", async () => {
    const m = memoryMpi();
    const a = empiOf((await feed(m, "sjz001", "A1", son)).identifiers)!;
    await feed(m, "ts001", "B1", short);
    await linkRecord(m.deps, { source: mrn("ts001", "B1"), empi: a, reason: "the mother confirmed it is 子涵" });
    expect((await feed(m, "hd001", "C1", brother)).doubtsRaised).toBe(0);
    expect(await pix(m, mrn("ts001", "B1"), [EMPI_SYSTEM])).toEqual([`${EMPI_SYSTEM}|${a}`]);
  });
});
