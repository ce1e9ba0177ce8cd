/**
 * The benchmark's held-out population: the synthetic world's residents and households
 * (lib/world: names, birth dates, numbers, twins, namesakes) typed in by busy registration desks
 * with an error mix of this file's own, which the engine's tests never use (they use lib/world's
 * Registrar and households). The engine is tuned on neither: this generator only measures it.
 *
 * Each error is a named class (a bit of `DeskTag`), so the benchmark reports precision and recall
 * per class. Besides the classic slips (no number, a mistyped digit, a homophone, day/month swap,
 * one-digit slip, another phone or address), the slips desks make that lib/world's mix does not:
 * - droppedChar: the given name's second character dropped (李华斌 → 李华);
 * - dayOff: the birth date one day off (0519 / 0520), the number left as it is;
 * - badIdName: a number with one digit mistyped (fails its check) and the given name dropped or a homophone;
 * - noIdHomophoneDayOff: no number, a homophone and a one-day slip: the hard case;
 * - householdPhone: the household's one phone typed for every member (they share phone and address);
 * - borrowedIdNoDate: a parent registered with a child's number and no birth date or sex, so the
 *   number agrees with the record; the child's own registrations are tagged contestedId.
 * Traits of the resident: twin, namesake (an earlier head with the same name and birth year).
 * Deterministic from the seed; the truth (which resident a registration belongs to) stays here.
 */
import { createRng } from "#lib/seed/prng.ts";
import {
  generatePopulation,
  Households,
  People,
  type Population,
  Registrar,
  type Registration,
  type Resident,
  Tag,
  tagNames,
} from "#lib/world/index.ts";

export const DeskTag = {
  noId: 1 << 0,
  mistypedId: 1 << 1,
  borrowedId: 1 << 2,
  borrowedIdNoDate: 1 << 3,
  contestedId: 1 << 4,
  homophone: 1 << 5,
  droppedChar: 1 << 6,
  swap: 1 << 7,
  slip: 1 << 8,
  dayOff: 1 << 9,
  noBirthDate: 1 << 10,
  badIdName: 1 << 11,
  noIdHomophoneDayOff: 1 << 12,
  phoneChanged: 1 << 13,
  noPhone: 1 << 14,
  householdPhone: 1 << 15,
  moved: 1 << 16,
  sexUnknown: 1 << 17,
  twin: 1 << 18,
  namesake: 1 << 19,
} as const;
export type DeskClass = keyof typeof DeskTag;

/** The desks' error mix (per registration, drawn independently unless stated). */
export const DESK_RATES = {
  noId: 0.25,
  mistypedId: 0.05,
  borrowedId: 0.015,
  homophone: 0.08,
  droppedChar: 0.05,
  /** of swappable dates (day ≤ 12, day ≠ month) */
  swapWhenSwappable: 0.08,
  slip: 0.01,
  dayOff: 0.03,
  noBirthDate: 0.02,
  /** the two compound classes of the issue, drawn on their own */
  badIdName: 0.01,
  noIdHomophoneDayOff: 0.01,
  phoneChanged: 0.2,
  noPhone: 0.05,
  moved: 0.08,
  noAddress: 0.05,
  sexUnknown: 0.01,
  /** households that type one phone for everyone */
  householdPhone: 0.35,
  /** households with children where a parent registers once with a child's number and no birth date */
  borrowedIdNoDate: 0.06,
} as const;

/** The held-out population: the world's Population (lib/world/population.ts), typed at busy desks */
export function generateDeskPopulation(residentCount: number, seed: string): Population {
  const people = new People(createRng(`${seed}/${residentCount}`));
  const households = new Households(people);
  const desk = new Desk(people);
  const records: Registration[] = [];
  const truth: number[] = [];
  const tags: number[] = [];
  let residents = 0;
  while (residents < residentCount) {
    const { home, members } = households.next();
    const shared = people.chance(DESK_RATES.householdPhone) ? members[0]!.phone : undefined;
    const adults = members.filter((m) => m.birthDate < "2003");
    const children = members.filter((m) => m.birthDate >= "2003");
    const lender = children.length > 0 && adults.length > 0 && people.chance(DESK_RATES.borrowedIdNoDate) ? children[0] : undefined;
    const indexOf = new Map<Resident, number>();
    for (const member of members) {
      if (residents >= residentCount) break;
      indexOf.set(member, residents);
      const count = desk.registrationCount();
      for (let r = 0; r < count; r++) {
        const { record, tag } = desk.register(member, home.address, members, shared);
        records.push(record);
        truth.push(residents);
        tags.push(tag | traits(member) | (member === lender ? DeskTag.contestedId : 0));
      }
      residents++;
    }
    const borrower = lender ? people.rng.pick(adults) : undefined;
    if (lender && borrower && indexOf.has(borrower)) {
      records.push({
        residentId: lender.residentId,
        family: borrower.family,
        given: borrower.given,
        phone: shared ?? borrower.phone,
        address: home.address,
      });
      truth.push(indexOf.get(borrower)!);
      tags.push(DeskTag.borrowedIdNoDate | traits(borrower));
    }
  }
  return {
    residentCount: residents,
    records,
    truth: Int32Array.from(truth),
    tags: Int32Array.from(tags),
    twins: households.twins,
    namesakes: households.namesakes,
  };
}

const traits = (r: Resident): number => (r.tags & Tag.twin ? DeskTag.twin : 0) | (r.tags & Tag.namesake ? DeskTag.namesake : 0);

