/**
 * Pinyin of Chinese names for matching, via pinyin-pro: toneless syllables (ü written v), the
 * family name read as a surname (单 shan, 曾 zeng, 解 xie), every reading of a single character
 * (polyphones such as 乐 le/yue), and a "fuzzy" form that folds the confusions of Mandarin spoken
 * with a regional accent and of hurried typing with a pinyin input method:
 *   initials zh/z, ch/c, sh/s, n/l; finals ang/an, eng/en, ing/in (and iang/ian, uang/uan).
 * Runs of Latin letters (a name known only in romanisation) are kept as one lower-case syllable;
 * the middle dot of transliterated minority names and spaces are dropped.
 * Results are memoised in bounded maps: names draw on a few thousand characters.
 */
import { pinyin } from "pinyin-pro";

const CACHE_LIMIT = 100_000;

function memo<T>(compute: (key: string) => T): (key: string) => T {
  const cache = new Map<string, T>();
  return (key) => {
    let value = cache.get(key);
    if (value === undefined) {
      if (cache.size >= CACHE_LIMIT) cache.clear();
      value = compute(key);
      cache.set(key, value);
    }
    return value;
  };
}

const IGNORED = /[\s·•・.'’-]/u;
const HAN = /\p{Script=Han}/u;

/** Splits a name into its units: one per Han character, one per run of Latin letters or digits. */
export const nameUnits: (name: string) => readonly string[] = memo(splitUnits);

function splitUnits(name: string): string[] {
  const units: string[] = [];
  let latin = "";
  for (const ch of name) {
    if (IGNORED.test(ch)) {
      if (latin) units.push(latin);
      latin = "";
    } else if (HAN.test(ch)) {
      if (latin) units.push(latin);
      latin = "";
      units.push(ch);
    } else {
      latin += ch.toLowerCase();
    }
  }
  if (latin) units.push(latin);
  return units;
}

function toSyllables(name: string, surname: boolean): string[] {
  const units = nameUnits(name);
  const han = units.filter((u) => HAN.test(u)).join("");
  const read = han ? pinyin(han, { toneType: "none", type: "array", v: true, surname: surname ? "all" : "off" }) : [];
  let h = 0;
  return units.map((u) => (HAN.test(u) ? (read[h++] ?? u) : u));
}

/** Toneless syllables of a family name, read as a surname: 单 → shan, 欧阳 → ou yang. */
export const familySyllables: (family: string) => readonly string[] = memo((family) => toSyllables(family, true));

/** Toneless syllables of a given name, each character read in context. */
export const givenSyllables: (given: string) => readonly string[] = memo((given) => toSyllables(given, false));

/** Every toneless reading of one unit (a Han character, or a Latin run as itself). */
export const unitReadings: (unit: string) => readonly string[] = memo((unit) =>
  HAN.test(unit) ? [...new Set(pinyin(unit, { toneType: "none", type: "array", multiple: true, v: true }))] : [unit],
);

const FUZZY_INITIALS: ReadonlyArray<readonly [string, string]> = [
  ["zh", "z"],
  ["ch", "c"],
  ["sh", "s"],
  ["n", "l"],
];
const FUZZY_FINALS: ReadonlyArray<readonly [string, string]> = [
  ["iang", "ian"],
  ["uang", "uan"],
  ["ang", "an"],
  ["eng", "en"],
  ["ing", "in"],
];

/** The syllable with the common confusions folded: zhang → zan, ning → lin, sheng → sen. */
export const fuzzySyllable: (syllable: string) => string = memo((syllable) => {
  let s = syllable;
  for (const [from, to] of FUZZY_INITIALS) {
    if (s.startsWith(from) && s.length > from.length) {
      s = to + s.slice(from.length);
      break;
    }
  }
  for (const [from, to] of FUZZY_FINALS) {
    if (s.endsWith(from) && s.length > from.length) {
      s = s.slice(0, -from.length) + to;
      break;
    }
  }
  return s;
});

/** The fuzzy pinyin of a whole name, syllables joined without separators (a blocking-key part). */
export function fuzzyName(family: string, given: string): string {
  return [...familySyllables(family), ...givenSyllables(given)].map(fuzzySyllable).join("");
}
