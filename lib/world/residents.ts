/**
 * Residents of the synthetic Hebei: names drawn from the surname and given-name tables of
 * lib/seed/name-pools.ts, birth dates, mobile numbers, homes in the province's real divisions, and a
 * valid resident ID number (GB 11643: region, birth date, sequence with the sex's parity, MOD 11-2
 * check character) that no other resident of the same world holds.
 */
import type { MatchRecord } from "#domain/mpi/record.ts";
import { makeResidentId } from "#domain/mpi/resident-id.ts";
import { PROVINCE } from "#lib/config/province.ts";
import { divisionsOf } from "#lib/seed/hebei-divisions.ts";
import { ESTATES, FEMALE_CHARS, MALE_CHARS, STREETS, SURNAMES, VILLAGE_PARTS } from "#lib/seed/name-pools.ts";
import { createRng, type Rng } from "#lib/seed/prng.ts";
import { sampler } from "./draw.ts";

export type Sex = "male" | "female";

/** What a hospital's registration desk types about a person (the record the MPI matches). */
export type Registration = Pick<MatchRecord, "residentId" | "healthCard" | "family" | "given" | "sex" | "birthDate" | "phone" | "address">;

/** A resident as the world knows them (the truth; registrations may differ from it). */
export interface Resident {
  family: string;
  given: string;
  sex: Sex;
  /** YYYY-MM-DD */
  birthDate: string;
  residentId: string;
  phone: string;
  /** household traits and registration slips (Tag bits of slips.ts) */
  tags: number;
}

export interface Home {
  address: string;
  cityName: string;
  /** the GB/T 2260 code of the division (district, county-level city or county) */
  region: string;
}

/**
 * The draws that make people, all from one seeded source. The order of draws is part of the
 * contract: the MPI benchmark's population (population.ts) replays the same figures from a seed.
 */
export class People {
  readonly surname: () => string;
  readonly maleChar: () => string;
  readonly femaleChar: () => string;
  private readonly city: () => string;
  private readonly usedIds = new Set<string>();

  constructor(readonly rng: Rng) {
    this.surname = sampler(rng, SURNAMES);
    this.maleChar = sampler(rng, MALE_CHARS);
    this.femaleChar = sampler(rng, FEMALE_CHARS);
    this.city = sampler(
      rng,
      PROVINCE.cities.map((c, i) => [String(i), c.populationMillions]),
    );
  }

  chance(p: number): boolean {
    return this.rng.next() < p;
  }

  /** One character (more often for older people) or two, rarely the same twice. */
  givenName(sex: Sex, year: number): string {
    const pick = sex === "male" ? this.maleChar : this.femaleChar;
    if (this.chance(year < 1980 ? 0.2 : 0.06)) return pick();
    const first = pick();
    let second = pick();
    while (second === first && !this.chance(0.15)) second = pick();
    return first + second;
  }

  /** A day of `year`, YYYY-MM-DD */
  dateIn(year: number): string {
    const start = Date.UTC(year, 0, 1);
    const days = (Date.UTC(year + 1, 0, 1) - start) / 86_400_000;
    return new Date(start + this.rng.int(0, days - 1) * 86_400_000).toISOString().slice(0, 10);
  }

  mobile(): string {
    return `1${this.rng.int(3, 9)}${String(this.rng.int(0, 999_999_999)).padStart(9, "0")}`;
  }

  /** A valid number no other resident of this world holds. */
  residentIdOf(region: string, birthDate: string, sex: Sex): string {
    for (;;) {
      const parity = sex === "male" ? this.rng.pick([1, 3, 5, 7, 9]) : this.rng.pick([0, 2, 4, 6, 8]);
      const id = makeResidentId(region, birthDate, `${String(this.rng.int(0, 99)).padStart(2, "0")}${parity}`);
      if (!this.usedIds.has(id)) {
        this.usedIds.add(id);
        return id;
      }
    }
  }

  /** A home in a city drawn by population (or in `cityId`): a village house in a county, or a street address. */
  homeAddress(cityId?: string): Home {
    const cities = PROVINCE.cities;
    const c = cityId === undefined ? cities[Number(this.city())]! : cities.find((x) => x.id === cityId)!;
    if (!c) throw new Error(`no city ${cityId}`);
    const division = this.rng.pick(divisionsOf(c.id));
    const head = `河北省${c.nameZh}${division.nameZh}`;
    if (division.kind === "county" && this.chance(0.6)) {
      const village = `${this.rng.pick(VILLAGE_PARTS)}${this.rng.pick(VILLAGE_PARTS)}`;
      const town = `${this.rng.pick(VILLAGE_PARTS)}${this.rng.pick(["家", "庄", "集", "河"])}镇`;
      return { address: `${head}${town}${village}村${this.rng.int(1, 300)}号`, cityName: c.nameZh, region: division.code };
    }
    const street = `${this.rng.pick(STREETS)}${this.rng.int(1, 400)}号`;
    const estate = this.chance(0.7)
      ? `${this.rng.pick(ESTATES)}${this.rng.int(1, 30)}号楼${this.rng.int(1, 6)}单元${this.rng.int(1, 30)}0${this.rng.int(1, 4)}室`
      : "";
    return { address: `${head}${street}${estate}`, cityName: c.nameZh, region: division.code };
  }

  person(
    sex: Sex,
    year: number,
    family: string,
    region: string,
    phone: string,
    birthDate = this.dateIn(year),
    given = this.givenName(sex, year),
  ): Resident {
    return { family, given, sex, birthDate, residentId: this.residentIdOf(region, birthDate, sex), phone, tags: 0 };
  }
}

/**
 * The `n`-th resident registered in `region` (e.g. "130102" Shijiazhuang's Chang'an district):
 * without state, the same for the same `n`; a distinct number for every n below 21,000 (birth date
 * and sequence follow n), the name drawn from the tables with a source seeded by `region` and `n`.
 */
export function residentAt(n: number, region = "130102"): Omit<Resident, "phone" | "tags"> {
  const birthDate = `${1940 + (n % 60)}-${String(1 + (n % 12)).padStart(2, "0")}-${String(1 + (n % 28)).padStart(2, "0")}`;
  const sex: Sex = n % 2 === 1 ? "male" : "female"; // the sequence's last digit: odd for men
  const people = new People(createRng(`world/resident/${region}/${n}`));
  return {
    residentId: makeResidentId(region, birthDate, String(n % 1000).padStart(3, "0")),
    family: people.surname(),
    given: people.givenName(sex, 1940 + (n % 60)),
    sex,
    birthDate,
  };
}
