/**
 * A namesake's home (issue 20's seventh round): a record agreeing with a resident on name, birth date
 * and sex alone links, unless its phone or home is another household's while the resident has a
 * household of its own (homes.ts). Through the engine over the in-memory port, as the bench runs it.
 */
import { describe, expect, it } from "vitest";
import { blockingKeys, bringsCandidates, homeKeys } from "#domain/mpi/blocking.ts";
import { decide } from "#domain/mpi/decide.ts";
import { CounterEmpiAllocator } from "#domain/mpi/empi.ts";
import { MasterPatientIndex } from "#domain/mpi/engine.ts";
import { homeEvidence, livesElsewhere, livesWhereIssued } from "#domain/mpi/homes.ts";
import { InMemoryResidentIndex } from "#domain/mpi/memory-index.ts";
import type { MatchRecord } from "#domain/mpi/record.ts";
import { makeResidentId } from "#domain/mpi/resident-id.ts";
import { residentOf, TODAY, without } from "./fixtures.ts";

const opts = { today: TODAY };
const BAODING = "河北省保定市竞秀区朝阳北大街12号阳光小区3号楼2单元301室";
const TANGSHAN = "河北省唐山市路南区学府路194号";
const ELSEWHERE = "河北省邯郸市丛台区青年路384号锦绣花园16号楼2单元303室";

/** 张伟鹏, his wife at his home, and the same name and birth date registered elsewhere without a number */
const weipeng: MatchRecord = {
  family: "张",
  given: "伟鹏",
  sex: "male",
  birthDate: "1970-10-06",
  residentId: makeResidentId("130602", "1970-10-06", "135"),
  phone: "13912345678",
  address: BAODING,
};
const wife: MatchRecord = { family: "李", given: "娜", sex: "female", birthDate: "1972-03-14", phone: "13812345670", address: BAODING };
const namesake: MatchRecord = {
  family: "张",
  given: "伟鹏",
  sex: "male",
  birthDate: "1970-10-06",
  phone: "15883361547",
  address: TANGSHAN,
};
const namesakesWife: MatchRecord = {
  family: "王",
  given: "芳",
  sex: "female",
  birthDate: "1971-01-02",
  phone: "15883361548",
  address: TANGSHAN,
};

async function index(...records: MatchRecord[]): Promise<{ mpi: MasterPatientIndex; empis: string[] }> {
  const mpi = new MasterPatientIndex(new InMemoryResidentIndex(), new CounterEmpiAllocator());
  const empis: string[] = [];
  for (const r of records) empis.push((await mpi.match(r, opts)).resident.empi);
  return { mpi, empis };
}

