/** The synthetic world: valid and distinct resident ID numbers, households as described, slips of each named class, replayable from a seed. */
import { describe, expect, it } from "vitest";
import { checkResidentId } from "#domain/mpi/resident-id.ts";
import { createRng } from "#lib/seed/prng.ts";
import {
  claimItems,
  generatePopulation,
  Households,
  impossibleDate,
  People,
  Registrar,
  residentAt,
  Tag,
  tagNames,
  twinNamesDiffer,
  wrongCheckChar,
} from "#lib/world/index.ts";

describe("residents", () => {
  it("the n-th resident of a region holds a valid number of that region, distinct for each n, with the sex's parity", () => {
    const ids = new Set<string>();
    for (let n = 0; n < 1000; n++) {
      const r = residentAt(n, "130402");
      const check = checkResidentId(r.residentId, { today: "2026-12-01" });
      expect(check.kind).toBe("valid");
      expect(check.regionCode).toBe("130402");
      expect(check.birthDate).toBe(r.birthDate);
      expect(check.sex).toBe(r.sex);
      ids.add(r.residentId);
    }
    expect(ids.size).toBe(1000);
    expect(residentAt(42)).toEqual(residentAt(42));
  });
});

describe("households", () => {
  const people = new People(createRng("test/world/households"));
  const households = new Households(people);
  const drawn = Array.from({ length: 1000 }, () => households.next());
  const everyone = drawn.flatMap((h) => h.members);

  it("give every resident a valid number nobody else holds", () => {
    expect(new Set(everyone.map((r) => r.residentId)).size).toBe(everyone.length);
    for (const r of everyone)
      expect(checkResidentId(r.residentId, { today: "2026-12-01" })).toMatchObject({ kind: "valid", birthDate: r.birthDate, sex: r.sex });
  });
  it("hold twins (same family name, birth date and phone, another given name) and namesakes (same name and birth year)", () => {
    expect(households.twins).toBeGreaterThan(0);
    expect(households.namesakes).toBeGreaterThan(0);
    for (const { members } of drawn) {
      const twins = members.filter((m) => m.tags & Tag.twin);
      if (twins.length === 0) continue;
      const [a, b] = twins as [(typeof twins)[0], (typeof twins)[0]];
      expect([b.family, b.birthDate, b.phone]).toEqual([a.family, a.birthDate, a.phone]);
      expect(b.given).not.toBe(a.given);
      expect(twinNamesDiffer(a.given, b.given)).toBe(true);
    }
    const namesake = everyone.find((r) => r.tags & Tag.namesake)!;
    const earlier = everyone.find((r) => r !== namesake && r.family === namesake.family && r.given === namesake.given)!;
    expect(earlier.birthDate.slice(0, 4)).toBe(namesake.birthDate.slice(0, 4));
  });
  it("name twins apart by the generator's own homophone table, not the engine's comparators", () => {
    expect(twinNamesDiffer("子涵", "子轩")).toBe(true); // one character of another sound
    expect(twinNamesDiffer("思涵", "诗涵")).toBe(true); // only nearly alike (si / shi): parents choose that
    expect(twinNamesDiffer("伟", "子涵")).toBe(true);
    expect(twinNamesDiffer("子涵", "子晗")).toBe(false); // 涵 / 晗: one group of HOMOPHONE_GROUPS
    expect(twinNamesDiffer("子涵", "紫晗")).toBe(false);
    expect(twinNamesDiffer("超", "超宇")).toBe(false); // the other typed short
    expect(twinNamesDiffer("超宇", "宇")).toBe(false);
    expect(twinNamesDiffer("超宇", "明")).toBe(true);
    expect(twinNamesDiffer("子涵", "子涵")).toBe(false);
  });
  it("live in the city asked for", () => {
    expect(households.next("handan").home.address).toMatch(/^河北省邯郸市/);
  });
});

describe("registration slips", () => {
  const registrar = new Registrar(new People(createRng("test/world/slips")));
  const clean = { ...residentAt(7), phone: "13912345678" };
  it("each named class does what it says", () => {
    expect(checkResidentId(wrongCheckChar(clean.residentId), { today: "2026-12-01" }).kind).toBe("bad-check");
    expect(impossibleDate("1988-09-07")).toBe("1988-13-07");
    expect(registrar.slipped(clean, "wrongCheck").residentId).toBe(wrongCheckChar(clean.residentId));
    expect(registrar.slipped(clean, "impossibleDate").birthDate).toBe(impossibleDate(clean.birthDate));
    expect(registrar.slipped(clean, "none")).toBe(clean);
    expect(tagNames(Tag.homophone | Tag.twin)).toBe("homophone+twin");
    expect(tagNames(0)).toBe("clean");
  });
});

describe("a population", () => {
  it("is the same from the same seed, and tags each registration with its classes", () => {
    const a = generatePopulation(300, "test/world");
    expect(generatePopulation(300, "test/world")).toEqual(a);
    expect(a.residentCount).toBe(300);
    expect(a.records.length).toBe(a.truth.length);
    const borrowed = a.records.filter((_, i) => a.tags[i]! & Tag.borrowedId);
    for (const r of borrowed) expect(checkResidentId(r.residentId!, { today: "2026-12-01" }).kind).toBe("valid");
    expect(a.records.filter((_, i) => a.tags[i]! & Tag.noId).every((r) => r.residentId === undefined)).toBe(true);
  });
});

describe("claims", () => {
  it("items carry a category and an amount in CNY with at most two decimals", () => {
    const rng = createRng("test/world/claims");
    for (let i = 0; i < 200; i++)
      for (const [category, cny] of claimItems(rng, i % 2 === 0)) {
        expect(["A", "B", "C"]).toContain(category);
        expect(Math.round(cny * 100) / 100).toBe(cny);
      }
  });
});