/** The names of a registration's desk tags, "clean" for none. */
export function deskTagNames(tags: number): string {
  const names = Object.entries(DeskTag)
    .filter(([, bit]) => tags & bit)
    .map(([name]) => name);
  return names.length ? names.join("+") : "clean";
}

class Desk {
  private readonly registrar: Registrar;

  constructor(private readonly people: People) {
    this.registrar = new Registrar(people);
  }

  private chance(p: number): boolean {
    return this.people.chance(p);
  }

  /** 1–4 registrations (mean about 2.2) */
  registrationCount(): number {
    const { rng } = this.people;
    return 1 + (rng.next() < 0.32 ? 0 : rng.next() < 0.45 ? 1 : rng.next() < 0.6 ? 2 : 3);
  }

  register(
    p: Resident,
    homeAddress: string,
    household: Resident[],
    sharedPhone: string | undefined,
  ): { record: Registration; tag: number } {
    const { rng } = this.people;
    let tag = 0;
    const record: Registration = { family: p.family, given: p.given, sex: p.sex, birthDate: p.birthDate };
    const compound = rng.next();
    const badIdName = compound < DESK_RATES.badIdName;
    const hard = !badIdName && compound < DESK_RATES.badIdName + DESK_RATES.noIdHomophoneDayOff;

    const idRoll = rng.next();
    const others = household.filter((m) => m !== p);
    if (hard || (!badIdName && idRoll < DESK_RATES.noId)) tag |= DeskTag.noId;
    else if (badIdName || idRoll < DESK_RATES.noId + DESK_RATES.mistypedId) {
      record.residentId = this.registrar.mistype(p.residentId);
      tag |= DeskTag.mistypedId;
    } else if (idRoll < DESK_RATES.noId + DESK_RATES.mistypedId + DESK_RATES.borrowedId && others.length > 0) {
      record.residentId = rng.pick(others).residentId;
      tag |= DeskTag.borrowedId;
    } else record.residentId = p.residentId;

    const nameRoll = rng.next();
    const homophone = hard || (badIdName && nameRoll < 0.5) || (!badIdName && nameRoll < DESK_RATES.homophone);
    const dropped = (badIdName && !homophone) || (!hard && !badIdName && nameRoll >= 1 - DESK_RATES.droppedChar);
    if (homophone) {
      const typed = this.registrar.homophone(p);
      if (typed) {
        [record.family, record.given] = typed;
        tag |= DeskTag.homophone;
      }
    } else if (dropped && [...p.given].length === 2) {
      record.given = [...p.given][0]!;
      tag |= DeskTag.droppedChar;
    }
    if (badIdName) tag |= DeskTag.badIdName;

    const [y, m, d] = p.birthDate.split("-") as [string, string, string];
    if (hard || this.chance(DESK_RATES.dayOff)) {
      record.birthDate = this.dayOff(p.birthDate);
      tag |= DeskTag.dayOff;
    } else if (this.chance(DESK_RATES.noBirthDate)) {
      delete record.birthDate;
      tag |= DeskTag.noBirthDate;
    } else if (Number(d) <= 12 && m !== d && this.chance(DESK_RATES.swapWhenSwappable)) {
      record.birthDate = `${y}-${d}-${m}`;
      tag |= DeskTag.swap;
    } else if (this.chance(DESK_RATES.slip)) {
      record.birthDate = this.registrar.slipDate(p.birthDate);
      tag |= DeskTag.slip;
    }
    if (hard) tag |= DeskTag.noIdHomophoneDayOff;
    if (this.chance(DESK_RATES.sexUnknown)) {
      record.sex = "unknown";
      tag |= DeskTag.sexUnknown;
    }

    if (!hard && this.chance(DESK_RATES.noPhone)) tag |= DeskTag.noPhone;
    else if (!hard && this.chance(DESK_RATES.phoneChanged)) {
      record.phone = this.people.mobile();
      tag |= DeskTag.phoneChanged;
    } else if (sharedPhone) {
      record.phone = sharedPhone;
      if (sharedPhone !== p.phone) tag |= DeskTag.householdPhone;
    } else record.phone = p.phone;

    if (!this.chance(DESK_RATES.noAddress)) {
      if (this.chance(DESK_RATES.moved)) {
        record.address = this.people.homeAddress().address;
        tag |= DeskTag.moved;
      } else record.address = this.chance(0.5) ? homeAddress : homeAddress.replace(/^河北省/, "");
    }
    return { record, tag };
  }

  /** the day before or after (never past 2024) */
  private dayOff(date: string): string {
    const t = Date.parse(`${date}T00:00:00Z`);
    const later = new Date(t + 86_400_000).toISOString().slice(0, 10);
    const earlier = new Date(t - 86_400_000).toISOString().slice(0, 10);
    return this.chance(0.5) && later < "2025" ? later : earlier;
  }
}

export type Mix = "desks" | "registrar";

/**
 * The population a bench scores: `desks` (this file's held-out mix, on a seed no test uses) or
 * `registrar` (lib/world's mix, the one the engine was first tuned with); its classes and their names.
 */
export function benchMix(mix: string, seed: string | undefined) {
  if (mix !== "desks" && mix !== "registrar") throw new Error(`--mix desks|registrar, not ${mix}`);
  const desks = mix === "desks";
  return {
    mix: mix as Mix,
    seed: seed ?? (desks ? "held-out/desks-2026" : "bench/mpi"),
    classes: (desks ? DeskTag : Tag) as Readonly<Record<string, number>>,
    namesOf: desks ? deskTagNames : tagNames,
    generate: desks ? generateDeskPopulation : generatePopulation,
  };
}
