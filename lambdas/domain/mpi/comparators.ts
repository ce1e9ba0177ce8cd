/**
 * Field comparators of the master patient index. Each maps a pair of values to a discrete level;
 * the scorer holds one Fellegi–Sunter weight per level (see scorer.ts). "missing" means at least
 * one side has no usable value and carries no evidence either way. Pure functions.
 */
import { normalizePhone } from "./phone.ts";
import { familySyllables, fuzzySyllable, givenSyllables, nameUnits, unitReadings } from "./pinyin.ts";

// ——— names ———

/**
 * exact: the same characters · homophone: every character reads the same (toneless, any reading of
 * a polyphone) · near-homophone: every character reads the same or nearly so (the fuzzy confusions
 * of pinyin.ts, or pinyin one edit apart) · similar: Jaro–Winkler of the pinyin ≥ 0.9 (names of
 * different lengths, or with no character agreeing in place) ·
 * dropped (given names only): one is the other with one character left out (李华斌 / 李华, the commonest
 * slip of a busy desk after a homophone) ·
 * partial: some character agrees in place (or one name is contained in the other) but the rest do
 * not even sound alike, the shape of twins' given names (子涵 / 子轩) · different.
 */
export type NameLevel = "exact" | "homophone" | "near-homophone" | "similar" | "dropped" | "partial" | "different" | "missing";

export const SIMILAR_JARO_WINKLER = 0.9;

/** How two name units (characters) compare, ordered from best to worst. */
const Unit = { Same: 0, Homophone: 1, Near: 2, Different: 3 } as const;
type UnitLevel = (typeof Unit)[keyof typeof Unit];

function compareUnits(a: string, b: string): UnitLevel {
  if (a === b) return Unit.Same;
  const ra = unitReadings(a);
  const rb = unitReadings(b);
  for (const x of ra) if (rb.includes(x)) return Unit.Homophone;
  for (const x of ra) {
    for (const y of rb) if (fuzzySyllable(x) === fuzzySyllable(y) || withinOneEdit(x, y)) return Unit.Near;
  }
  return Unit.Different;
}

/** Compares one part of two names (the family names, or the given names). */
export function compareNamePart(a: string, b: string, part: "family" | "given"): NameLevel {
  if (a === b) return a.trim() ? "exact" : "missing";
  const ua = nameUnits(a);
  const ub = nameUnits(b);
  if (ua.length === 0 || ub.length === 0) return "missing";
  if (ua.join("") === ub.join("")) return "exact";
  let worst: UnitLevel = Unit.Same;
  let anyAgree = false;
  if (ua.length === ub.length) {
    for (let i = 0; i < ua.length; i++) {
      const u = compareUnits(ua[i]!, ub[i]!);
      if (u > worst) worst = u;
      if (u <= Unit.Homophone) anyAgree = true;
    }
    if (worst === Unit.Homophone) return "homophone";
    if (worst === Unit.Near) return "near-homophone";
  } else {
    const [short, long] = ua.length < ub.length ? [ua, ub] : [ub, ua];
    if (part === "given" && long.length === short.length + 1 && oneUnitDropped(short, long)) return "dropped";
    anyAgree = long.join("").includes(short.join(""));
  }
  // one character agreeing in place while another does not even sound alike is the shape of
  // siblings' names (子涵 / 子轩): partial, however close the pinyin strings are
  if (anyAgree && ua.length === ub.length) return "partial";
  const syllables = part === "family" ? familySyllables : givenSyllables;
  const pa = syllables(a).join("");
  const pb = syllables(b).join("");
  if (pa === pb) return "homophone"; // 晓明 against the pinyin "xiaoming" typed as one word
  if (jaroWinkler(pa, pb) >= SIMILAR_JARO_WINKLER) return "similar";
  return anyAgree ? "partial" : "different";
}

/**
 * Whether `short` is `long` with one unit left out, every other unit the same or a homophone, in
 * order (华 for 桦斌: a character left out of a name also typed by its sound).
 */
function oneUnitDropped(short: readonly string[], long: readonly string[]): boolean {
  const alike = (a: string, b: string): boolean => compareUnits(a, b) <= Unit.Homophone;
  let i = 0;
  while (i < short.length && alike(short[i]!, long[i]!)) i++;
  for (let j = i; j < short.length; j++) if (!alike(short[j]!, long[j + 1]!)) return false;
  return true;
}

/** Whether two strings are at most one insertion, deletion or substitution apart. */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const [s, l] = a.length <= b.length ? [a, b] : [b, a];
  if (l.length - s.length > 1) return false;
  let i = 0;
  while (i < s.length && s.charCodeAt(i) === l.charCodeAt(i)) i++;
  if (s.length === l.length) return s.slice(i + 1) === l.slice(i + 1);
  return s.slice(i) === l.slice(i + 1);
}

