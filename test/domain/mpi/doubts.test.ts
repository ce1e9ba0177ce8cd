/**
 * Links a later registration puts in doubt (issue 20, doubts.ts): a twin's record typed short that
 * linked to the other twin while only that one was indexed, and a resident that a second full given
 * name shows to hold two children. Each test also shows the link the registration leaves alone.
 */
import { describe, expect, it } from "vitest";
import { decide } from "#domain/mpi/decide.ts";
import { doubtsRaised } from "#domain/mpi/doubts.ts";
import { CounterEmpiAllocator } from "#domain/mpi/empi.ts";
import { MasterPatientIndex } from "#domain/mpi/engine.ts";
import { InMemoryResidentIndex } from "#domain/mpi/memory-index.ts";
import { isProvisional, type MatchRecord, type Resident } from "#domain/mpi/record.ts";
import { makeResidentId } from "#domain/mpi/resident-id.ts";
import { son } from "#lib/world/households.ts";
import { residentOf, TODAY, without } from "./fixtures.ts";

const opts = { today: TODAY };
/** 子涵's twin brother: the same family, birth date, phone and home; his own number */
const brother: MatchRecord = { ...son, residentId: makeResidentId("130102", "1988-09-07", "035"), given: "子轩" };
/** a record of one of the two typed short, without a number: 子 */
const short: MatchRecord = { ...without(son, "residentId"), given: "子" };

describe("doubts a later registration raises", () => {
  it("puts a record typed short in doubt once a second resident it fits is registered: the twin", () => {
    const a = residentOf("E0000000000012", son, short);
    // while only 子涵 is indexed the short record links to him: nothing tells it from his own slip
    expect(decide(short, [residentOf("E0000000000012", son)], opts)).toMatchObject({ outcome: "link", empi: a.empi });
    const placed = decide(brother, [a], opts);
    expect(placed.outcome).toBe("new");
    const b: Resident = { empi: "E0000000000020", version: 1, records: [placed.record], residentId: brother.residentId! };
    const doubts = doubtsRaised(placed.record, b, [a], opts);
    expect(doubts).toEqual([{ record: a.records[1], from: a.empi, candidates: [a.empi, b.empi] }]);
    // 子涵's own record again puts nothing in doubt, nor does a twin sister the short record's sex goes against
    const again = decide(son, [a], opts);
    expect(doubtsRaised(again.record, { ...a, records: [...a.records, again.record] }, [], opts)).toEqual([]);
    const sister = decide(
      { ...brother, given: "子萱", sex: "female", residentId: makeResidentId("130102", "1988-09-07", "046") },
      [a],
      opts,
    );
    expect(doubtsRaised(sister.record, { empi: "E0000000000038", version: 1, records: [sister.record] }, [a], opts)).toEqual([]);
  });

  it("leaves a record its number confirms, and a resident awaiting review", () => {
    const numbered = residentOf("E0000000000012", son, { ...short, residentId: son.residentId });
    const placed = decide(brother, [numbered], opts);
    const b: Resident = { empi: "E0000000000020", version: 1, records: [placed.record] };
    expect(doubtsRaised(placed.record, b, [numbered], opts)).toEqual([]);
    const awaiting = { ...residentOf("E0000000000012", son, short), reviewCandidates: ["E0000000000046"] };
    expect(doubtsRaised(placed.record, b, [awaiting], opts)).toEqual([]);
  });

  it("puts in doubt the record a second full name of its number fits better (李一 beside 李一宇, then 李一豪 with the number)", () => {
    const number = makeResidentId("131003", "2009-12-23", "517");
    const yi = { ...son, family: "李", given: "一", birthDate: "2009-12-23", residentId: number };
    // 李一宇 (the twin, no number) joined the resident known by the short name 李一 and its number
    const yiyu = { ...without(yi, "residentId"), given: "一宇" };
    const x = residentOf("E0000000000012", yi, yiyu);
    expect(decide(yiyu, [residentOf("E0000000000012", yi)], opts)).toMatchObject({ outcome: "link", empi: x.empi });
    // then the number's holder in full: 一豪 goes against 一宇, so the number is not the resident's to take
    const placed = decide({ ...yi, given: "一豪" }, [x], opts);
    expect(placed.flags).toContain("resident-id-name-conflict");
    const h: Resident = { empi: "E0000000000020", version: 1, records: [placed.record] };
    const doubts = doubtsRaised(placed.record, h, [x], opts);
    expect(doubts).toEqual([{ record: x.records[0], from: x.empi, candidates: [x.empi, h.empi] }]);
  });

  it("in the engine: the record leaves for a resident of its own awaiting review; its twin's registrations go on linking", async () => {
    const index = new InMemoryResidentIndex();
    const mpi = new MasterPatientIndex(index, new CounterEmpiAllocator());
    const a = await mpi.match(son, opts);
    const s = await mpi.match(short, opts);
    expect(s.decision).toMatchObject({ outcome: "link", empi: a.resident.empi });
    const b = await mpi.match(brother, opts);
    expect(b.decision.outcome).toBe("new");
    expect(b.doubts).toHaveLength(1);
    const [doubt] = b.doubts;
    expect(doubt).toMatchObject({ from: a.resident.empi, candidates: [a.resident.empi, b.resident.empi] });
    const moved = await index.getResident(doubt!.to);
    expect(moved?.records.map((r) => r.given)).toEqual(["子"]);
    expect(isProvisional(moved!)).toBe(true);
    expect((await index.getResident(a.resident.empi))?.records.map((r) => r.given)).toEqual(["子涵"]);
    // a later short record awaits review at once (both twins are indexed: it joins the record in doubt); the twins' own records link
    expect(isProvisional((await mpi.match(short, opts)).resident)).toBe(true);
    expect((await mpi.match({ ...brother, phone: "18603110000" }, opts)).decision).toMatchObject({
      outcome: "link",
      empi: b.resident.empi,
    });
    expect((await mpi.match(son, opts)).doubts).toEqual([]);
  });
});
