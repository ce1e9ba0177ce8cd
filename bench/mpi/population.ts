/**
 * A deterministic synthetic population of Hebei residents and their hospital registrations, for the
 * match-quality benchmark. Households (singles, couples, children, a grandparent; ~1 % of residents
 * are twins) share an address and, for children and some elderly, a phone; ~4 % of residents are
 * namesakes of an earlier one (same name, same birth year, nothing else in common). Every resident
 * has 1–4 registrations, each typed with errors drawn independently (registrationErrors below).
 * The generator knows the truth (which resident a registration belongs to); the engine never sees it.
 */

import { compareNamePart } from "#domain/mpi/comparators.ts";
import type { MatchRecord } from "#domain/mpi/record.ts";
import { makeResidentId } from "#domain/mpi/resident-id.ts";
import { PROVINCE } from "#lib/config/province.ts";
import { divisionsOf } from "#lib/seed/hebei-divisions.ts";
import { ESTATES, FEMALE_CHARS, HOMOPHONE_GROUPS, MALE_CHARS, STREETS, SURNAMES, VILLAGE_PARTS } from "#lib/seed/name-pools.ts";
import { createRng, type Rng } from "#lib/seed/prng.ts";

/** What was done to a registration (bit flags), for the benchmark's diagnostics. */
export const Tag = {
  noId: 1 << 0,
  mistypedId: 1 << 1,
  borrowedId: 1 << 2,
  legacyId: 1 << 3,
  homophone: 1 << 4,
  swap: 1 << 5,
  slip: 1 << 6,
  noBirthDate: 1 << 7,
  phoneChanged: 1 << 8,
  noPhone: 1 << 9,
  moved: 1 << 10,
  sexUnknown: 1 << 11,
  twin: 1 << 12,
  namesake: 1 << 13,
} as const;

export const RATES = {
  noId: 0.3,
  mistypedId: 0.08,
  borrowedId: 0.02,
  legacyId: 0.03,
  homophone: 0.15,
  /** applied to swappable dates (day ≤ 12, day ≠ month: ~38 % of dates), for ~5 % of all records */
  swapWhenSwappable: 0.13,
  slip: 0.01,
  noBirthDate: 0.03,
  phoneChanged: 0.25,
  noPhone: 0.04,
  moved: 0.1,
  noAddress: 0.04,
  sexUnknown: 0.01,
  namesakeHead: 0.1,
  twinsOfTwoChildren: 0.06,
} as const;

interface Person {
  family: string;
  given: string;
  sex: "male" | "female";
  birthDate: string;
  residentId: string;
  phone: string;
  tags: number;
}

export interface Population {
  residentCount: number;
  records: MatchRecord[];
  /** the resident (0-based) each record belongs to */
  truth: Int32Array;
  tags: Int32Array;
  twins: number;
  namesakes: number;
}

type Weighted = ReadonlyArray<readonly [string, number]>;

function sampler(rng: Rng, table: Weighted): () => string {
  const cumulative: number[] = [];
  let total = 0;
  for (const [, w] of table) {
    total += w;
    cumulative.push(total);
  }
  return () => {
    const x = rng.next() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return table[lo]![0];
  };
}

const HOMOPHONES = new Map<string, string[]>();
for (const group of HOMOPHONE_GROUPS) {
  for (const ch of group)
    HOMOPHONES.set(
      ch,
      [...new Set([...(HOMOPHONES.get(ch) ?? []), ...group])].filter((c) => c !== ch),
    );
}