describe("a record agreeing on name, birth date and sex alone", () => {
  it("goes to review when its home is another household's and a household of the resident's lives at its home", async () => {
    const { mpi, empis } = await index(weipeng, wife, namesakesWife);
    const { decision } = await mpi.match(namesake, opts);
    expect(decision.outcome).toBe("review");
    expect(decision.flags).toContain("link-lives-elsewhere");
    expect(decision.reviewCandidates?.map((c) => c.empi)).toEqual([empis[0]]);
    // the fields the steward sees: name, date and sex agree, phone and home do not
    expect(decision.bestComparison).toMatchObject({
      family: "exact",
      given: "exact",
      birthDate: "exact",
      phone: "different",
      address: "different",
    });
  });

  it("links as before when either household is unknown: the record's home, or the resident's", async () => {
    const alone = await index(weipeng, wife);
    const linked = await alone.mpi.match(namesake, opts);
    expect(linked.decision).toMatchObject({ outcome: "link", empi: alone.empis[0] });
    expect(linked.decision.flags).not.toContain("link-lives-elsewhere");
    // the resident known only by its own registration (an odd one: a home typed wrong, nobody else
    // there, another county than the one that issued its number) says nothing against the record
    const typedWrong = { ...weipeng, address: ELSEWHERE };
    const odd = await index(typedWrong, namesakesWife);
    expect((await odd.mpi.match(namesake, opts)).decision).toMatchObject({ outcome: "link", empi: odd.empis[0] });
    // nor two registrations each at another phone and home
    const twoOdd = await index(typedWrong, { ...weipeng, phone: "18600000001", address: "河北省承德市双桥区解放路9号" }, namesakesWife);
    expect(twoOdd.empis[1]).toBe(twoOdd.empis[0]);
    expect((await twoOdd.mpi.match(namesake, opts)).decision).toMatchObject({ outcome: "link", empi: twoOdd.empis[0] });
  });

  it("goes to review when two of the resident's own registrations give its home, nobody else registered there", async () => {
    const unnumbered = { ...without(weipeng, "residentId"), address: ELSEWHERE };
    const again = await index(unnumbered, { ...unnumbered, phone: "18600000001" }, namesakesWife);
    expect(again.empis[1]).toBe(again.empis[0]);
    const { decision } = await again.mpi.match(namesake, opts);
    expect(decision).toMatchObject({ outcome: "review", reviewCandidates: [expect.objectContaining({ empi: again.empis[0] })] });
    expect(decision.flags).toContain("link-lives-elsewhere");
  });

  it("goes to review when the resident's one registration gives a home in the county that issued its number", async () => {
    // 竞秀区 (130602) issued 张伟鹏's number, and his one registration gives a home there
    const { mpi, empis } = await index(weipeng, namesakesWife);
    const { decision } = await mpi.match(namesake, opts);
    expect(decision).toMatchObject({ outcome: "review", reviewCandidates: [expect.objectContaining({ empi: empis[0] })] });
    expect(livesWhereIssued(residentOf(empis[0]!, weipeng))).toBe(true);
    expect(livesWhereIssued(residentOf(empis[0]!, { ...weipeng, address: ELSEWHERE }))).toBe(false);
    expect(livesWhereIssued(residentOf(empis[0]!, without(weipeng, "residentId")))).toBe(false);
  });

  it("links when the people at the record's home are the resident's own household", async () => {
    // the son registered once at the grandparents' home under the household's phone: living there is no other household
    const son: MatchRecord = {
      family: "张",
      given: "子涵",
      sex: "male",
      birthDate: "2001-05-05",
      phone: weipeng.phone,
      address: ELSEWHERE,
    };
    const { mpi, empis } = await index(weipeng, wife, son);
    const atGrandparents = { ...namesake, address: ELSEWHERE };
    expect((await mpi.match(atGrandparents, opts)).decision).toMatchObject({ outcome: "link", empi: empis[0] });
  });

  it("links when the record gives the household's phone, which a relative also gave registered at another home", async () => {
    // the wife (at home) and the son (at his grandparents') give the household's phone; the resident's
    // own record has another phone; the record gives the household's phone and a home nobody lives at
    const shared = "13700000001";
    const son: MatchRecord = { family: "张", given: "子涵", sex: "male", birthDate: "2001-05-05", phone: shared, address: ELSEWHERE };
    const { mpi, empis } = await index(weipeng, { ...wife, phone: shared }, son);
    const record = { ...namesake, phone: shared, address: "河北省承德市双桥区解放路9号" };
    expect((await mpi.match(record, opts)).decision).toMatchObject({ outcome: "link", empi: empis[0] });
  });

  it("does not count the record's own earlier version as a household", async () => {
    const { mpi, empis } = await index(weipeng, wife);
    const candidates = (await mpi.candidates(namesake, opts)).residents;
    // the namesake's record, fed before and now updated: the index holds it, but it is this record
    const earlier = await index(weipeng, wife, namesake);
    const own = (r: MatchRecord) => r.phone === namesake.phone;
    const homes = await earlier.mpi.homes(namesake, candidates[0]!, own);
    expect(homes).toEqual({ empi: empis[0], candidateSettled: true, recordLivesElsewhere: false, recordLivesWith: false });
  });

  it("is corroborated by a shared phone or home, and then the households are not asked about", () => {
    const resident = residentOf("E0000000000012", weipeng);
    const samePhone = decide({ ...namesake, phone: weipeng.phone }, [resident], opts);
    expect(samePhone).toMatchObject({ outcome: "link", empi: resident.empi });
    expect(samePhone.asksHomes).toBeUndefined();
    const weak = decide(namesake, [resident], opts);
    expect(weak).toMatchObject({ outcome: "link", asksHomes: resident.empi });
    // evidence about another candidate is not evidence about this one
    const other = homeEvidence("E0000000000020", [], ["E0000000000038"], new Map([["ph:1", ["E0000000000046"]]]));
    expect(livesElsewhere(other, resident.empi)).toBe(false);
    expect(decide(namesake, [resident], { ...opts, homes: other })).toMatchObject({ outcome: "link", asksHomes: resident.empi });
    const there = homeEvidence(resident.empi, [], ["E0000000000038"], new Map([["ph:1", ["E0000000000046"]]]));
    expect(decide(namesake, [resident], { ...opts, homes: there })).toMatchObject({
      outcome: "review",
      flags: expect.arrayContaining(["link-lives-elsewhere"]),
    });
  });
});

