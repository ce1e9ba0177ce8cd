/**
 * Blocking keys: the candidates of an incoming record are the residents indexed under any of its
 * keys, so the cost of a match is the sum of its keys' partition sizes, which must stay small
 * however many residents the index holds. No key is ever a surname, a city or a birth year alone.
 *
 * Expected partition sizes at Hebei's 74.6 million residents (≈ 22 000 birth dates in use, surname
 * 王 ≈ 10 %, the commonest full-name pinyin such as "zhangwei" ≈ 0.05 % once homophones and the fuzzy
 * folds are merged, about 37 000 people, most born within 20 years):
 *
 *   id:<18 chars>                                   the resident ID number (valid and the record's own): 1
 *   nm:<fuzzy full-name pinyin>:<yyyy><mm'>         name sound + birth year-month: typical name < 1;
 *                                                   the very commonest names in their peak years ≈ 150
 *   bd:<yyyy><mmdd'>:<sex>:<fuzzy surname>:<i>      birth date + sex + surname sound + initial of the given
 *                                                   name: 74.6 M / 22 000 / 2 / 20 initials ≈ 85 × surname
 *                                                   share, so ≈ 8 for 王, ≈ 0.5 for a 1 % surname
 *   ad:<fuzzy full-name pinyin>:<street and number> name sound + the address below the county ("振兴路160号",
 *                                                   "小庄镇柳高村137号"): people of one name in one building, ≈ 1;
 *                                                   the only key of a record without birth date, ID or phone
 *   hh:<fuzzy surname>:<home>                       surname sound + home (house number): a family at home, ≈ 2;
 *                                                   meets a name typed short and a day off at the person's home
 *   ph:<digits>                                     phone: a household, 1-5 (placeholders are never keys)
 *   nc:<fuzzy full-name pinyin>                     the residents holding the name's sound: up to 37 000 for
 *                                                   "zhangwei", so only counted, up to COMMON_NAME (decide.ts)
 *   hm:<the address without the province>           a home (with a house number): its residents whatever their
 *                                                   names, ≈ 3; never candidates, read only to tell whether a
 *                                                   household lives there (homes.ts)
 *   hc:<card number>                                resident health card: 1
 *   nb:<mother's number>:<birth order>              a newborn registered under its mother's number: 1
 *
 * mm' and mmdd' make the key the same for a date and its day/month swap: when the day is 12 or less,
 * the month part is min(month, day) and the mmdd part is the two sorted. Where mm' differs from the
 * month (day < month, about 18 % of dates) the nm key is also given with the month itself, so a slip
 * of the day digit (03-12 typed 03-02) still meets its record. Homophones (伟/玮) keep the
 * pinyin and near-homophones (zh/z, n/l, in/ing) the fuzzy pinyin, so typed variants meet under nm;
 * records whose name sound changed more still meet under bd, ph or id.
 * A number that failed its check, or that contradicts the record (set aside), is never a key; one the
 * record cannot confirm (no birth date, no sex) is no key either, but its date and sex still block.
 */
import { normalizeAddress, normalizePhone } from "./comparators.ts";
import { familySyllables, fuzzyName, fuzzySyllable, givenSyllables } from "./pinyin.ts";
import { analyseResidentId, type MatchRecord, namePart, ownBirthDate } from "./record.ts";

/**
 * The residents holding a name's sound, whatever their birth date: counted (up to COMMON_NAME, see
 * decide.ts), never read as candidates. A name held by many is weaker evidence (王伟 against 郜靓).
 */
export const NAME_COUNT_PREFIX = "nc:";

/**
 * The residents of a home, whatever their names: never read as candidates, only to tell whether a
 * record's home or a candidate's is a household the index knows (homes.ts).
 */
export const HOME_PREFIX = "hm:";

/**
 * The prefixes of the keys a resident is indexed under, one item per key and resident in ResidentKeys
 * (`id:` is not among them: a number is claimed once, by its own conditional item).
 */
export const INDEXED_KEY_PREFIXES = ["nm:", "bd:", "ad:", "hh:", "ph:", NAME_COUNT_PREFIX, HOME_PREFIX, "hc:", "nb:"] as const;

/**
 * The keys a resident holding `records` is indexed under (blockingKeys of each, without the `id:`
 * claim), only those with one of `prefixes` when given: what a re-index writes (use-cases/mpi/reindex.ts).
 */
export function indexedKeys(
  records: readonly MatchRecord[],
  options: BlockingOptions,
  prefixes: readonly string[] = INDEXED_KEY_PREFIXES,
): string[] {
  const keys = new Set<string>();
  for (const record of records) for (const key of blockingKeys(record, options)) if (prefixes.some((p) => key.startsWith(p))) keys.add(key);
  return [...keys];
}

/** Whether a key's partition is read for candidates (the counted and the home keys are not). */
export function bringsCandidates(key: string): boolean {
  return !key.startsWith(NAME_COUNT_PREFIX) && !key.startsWith(HOME_PREFIX);
}