export function generatePopulation(residentCount: number, seed = "bench/mpi"): Population {
  const rng = createRng(`${seed}/${residentCount}`);
  const chance = (p: number): boolean => rng.next() < p;
  const surname = sampler(rng, SURNAMES);
  const maleChar = sampler(rng, MALE_CHARS);
  const femaleChar = sampler(rng, FEMALE_CHARS);
  const cities = PROVINCE.cities;
  const city = sampler(
    rng,
    cities.map((c, i) => [String(i), c.populationMillions]),
  );
  const usedIds = new Set<string>();
  const heads: Person[] = [];
  const records: MatchRecord[] = [];
  const truth: number[] = [];
  const tags: number[] = [];
  let residents = 0;
  let twins = 0;
  let namesakes = 0;

  const givenName = (sex: "male" | "female", year: number): string => {
    const pick = sex === "male" ? maleChar : femaleChar;
    if (chance(year < 1980 ? 0.2 : 0.06)) return pick();
    const first = pick();
    let second = pick();
    while (second === first && !chance(0.15)) second = pick();
    return first + second;
  };
  const dateIn = (year: number): string => {
    const start = Date.UTC(year, 0, 1);
    const days = (Date.UTC(year + 1, 0, 1) - start) / 86_400_000;
    return new Date(start + rng.int(0, days - 1) * 86_400_000).toISOString().slice(0, 10);
  };
  const mobile = (): string => `1${rng.int(3, 9)}${String(rng.int(0, 999_999_999)).padStart(9, "0")}`;
  const residentIdOf = (region: string, birthDate: string, sex: "male" | "female"): string => {
    for (;;) {
      const parity = sex === "male" ? rng.pick([1, 3, 5, 7, 9]) : rng.pick([0, 2, 4, 6, 8]);
      const id = makeResidentId(region, birthDate, `${String(rng.int(0, 99)).padStart(2, "0")}${parity}`);
      if (!usedIds.has(id)) {
        usedIds.add(id);
        return id;
      }
    }
  };
  const homeAddress = (): { address: string; cityName: string; region: string } => {
    const c = cities[Number(city())]!;
    const division = rng.pick(divisionsOf(c.id));
    const head = `河北省${c.nameZh}${division.nameZh}`;
    if (division.kind === "county" && chance(0.6)) {
      const village = `${rng.pick(VILLAGE_PARTS)}${rng.pick(VILLAGE_PARTS)}`;
      const town = `${rng.pick(VILLAGE_PARTS)}${rng.pick(["家", "庄", "集", "河"])}镇`;
      return { address: `${head}${town}${village}村${rng.int(1, 300)}号`, cityName: c.nameZh, region: division.code };
    }
    const street = `${rng.pick(STREETS)}${rng.int(1, 400)}号`;
    const estate = chance(0.7) ? `${rng.pick(ESTATES)}${rng.int(1, 30)}号楼${rng.int(1, 6)}单元${rng.int(1, 30)}0${rng.int(1, 4)}室` : "";
    return { address: `${head}${street}${estate}`, cityName: c.nameZh, region: division.code };
  };
  const person = (
    sex: "male" | "female",
    year: number,
    family: string,
    region: string,
    phone: string,
    birthDate = dateIn(year),
    given = givenName(sex, year),
  ): Person => ({ family, given, sex, birthDate, residentId: residentIdOf(region, birthDate, sex), phone, tags: 0 });

  while (residents < residentCount) {
    const home = homeAddress();
    const headSex = chance(0.5) ? "male" : "female";
    let head = person(headSex, rng.int(1940, 2002), surname(), home.region, mobile());
    const source = heads.length > 0 && chance(RATES.namesakeHead) ? rng.pick(heads) : undefined;
    if (source) {
      const birthDate = dateIn(Number(source.birthDate.slice(0, 4)));
      head = { ...person(source.sex, 2000, source.family, home.region, mobile(), birthDate, source.given), tags: Tag.namesake };
      namesakes++;
    }
    heads.push(head);
    const members: Person[] = [head];
    const headYear = Number(head.birthDate.slice(0, 4));
    const kind = rng.next();
    if (kind > 0.25) {
      const spouseSex = head.sex === "male" ? "female" : "male";
      const spouseYear = Math.min(2002, headYear + rng.int(-4, 4));
      members.push(person(spouseSex, spouseYear, surname(), home.region, mobile()));
      const father = head.sex === "male" ? head : members[1]!;
      const mother = head.sex === "male" ? members[1]! : head;
      const children = kind > 0.8 ? 2 : kind > 0.45 ? 1 : 0;
      const childYear = Math.min(2024, Math.max(headYear, spouseYear) + rng.int(22, 34));
      const childFamily = chance(0.9) ? father.family : mother.family;
      const childPhone = (y: number): string => (y > 2008 ? rng.pick([father.phone, mother.phone]) : mobile());
      if (children === 2 && chance(RATES.twinsOfTwoChildren)) {
        const birthDate = dateIn(childYear);
        const sexes: ("male" | "female")[] = chance(0.5) ? ["male", "female"] : chance(0.5) ? ["male", "male"] : ["female", "female"];
        const a = person(sexes[0]!, childYear, childFamily, home.region, childPhone(childYear), birthDate);
        const b = person(sexes[1]!, childYear, childFamily, home.region, a.phone, birthDate, twinName(a, sexes[1]!));
        a.tags = Tag.twin;
        b.tags = Tag.twin;
        members.push(a, b);
        twins += 2;
      } else {
        for (let i = 0; i < children; i++) {
          const y = Math.min(2024, childYear + i * rng.int(1, 5));
          members.push(person(chance(0.5) ? "male" : "female", y, childFamily, home.region, childPhone(y)));
        }
      }
      if (kind > 0.95 && headYear > 1965) {
        const elderYear = headYear - rng.int(24, 32);
        members.push(person(chance(0.5) ? "male" : "female", elderYear, father.family, home.region, chance(0.4) ? head.phone : mobile()));
      }
    }
    for (const member of members) {
      if (residents >= residentCount) break;
      const registrations = 1 + (rng.next() < 0.3 ? 0 : rng.next() < 0.43 ? 1 : rng.next() < 0.62 ? 2 : 3);
      for (let r = 0; r < registrations; r++) {
        const borrowFrom = members.filter((m) => m !== member);
        const { record, tag } = register(member, home, borrowFrom);
        records.push(record);
        truth.push(residents);
        tags.push(tag | member.tags);
      }
      residents++;
    }
  }
  return { residentCount: residents, records, truth: Int32Array.from(truth), tags: Int32Array.from(tags), twins, namesakes };

  /** A twin's given name: often sharing the first character (子涵 / 子轩), never sounding the same. */
  function twinName(a: Person, sex: "male" | "female"): string {
    const pick = sex === "male" ? maleChar : femaleChar;
    for (;;) {
      const candidate = a.given.length === 2 && chance(0.5) ? a.given.charAt(0) + pick() : givenName(sex, 2010);
      const level = compareNamePart(a.given, candidate, "given");
      if (level === "partial" || level === "different") return candidate;
    }
  }

  function register(p: Person, home: { address: string; cityName: string }, family: Person[]): { record: MatchRecord; tag: number } {
    let tag = 0;
    const record: MatchRecord = { family: p.family, given: p.given, sex: p.sex };
    const idRoll = rng.next();
    if (idRoll < RATES.noId) tag |= Tag.noId;
    else if (idRoll < RATES.noId + RATES.mistypedId) {
      record.residentId = mistype(p.residentId);
      tag |= Tag.mistypedId;
    } else if (idRoll < RATES.noId + RATES.mistypedId + RATES.borrowedId && family.length > 0) {
      record.residentId = rng.pick(family).residentId;
      tag |= Tag.borrowedId;
    } else if (p.birthDate < "2000" && chance(RATES.legacyId / 0.6)) {
      record.residentId = p.residentId.slice(0, 6) + p.residentId.slice(8, 17);
      tag |= Tag.legacyId;
    } else record.residentId = p.residentId;

    if (chance(RATES.homophone)) {
      const typed = homophoneSlip(p);
      if (typed) {
        [record.family, record.given] = typed;
        tag |= Tag.homophone;
      }
    }
    const [y, m, d] = p.birthDate.split("-") as [string, string, string];
    if (chance(RATES.noBirthDate)) tag |= Tag.noBirthDate;
    else if (Number(d) <= 12 && m !== d && chance(RATES.swapWhenSwappable)) {
      record.birthDate = `${y}-${d}-${m}`;
      tag |= Tag.swap;
    } else if (chance(RATES.slip)) {
      record.birthDate = slipDate(p.birthDate);
      tag |= Tag.slip;
    } else record.birthDate = p.birthDate;
    if (chance(RATES.sexUnknown)) {
      record.sex = "unknown";
      tag |= Tag.sexUnknown;
    }
    if (chance(RATES.noPhone)) tag |= Tag.noPhone;
    else if (chance(RATES.phoneChanged)) {
      record.phone = mobile();
      tag |= Tag.phoneChanged;
    } else record.phone = p.phone;
    if (!chance(RATES.noAddress)) {
      const moved = chance(RATES.moved);
      if (moved) tag |= Tag.moved;
      record.address = addressVariant(moved ? homeAddress() : home);
    }
    return { record, tag };
  }

  function mistype(id: string): string {
    for (;;) {
      const i = rng.int(0, 16);
      if (chance(0.85)) {
        const digit = String(rng.int(0, 9));
        if (digit !== id.charAt(i)) return id.slice(0, i) + digit + id.slice(i + 1);
      } else if (id.charAt(i) !== id.charAt(i + 1)) {
        return id.slice(0, i) + id.charAt(i + 1) + id.charAt(i) + id.slice(i + 2);
      }
    }
  }

  function homophoneSlip(p: Person): [string, string] | undefined {
    const familyAlternatives = HOMOPHONES.get(p.family);
    if (familyAlternatives && chance(0.15)) return [rng.pick(familyAlternatives), p.given];
    const positions = [...p.given].map((ch, i) => [ch, i] as const).filter(([ch]) => HOMOPHONES.has(ch));
    if (positions.length === 0) return undefined;
    const [ch, i] = rng.pick(positions);
    const chars = [...p.given];
    chars[i] = rng.pick(HOMOPHONES.get(ch)!);
    return [p.family, chars.join("")];
  }

  function slipDate(date: string): string {
    for (;;) {
      const digits = date.replaceAll("-", "");
      const i = rng.int(2, 7);
      const changed = digits.slice(0, i) + String(rng.int(0, 9)) + digits.slice(i + 1);
      const candidate = `${changed.slice(0, 4)}-${changed.slice(4, 6)}-${changed.slice(6, 8)}`;
      const parsed = new Date(`${candidate}T00:00:00Z`);
      if (candidate !== date && !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(candidate) && candidate < "2025") {
        return candidate;
      }
    }
  }

  function addressVariant(home: { address: string; cityName: string }): string {
    const roll = rng.next();
    const withoutProvince = home.address.replace(/^河北省/, "");
    if (roll < 0.5) return home.address;
    if (roll < 0.75) return withoutProvince;
    if (roll < 0.9) return withoutProvince.replace(home.cityName, "");
    return withoutProvince.replace(/^.+?[区县市](?=.)/, "").replace(home.cityName, "");
  }
}
