/**
 * The synthetic hospitals of the province: exactly 467, spread over the cities in proportion to
 * their population, deterministic (seeded per city, same output on every call and machine).
 *
 * Each city gets its provincial/university hospitals and city-level hospitals (about 30 % of its
 * count, in its central districts), then county-level hospitals round by round over its other
 * divisions (人民医院, 中医医院, 妇幼保健院, …). The best-scoring 30 % province-wide are level 3.
 */
import type { HospitalFacts } from "#domain/registry/organizations.ts";
import { makeUscc, USCC_ALPHABET } from "#domain/uscc.ts";
import { type CityConfig, type CityId, PROVINCE, type SeedCityId } from "#lib/config/province.ts";
import { type Division, divisionsOf, shortDivisionName } from "./hebei-divisions.ts";
import {
  CITY_TEMPLATES,
  COUNTY_FIRST_TEMPLATES,
  COUNTY_LATER_TEMPLATES,
  DIVISION_KIND_BONUS,
  FLAGSHIP_HOSPITALS,
  FLAGSHIP_SCORE,
} from "./hospital-names.ts";
import { createRng, type Rng } from "./prng.ts";

export const TOTAL_HOSPITALS = 467;
export const LEVEL3_SHARE = 0.3;
/** Share of a city's hospitals that are city-level (including its provincial ones) */
const CITY_LEVEL_SHARE = 0.3;
/** Added to every score, uniform in [0, SCORE_JITTER) */
const SCORE_JITTER = 30;
export const PRACTITIONERS_MIN = 20;
export const PRACTITIONERS_MAX = 50;

/** A seed hospital: what the registry knows of it, and its staff's ids */
export interface SeedHospital extends HospitalFacts {
  /** `${hospitalIdPrefix}${3-digit sequence}`, e.g. "bd001" */
  id: string;
  /** `${id}-p${3-digit}`, e.g. "bd001-p007" */
  practitionerIds: string[];
}

interface Draft {
  city: CityConfig;
  division: Division;
  name: string;
  private: boolean;
  flagship: boolean;
  score: number;
}

/** Hospitals per city, proportional to population, largest-remainder rounding to TOTAL_HOSPITALS. */
export function hospitalCountsByCity(): Record<CityId, number> {
  const totalPopulation = PROVINCE.cities.reduce((sum, c) => sum + c.populationMillions, 0);
  const quotas = PROVINCE.cities.map((c, index) => {
    const quota = (c.populationMillions / totalPopulation) * TOTAL_HOSPITALS;
    return { id: c.id, index, count: Math.floor(quota), remainder: quota - Math.floor(quota) };
  });
  const left = TOTAL_HOSPITALS - quotas.reduce((sum, q) => sum + q.count, 0);
  const byRemainder = [...quotas].sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const q of byRemainder.slice(0, left)) q.count += 1;
  return Object.fromEntries(quotas.map((q) => [q.id, q.count])) as Record<CityId, number>;
}

function cityDrafts(city: CityConfig, count: number): Draft[] {
  const rng = createRng(`hhc-seed/hospitals/${city.id}`);
  const divisions = divisionsOf(city.id);
  const core = divisions.filter((d) => d.urbanCore);
  const drafts: Draft[] = [];
  const add = (division: Division, name: string, isPrivate: boolean, flagship: boolean, baseScore: number): void => {
    drafts.push({ city, division, name, private: isPrivate, flagship, score: baseScore + rng.next() * SCORE_JITTER });
  };

  const cityLevel = Math.min(count, Math.round(count * CITY_LEVEL_SHARE));
  for (const name of (FLAGSHIP_HOSPITALS[city.id as SeedCityId] ?? []).slice(0, cityLevel))
    add(rng.pick(core), name, false, true, FLAGSHIP_SCORE);
  for (const t of CITY_TEMPLATES.slice(0, cityLevel - drafts.length)) {
    add(rng.pick(core), `${city.nameZh}${t.suffix}`, t.private, false, t.baseScore);
  }

  // larger places first: county-level cities, then districts, then counties
  const outer = divisions.filter((d) => !d.urbanCore);
  const order = (["city", "district", "county"] as const).flatMap((kind) => rng.shuffle(outer.filter((d) => d.kind === kind)));
  // each division's own sequence of templates: the fixed first rounds, then the later groups shuffled
  const plans = order.map((division) => ({
    division,
    templates: [...COUNTY_FIRST_TEMPLATES, ...COUNTY_LATER_TEMPLATES.flatMap((group) => rng.shuffle(group))],
  }));
  const rounds = Math.max(...plans.map((p) => p.templates.length));
  for (let round = 0; round < rounds; round++) {
    for (const { division: d, templates } of plans) {
      if (drafts.length >= count) return drafts;
      const t = templates[round];
      if (!t) continue;
      const place = t.shortName ? shortDivisionName(d.nameZh) : d.nameZh;
      add(d, `${place}${t.suffix}`, t.private, false, t.baseScore + DIVISION_KIND_BONUS[d.kind]);
    }
  }
  if (drafts.length < count) throw new Error(`not enough hospital templates for ${city.id}: ${drafts.length} < ${count}`);
  return drafts;
}

