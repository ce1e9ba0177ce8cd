/**
 * Registration slips: what a hospital's registration desk gets wrong when it types a resident in.
 * Each kind is a named class (a Tag bit) so that a benchmark can report per class; household traits
 * (twin, namesake) are tagged beside them. Two models draw from these classes:
 * - `Registrar.register` (the MPI benchmark's population): every error drawn independently at RATES;
 * - `slipped` (the simulation and the tests): one named slip applied to a clean registration.
 */
import { HOMOPHONE_GROUPS } from "#lib/seed/name-pools.ts";
import type { Home, People, Registration, Resident } from "./residents.ts";

/** The classes (bit flags) of what was done to a registration, and the traits of its resident. */
export const Tag = {
  /** no resident ID number typed */
  noId: 1 << 0,
  /** a digit typed wrong or two digits swapped (the check character then mostly fails) */
  mistypedId: 1 << 1,
  /** a household member's number typed instead (a parent's for a child) */
  borrowedId: 1 << 2,
  /** the 15-digit number issued before 1999 */
  legacyId: 1 << 3,
  /** a character of the name replaced by another of the same sound */
  homophone: 1 << 4,
  /** birth date with day and month swapped */
  swap: 1 << 5,
  /** one digit of the birth date wrong (still a possible date) */
  slip: 1 << 6,
  noBirthDate: 1 << 7,
  phoneChanged: 1 << 8,
  noPhone: 1 << 9,
  /** an address of another home */
  moved: 1 << 10,
  sexUnknown: 1 << 11,
  /** the resident is a twin (trait) */
  twin: 1 << 12,
  /** the resident has an earlier namesake: same name and birth year (trait) */
  namesake: 1 << 13,
  /** the number's check character replaced by a wrong one */
  wrongCheck: 1 << 14,
  /** an impossible birth date (month 13): the node refuses the registration */
  impossibleDate: 1 << 15,
} as const;
export type SlipClass = keyof typeof Tag;

/** The names of a registration's tags, "clean" for none. */
export function tagNames(tags: number): string {
  const names = Object.entries(Tag)
    .filter(([, bit]) => tags & bit)
    .map(([name]) => name);
  return names.length ? names.join("+") : "clean";
}

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

/** For each character of a homophone group, the other characters of the same sound. */
export const HOMOPHONES = new Map<string, string[]>();
for (const group of HOMOPHONE_GROUPS) {
  for (const ch of group)
    HOMOPHONES.set(
      ch,
      [...new Set([...(HOMOPHONES.get(ch) ?? []), ...group])].filter((c) => c !== ch),
    );
}

/** The same number with its check character replaced by a wrong one. */
export function wrongCheckChar(residentId: string): string {
  const wrong = "0123456789X".split("").find((c) => c !== residentId.charAt(17))!;
  return residentId.slice(0, 17) + wrong;
}

/** A date typed into the wrong field: month 13. */
export const impossibleDate = (date: string): string => date.replace(/-(\d\d)-/, "-13-");

/** Registrations as desks type them, with the errors drawn from the world's source. */
export class Registrar {
  constructor(private readonly people: People) {}

  /** How many times a resident registers over the years: 1–4 (mean about 2.3). */
  registrationCount(): number {
    const rng = this.people.rng;
    return 1 + (rng.next() < 0.3 ? 0 : rng.next() < 0.43 ? 1 : rng.next() < 0.62 ? 2 : 3);
  }