/** Jaro–Winkler similarity (prefix scale 0.1, prefix up to 4 characters), 0..1. */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return a.length === 0 ? 0 : 1;
  if (a.length === 0 || b.length === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const matchedB = new Uint8Array(b.length);
  const matchesA: number[] = [];
  for (let i = 0; i < a.length; i++) {
    const from = Math.max(0, i - window);
    const to = Math.min(b.length - 1, i + window);
    for (let j = from; j <= to; j++) {
      if (!matchedB[j] && a.charCodeAt(i) === b.charCodeAt(j)) {
        matchedB[j] = 1;
        matchesA.push(i);
        break;
      }
    }
  }
  const m = matchesA.length;
  if (m === 0) return 0;
  let transpositions = 0;
  let k = 0;
  for (let j = 0; j < b.length; j++) {
    if (!matchedB[j]) continue;
    if (a.charCodeAt(matchesA[k]!) !== b.charCodeAt(j)) transpositions++;
    k++;
  }
  const jaro = (m / a.length + m / b.length + (m - transpositions / 2) / m) / 3;
  let prefix = 0;
  while (prefix < 4 && prefix < a.length && prefix < b.length && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

// ——— birth dates ———

/**
 * swap: day and month exchanged (03-12 / 12-03) · day: one calendar day apart (05-19 / 05-20, 05-31 /
 * 06-01) · slip: exactly one digit of YYYYMMDD differs.
 */
export type BirthDateLevel = "exact" | "swap" | "day" | "slip" | "same-year" | "different" | "missing";

const DAY_MS = 86_400_000;

export function compareBirthDates(a: string | undefined, b: string | undefined): BirthDateLevel {
  if (!a || !b) return "missing";
  if (a === b) return "exact";
  if (Math.abs(Date.parse(a) - Date.parse(b)) === DAY_MS) return "day";
  const [ya, ma, da] = a.split("-");
  const [yb, mb, db] = b.split("-");
  if (ya === yb && ma === db && da === mb) return "swap";
  if (a.length === b.length) {
    let differing = 0;
    for (let i = 0; i < a.length; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) differing++;
    if (differing === 1) return "slip";
  }
  return ya === yb ? "same-year" : "different";
}

// ——— sex ———

export type Sex = "male" | "female" | "other" | "unknown";
export type SexLevel = "same" | "different" | "missing";

export function compareSex(a: Sex | undefined, b: Sex | undefined): SexLevel {
  if (a !== "male" && a !== "female") return "missing";
  if (b !== "male" && b !== "female") return "missing";
  return a === b ? "same" : "different";
}

// ——— phones ———

export type PhoneLevel = "exact" | "last8" | "different" | "missing";

/** exact, or the last 8 digits equal (a landline with and without its area code, a slipped prefix). */
export function comparePhones(a: string | undefined, b: string | undefined): PhoneLevel {
  const na = normalizePhone(a);
  const nb = normalizePhone(b);
  if (!na || !nb) return "missing";
  if (na === nb) return "exact";
  return na.length >= 8 && nb.length >= 8 && na.slice(-8) === nb.slice(-8) ? "last8" : "different";
}

export { normalizePhone };

// ——— addresses ———

export type AddressLevel = "same" | "similar" | "different" | "missing";

export const ADDRESS_SAME = 0.8;
export const ADDRESS_SIMILAR = 0.5;

/** Without spaces and punctuation, the country and province prefix, full-width digits folded. */
export function normalizeAddress(address: string | undefined): string {
  if (!address) return "";
  return address
    .replace(/[\uff10-\uff19]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xff10 + 48))
    .replace(/[\s\p{P}]/gu, "")
    .replace(/^中国/, "")
    .replace(/^河北省?/, "");
}

/** Sørensen–Dice coefficient of the character bigrams of two normalized addresses. */
export function addressSimilarity(a: string, b: string): number {
  if (a.length < 2 || b.length < 2) return a === b && a.length > 0 ? 1 : 0;
  const counts = new Map<string, number>();
  for (let i = 0; i < a.length - 1; i++) {
    const g = a.slice(i, i + 2);
    counts.set(g, (counts.get(g) ?? 0) + 1);
  }
  let shared = 0;
  for (let i = 0; i < b.length - 1; i++) {
    const g = b.slice(i, i + 2);
    const c = counts.get(g);
    if (c) {
      shared++;
      counts.set(g, c - 1);
    }
  }
  return (2 * shared) / (a.length - 1 + (b.length - 1));
}

export function compareAddresses(a: string | undefined, b: string | undefined): AddressLevel {
  const na = normalizeAddress(a);
  const nb = normalizeAddress(b);
  if (na.length < 4 || nb.length < 4) return "missing";
  const similarity = addressSimilarity(na, nb);
  return similarity >= ADDRESS_SAME ? "same" : similarity >= ADDRESS_SIMILAR ? "similar" : "different";
}

// ——— resident ID numbers and health cards, as evidence (not as keys) ———

/**
 * Two typed ID numbers compared when at least one of them failed its check: "one-edit" when one
 * substitution or adjacent transposition turns one into the other (a typing slip of the same number).
 */
/**
 * household (typed numbers only): a number the record cannot confirm (no birth date or sex), whose
 * owner lives where the candidate does: a relative's card brought to the desk.
 */
export type IdentifierLevel = "same" | "one-edit" | "household" | "different" | "missing";

export function compareTypedIds(a: string | undefined, b: string | undefined): IdentifierLevel {
  if (!a || !b) return "missing";
  if (a === b) return "same";
  if (a.length !== b.length) return "different";
  const diff: number[] = [];
  for (let i = 0; i < a.length && diff.length <= 2; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) diff.push(i);
  if (diff.length === 1) return "one-edit";
  if (diff.length === 2) {
    const [i, j] = diff as [number, number];
    if (j === i + 1 && a.charAt(i) === b.charAt(j) && a.charAt(j) === b.charAt(i)) return "one-edit";
  }
  return "different";
}

export function compareHealthCards(a: string | undefined, b: string | undefined): IdentifierLevel {
  const na = a?.trim().toUpperCase();
  const nb = b?.trim().toUpperCase();
  if (!na || !nb) return "missing";
  return na === nb ? "same" : "different";
}
