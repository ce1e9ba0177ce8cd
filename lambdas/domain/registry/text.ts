/**
 * FHIR string search over Chinese names: case-insensitive starts-with, by characters or by toneless
 * pinyin. A name is indexed once, under its pinyin "search key" (保定市第一医院 → baodingshidiyiyiyuan);
 * a query in characters is turned into the pinyin prefixes it could start with (every reading of
 * each character: 长 → chang, zhang) and the hits are then checked against the characters.
 * Spaces and the punctuation of transliterated names are ignored; ü is written v.
 */
import { pinyin } from "pinyin-pro";

const IGNORED = /[\s·•・.'’\-_|]/gu;
const HAN = /\p{Script=Han}/u;
/** Readings of at most this many leading characters are expanded for a query (longer ones are checked by characters) */
const QUERY_READING_CHARS = 4;
const MAX_QUERY_PREFIXES = 16;

/** Lower-cased, NFKC-normalised, without spaces and name punctuation: what starts-with compares. */
export const fold = (text: string): string => text.normalize("NFKC").toLowerCase().replace(IGNORED, "");

export const hasHan = (text: string): boolean => HAN.test(text);

/** The pinyin search key of a name, every character read in context (`surname`: the first read as a family name). */
export function searchKey(text: string, surname = false): string {
  const folded = fold(text);
  if (!hasHan(folded)) return folded;
  return pinyin(folded, { toneType: "none", type: "array", v: true, surname: surname ? "head" : "off" })
    .join("")
    .toLowerCase();
}

/** The pinyin prefixes a query may start with: itself when it has no characters, else each combination of readings. */
export function queryPrefixes(query: string): string[] {
  const folded = fold(query);
  if (!hasHan(folded)) return folded ? [folded] : [];
  let prefixes = [""];
  let chars = 0;
  for (const ch of folded) {
    if (chars >= QUERY_READING_CHARS) break;
    const readings = hasHan(ch)
      ? [...new Set(pinyin(ch, { toneType: "none", type: "array", multiple: true, v: true }).map((r) => r.toLowerCase()))]
      : [ch];
    const next = prefixes.flatMap((p) => readings.map((r) => p + r));
    if (next.length > MAX_QUERY_PREFIXES) break;
    prefixes = next;
    chars++;
  }
  return withoutLongerPrefixes(prefixes.filter(Boolean));
}

/** Drops every prefix that a shorter one in the list already covers. */
export function withoutLongerPrefixes(prefixes: string[]): string[] {
  const sorted = [...new Set(prefixes)].sort((a, b) => a.length - b.length);
  return sorted.filter((p, i) => !sorted.slice(0, i).some((shorter) => p.startsWith(shorter)));
}

/** FHIR string search: does `text` start with `query` (characters, or pinyin for a query without characters)? */
export function stringMatches(text: string, query: string, exact = false, surname = false): boolean {
  if (exact) return text === query;
  const q = fold(query);
  if (!q) return false;
  if (fold(text).startsWith(q)) return true;
  return !hasHan(q) && searchKey(text, surname).startsWith(q);
}