export interface BlockingOptions {
  /** YYYY-MM-DD, the caller's date (by the province clock) */
  today: string;
}

/** The blocking keys of a record (incoming or stored), without duplicates. */
export function blockingKeys(record: MatchRecord, options: BlockingOptions): string[] {
  const keys = new Set<string>();
  const id = analyseResidentId(record, options);
  const idIsKey = id.use === "key" && !record.residentIdSetAside;
  if (idIsKey && id.typed) keys.add(`id:${id.typed}`);
  // an incoming unconfirmed number looks its owner up (never stored: the stored record sets it aside)
  if (id.use === "unconfirmed" && !record.residentIdSetAside && id.typed) keys.add(`id:${id.typed}`);
  // an unconfirmed number (nothing of the record's own to hold it against) still says where to look
  const idSpeaks = idIsKey || id.use === "unconfirmed";

  const dates = new Set<string>();
  const own = ownBirthDate(record, options.today);
  if (own) dates.add(own);
  if (idSpeaks && id.check?.birthDate) dates.add(id.check.birthDate);

  const family = namePart(record.family, record.familyPinyin);
  const given = namePart(record.given, record.givenPinyin);
  const name = fuzzyName(family, given);
  const surname = familySyllables(family).map(fuzzySyllable).join("");
  const initial = fuzzySyllable(givenSyllables(given)[0] ?? "-").charAt(0);
  const ownSex = record.sex === "male" || record.sex === "female" ? record.sex : undefined;
  const sex = ownSex ?? (idSpeaks ? id.check?.sex : undefined);
  const sexes = sex ? [sex.charAt(0)] : ["m", "f"];

  for (const date of dates) {
    const { monthPart, datePart } = canonicalDate(date);
    if (name) {
      keys.add(`nm:${name}:${date.slice(0, 4)}${monthPart}`);
      keys.add(`nm:${name}:${date.slice(0, 7).replace("-", "")}`);
    }
    if (surname) for (const s of sexes) keys.add(`bd:${date.slice(0, 4)}${datePart}:${s}:${surname}:${initial}`);
  }
  if (name) keys.add(`${NAME_COUNT_PREFIX}${name}`);
  const street = streetPart(record.address);
  if (name && street) keys.add(`ad:${name}:${street}`);
  const home = homePart(record.address);
  if (surname && home) keys.add(`hh:${surname}:${home}`);
  for (const key of homeKeys(record)) keys.add(key);
  const card = record.healthCard?.trim().toUpperCase();
  if (card) keys.add(`hc:${card}`);
  if (id.flags.includes("newborn-mother-id") && id.typed) keys.add(`nb:${id.typed}:${record.birthOrder}`);
  return [...keys];
}

/**
 * Where a record says its person lives: `ph:<phone>` and `hm:<home>`, the home being the whole address
 * without the province when it has a house number ("沧州市献县南大街272号碧水湾13号楼4单元2003室"), so
 * that the same street and number in two counties are two homes.
 */
export function homeKeys(record: Pick<MatchRecord, "phone" | "address">): string[] {
  const keys: string[] = [];
  const phone = normalizePhone(record.phone);
  if (phone) keys.push(`ph:${phone}`);
  if (homePart(record.address)) keys.push(`${HOME_PREFIX}${normalizeAddress(record.address)}`);
  return keys;
}

/** The month and month-day parts of a date, identical for the date and its day/month swap. */
export function canonicalDate(date: string): { monthPart: string; datePart: string } {
  const month = date.slice(5, 7);
  const day = date.slice(8, 10);
  if (Number(day) > 12) return { monthPart: month, datePart: month + day };
  const [low, high] = month <= day ? [month, day] : [day, month];
  return { monthPart: low, datePart: low + high };
}

/**
 * The address below the county, up to the house number: "河北省唐山市迁安市振兴路160号铁路宿舍…" and
 * "迁安市振兴路160号" both give "振兴路160号". Undefined when no house number can be found.
 */
export function streetPart(address: string | undefined): string | undefined {
  const numbered = /^(.{2,20}?\d+号)/.exec(belowCounty(address));
  return numbered?.[1];
}

/**
 * The whole address below the county when it has a house number ("振兴路160号铁路宿舍3号楼2单元301室"):
 * one home, the household's key with the family name's sound.
 */
export function homePart(address: string | undefined): string | undefined {
  const rest = belowCounty(address);
  return /^.{2,20}?\d+号/.test(rest) ? rest : undefined;
}

function belowCounty(address: string | undefined): string {
  let rest = normalizeAddress(address);
  for (let i = 0; i < 3; i++) {
    const unit = /^[^路街道巷镇乡号\d]{1,8}?(?:自治县|矿区|新区|市|区|县)/.exec(rest);
    if (!unit) break;
    rest = rest.slice(unit[0].length);
  }
  return rest;
}