const DIGITS = "0123456789";

function randomChars(rng: Rng, alphabet: string, n: number): string {
  let out = "";
  for (let i = 0; i < n; i++) out += alphabet.charAt(rng.int(0, alphabet.length - 1));
  return out;
}

/** Public institutions 12… with an old-style organisation code; private ones 52…MJ (civil affairs) or 91…MA (company). */
function hospitalUscc(rng: Rng, draft: Draft): string {
  const divisionCode = draft.division.code;
  if (!draft.private) return makeUscc({ authority: "1", category: "2", divisionCode, orgBody8: `40${randomChars(rng, DIGITS, 6)}` });
  const company = rng.next() < 0.3;
  const orgBody8 = `${company ? "MA" : "MJ"}${randomChars(rng, USCC_ALPHABET, 6)}`;
  return makeUscc({ authority: company ? "9" : "5", category: company ? "1" : "2", divisionCode, orgBody8 });
}

function roundTo10(n: number): number {
  return Math.round(n / 10) * 10;
}

function bedsFor(rng: Rng, draft: Draft, level: 2 | 3): number {
  if (level === 3) {
    const [min, span] = draft.flagship ? [1500, 1500] : [800, 1700];
    return roundTo10(min + rng.next() ** 1.5 * span);
  }
  return roundTo10(150 + rng.next() * (draft.private ? 350 : 650));
}

export function generateHospitals(): SeedHospital[] {
  const counts = hospitalCountsByCity();
  const drafts = PROVINCE.cities.flatMap((city) => cityDrafts(city, counts[city.id] ?? 0));

  const level3Count = Math.round(TOTAL_HOSPITALS * LEVEL3_SHARE);
  const ranked = drafts.map((d, i) => ({ d, i })).sort((a, b) => b.d.score - a.d.score || a.i - b.i);
  const level3 = new Set(ranked.slice(0, level3Count).map((r) => r.d));

  const names = new Set<string>();
  const usccs = new Set<string>();
  const sequence = new Map<CityId, number>();
  const detailRng = new Map(PROVINCE.cities.map((c) => [c.id, createRng(`hhc-seed/details/${c.id}`)]));

  return drafts.map((draft) => {
    const rng = detailRng.get(draft.city.id)!;
    if (names.has(draft.name)) throw new Error(`duplicate hospital name ${draft.name}`);
    names.add(draft.name);
    const n = (sequence.get(draft.city.id) ?? 0) + 1;
    sequence.set(draft.city.id, n);
    const id = `${draft.city.hospitalIdPrefix}${String(n).padStart(3, "0")}`;
    const level: 2 | 3 = level3.has(draft) ? 3 : 2;

    let uscc = hospitalUscc(rng, draft);
    while (usccs.has(uscc)) uscc = hospitalUscc(rng, draft);
    usccs.add(uscc);

    const beds = bedsFor(rng, draft, level);
    const practitioners = level === 3 ? rng.int(35, PRACTITIONERS_MAX) : rng.int(PRACTITIONERS_MIN, 35);
    const practitionerIds = Array.from({ length: practitioners }, (_, k) => `${id}-p${String(k + 1).padStart(3, "0")}`);
    return {
      id,
      cityId: draft.city.id,
      countyCode: draft.division.code,
      countyName: draft.division.nameZh,
      name: draft.name,
      level,
      uscc,
      beds,
      practitionerIds,
    };
  });
}