  /** One registration of `p`, every error drawn independently at RATES; `family`: the others of the household. */
  register(p: Resident, home: Home, family: Resident[]): { record: Registration; tag: number } {
    const { rng } = this.people;
    const chance = (x: number) => this.people.chance(x);
    let tag = 0;
    const record: Registration = { family: p.family, given: p.given, sex: p.sex };
    const idRoll = rng.next();
    if (idRoll < RATES.noId) tag |= Tag.noId;
    else if (idRoll < RATES.noId + RATES.mistypedId) {
      record.residentId = this.mistype(p.residentId);
      tag |= Tag.mistypedId;
    } else if (idRoll < RATES.noId + RATES.mistypedId + RATES.borrowedId && family.length > 0) {
      record.residentId = rng.pick(family).residentId;
      tag |= Tag.borrowedId;
    } else if (p.birthDate < "2000" && chance(RATES.legacyId / 0.6)) {
      record.residentId = p.residentId.slice(0, 6) + p.residentId.slice(8, 17);
      tag |= Tag.legacyId;
    } else record.residentId = p.residentId;

    if (chance(RATES.homophone)) {
      const typed = this.homophone(p);
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
      record.birthDate = this.slipDate(p.birthDate);
      tag |= Tag.slip;
    } else record.birthDate = p.birthDate;
    if (chance(RATES.sexUnknown)) {
      record.sex = "unknown";
      tag |= Tag.sexUnknown;
    }
    if (chance(RATES.noPhone)) tag |= Tag.noPhone;
    else if (chance(RATES.phoneChanged)) {
      record.phone = this.people.mobile();
      tag |= Tag.phoneChanged;
    } else record.phone = p.phone;
    if (!chance(RATES.noAddress)) {
      const moved = chance(RATES.moved);
      if (moved) tag |= Tag.moved;
      record.address = this.addressVariant(moved ? this.people.homeAddress() : home);
    }
    return { record, tag };
  }

  /** A digit typed wrong (85 %) or two neighbours swapped, in the first 17 characters. */
  mistype(id: string): string {
    const { rng } = this.people;
    for (;;) {
      const i = rng.int(0, 16);
      if (this.people.chance(0.85)) {
        const digit = String(rng.int(0, 9));
        if (digit !== id.charAt(i)) return id.slice(0, i) + digit + id.slice(i + 1);
      } else if (id.charAt(i) !== id.charAt(i + 1)) {
        return id.slice(0, i) + id.charAt(i + 1) + id.charAt(i) + id.slice(i + 2);
      }
    }
  }

  /** The name with one character replaced by a homophone (the family name now and then); undefined when none sounds alike. */
  homophone(p: Pick<Resident, "family" | "given">): [string, string] | undefined {
    const { rng } = this.people;
    const familyAlternatives = HOMOPHONES.get(p.family);
    if (familyAlternatives && this.people.chance(0.15)) return [rng.pick(familyAlternatives), p.given];
    const positions = [...p.given].map((ch, i) => [ch, i] as const).filter(([ch]) => HOMOPHONES.has(ch));
    if (positions.length === 0) return undefined;
    const [ch, i] = rng.pick(positions);
    const chars = [...p.given];
    chars[i] = rng.pick(HOMOPHONES.get(ch)!);
    return [p.family, chars.join("")];
  }

  /** One digit of the date (after the century) changed, still a possible date before 2025. */
  slipDate(date: string): string {
    const { rng } = this.people;
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

  /** The address as typed: whole, without the province, without the city, or from the district on. */
  addressVariant(home: { address: string; cityName: string }): string {
    const roll = this.people.rng.next();
    const withoutProvince = home.address.replace(/^河北省/, "");
    if (roll < 0.5) return home.address;
    if (roll < 0.75) return withoutProvince;
    if (roll < 0.9) return withoutProvince.replace(home.cityName, "");
    return withoutProvince.replace(/^.+?[区县市](?=.)/, "").replace(home.cityName, "");
  }

  /**
   * A clean registration with one named slip applied (the simulation's model): a homophone in the
   * name, a wrong check character, an impossible birth date; any other class leaves it as it is.
   */
  slipped(record: Registration, slip: SlipClass | "none"): Registration {
    switch (slip) {
      case "homophone": {
        const typed = this.homophone(record);
        return typed ? { ...record, family: typed[0], given: typed[1] } : record;
      }
      case "wrongCheck":
        return record.residentId ? { ...record, residentId: wrongCheckChar(record.residentId) } : record;
      case "impossibleDate":
        return record.birthDate ? { ...record, birthDate: impossibleDate(record.birthDate) } : record;
      default:
        return record;
    }
  }
}