describe("a record whose name and birth date alone do not corroborate a link", () => {
  // 张伟鹏 typed a day off, no number, at the phone his wife gives at their home
  const dayOff: MatchRecord = { ...without(weipeng, "residentId", "address"), birthDate: "1970-10-07", phone: wife.phone };

  it("links when it gives a phone or home of the resident's household", async () => {
    const { mpi, empis } = await index(weipeng, wife);
    const { decision } = await mpi.match(dayOff, opts);
    expect(decision).toMatchObject({ outcome: "link", empi: empis[0] });
    expect(decision.flags).toEqual(expect.arrayContaining(["link-with-household", "birthdate-day"]));
  });

  it("goes to review without that household, or when the name is typed short (a twin's record looks so)", async () => {
    const alone = await index(weipeng);
    const { decision } = await alone.mpi.match(dayOff, opts);
    expect(decision).toMatchObject({ outcome: "review", reviewCandidates: [expect.objectContaining({ empi: alone.empis[0] })] });
    expect(decision.flags).toContain("link-uncorroborated");
    expect(decision.asksHomes).toBeUndefined();
    const household = await index(weipeng, wife);
    const short = await household.mpi.match({ ...dayOff, birthDate: weipeng.birthDate, given: "伟" }, opts);
    expect(short.decision.outcome).not.toBe("link");
  });

  it("is asked about the homes once, and evidence about another resident is not evidence about it", () => {
    const resident = residentOf("E0000000000012", weipeng);
    expect(decide(dayOff, [resident], opts)).toMatchObject({ outcome: "review", asksHomes: resident.empi });
    const withHousehold = (empi: string) => homeEvidence(empi, [], ["E0000000000038"], new Map([["ph:1", ["E0000000000038"]]]));
    expect(decide(dayOff, [resident], { ...opts, homes: withHousehold(resident.empi) })).toMatchObject({ outcome: "link" });
    const elsewhere = decide(dayOff, [resident], { ...opts, homes: withHousehold("E0000000000020") });
    expect(elsewhere).toMatchObject({ outcome: "review", asksHomes: resident.empi });
  });
});

describe("home evidence", () => {
  const e = "E0000000000012";
  const [a, b, c] = ["E0000000000020", "E0000000000038", "E0000000000046"];
  const at = (entries: [string, string[]][]) => new Map(entries);

  it("reads a resident as settled by a household at its phone or home, two of its records giving one home, or its number's county", () => {
    const apart = [
      ["ph:1", "hm:x"],
      ["ph:2", "hm:y"],
    ];
    expect(homeEvidence(e, apart, [e], at([["ph:9", [a]]]))).toEqual({
      empi: e,
      candidateSettled: false,
      recordLivesElsewhere: true,
      recordLivesWith: false,
    });
    expect(homeEvidence(e, apart, [b], at([["ph:9", [a]]])).candidateSettled).toBe(true);
    const oneHome = [
      ["ph:1", "hm:x"],
      ["ph:2", "hm:x"],
    ];
    expect(homeEvidence(e, oneHome, [], at([])).candidateSettled).toBe(true);
    // a phone typed twice says whose phone it is, not where one lives (刘金凯: his own phone twice, two homes typed wrong)
    const onePhone = [
      ["ph:1", "hm:x"],
      ["ph:1", "hm:y"],
    ];
    expect(homeEvidence(e, onePhone, [], at([])).candidateSettled).toBe(false);
    // one record giving a key twice is not two registrations
    expect(homeEvidence(e, [["hm:x", "hm:x"]], [], at([])).candidateSettled).toBe(false);
    expect(homeEvidence(e, [["hm:x", "hm:x"]], [], at([]), true).candidateSettled).toBe(true);
  });

  it("reads a key of the record as another household's only when nobody of the candidate's household is at it", () => {
    // someone at the record's home who also lives at the candidate's is its household
    expect(homeEvidence(e, [["ph:1"]], [a], at([["hm:z", [a]]])).recordLivesElsewhere).toBe(false);
    // the household's phone, which a relative registered elsewhere also gave (付旭建: the father's record at a home typed wrong)
    expect(homeEvidence(e, [["ph:1"]], [a], at([["ph:9", [a, b]]]))).toMatchObject({ recordLivesElsewhere: false, recordLivesWith: true });
    // nobody at it, or only the candidate
    expect(
      homeEvidence(
        e,
        [["ph:1"]],
        [a],
        at([
          ["ph:9", []],
          ["hm:z", [e]],
        ]),
      ).recordLivesElsewhere,
    ).toBe(false);
    // any one key held by strangers alone is enough
    expect(
      homeEvidence(
        e,
        [["ph:1"]],
        [a],
        at([
          ["ph:9", [a]],
          ["hm:z", [b, c]],
        ]),
      ).recordLivesElsewhere,
    ).toBe(true);
  });
});

describe("the home key", () => {
  it("is the address without the province, with a house number, and never brings candidates", () => {
    expect(homeKeys(weipeng)).toEqual(["ph:13912345678", "hm:保定市竞秀区朝阳北大街12号阳光小区3号楼2单元301室"]);
    expect(homeKeys({ address: "保定市竞秀区朝阳北大街12号阳光小区3号楼2单元301室" })).toEqual(homeKeys({ address: BAODING }).slice(-1));
    // the same street and number in another county is another home
    expect(homeKeys({ address: "河北省唐山市路北区朝阳北大街12号阳光小区3号楼2单元301室" })).not.toEqual(
      homeKeys({ address: BAODING }).slice(-1),
    );
    expect(homeKeys({ address: "河北省保定市竞秀区" })).toEqual([]);
    const keys = blockingKeys(weipeng, opts);
    expect(keys.filter((k) => k.startsWith("hm:"))).toHaveLength(1);
    expect(
      keys
        .filter((k) => !bringsCandidates(k))
        .map((k) => k.slice(0, 3))
        .sort(),
    ).toEqual(["hm:", "nc:"]);
  });
});
