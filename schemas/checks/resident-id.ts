/**
 * Resident ID number (公民身份号码, GB 11643-1999): 18 characters.
 *
 *   [0..5]   address code: GB/T 2260 division of the first registration (Hebei: 13xxxx)
 *   [6..13]  birth date, YYYYMMDD
 *   [14..16] sequence code; its last digit is odd for men, even for women
 *   [17]     check character, ISO 7064 MOD 11-2 over the first 17 digits: 0-9 or X (for 10)
 *
 * Numbers issued before 1999 had 15 digits (no century, no check character): address code,
 * YYMMDD (always 19xx) and the 3-digit sequence. They are converted to 18 by inserting "19" and
 * appending the check character. Pure functions, no I/O.
 */

export const RESIDENT_ID_LENGTH = 18;
export const LEGACY_RESIDENT_ID_LENGTH = 15;

/** Weights 2^(17-i) mod 11 for positions 0..16 (ISO 7064 MOD 11-2). */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
/** Check character indexed by (weighted sum mod 11). */
const CHECK_CHARS = "10X98765432";

/** The earliest birth date accepted as possible; GB 11643's own example is born 1880-01-01. */
const EARLIEST_BIRTH_DATE = "1800-01-01";

export type ResidentIdKind = "valid" | "legacy-converted" | "bad-check" | "impossible-date" | "malformed";

export interface ResidentIdCheck {
  kind: ResidentIdKind;
  /** 18 characters, upper-case X; absent only when malformed */
  normalized?: string;
  /** YYYY-MM-DD, present when the number is valid (or legacy-converted) */
  birthDate?: string;
  sex?: "male" | "female";
  /** the 6-digit address code, present when the number is well formed */
  regionCode?: string;
}

/** The ISO 7064 MOD 11-2 check character of a 17-digit body. */
export function residentIdCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error(`expected 17 digits, got '${first17}'`);
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i]!;
  return CHECK_CHARS.charAt(sum % 11);
}

/** A 15-digit legacy number as 18 characters (19xx century, check character appended). */
export function convertLegacyResidentId(legacy15: string): string {
  if (!/^\d{15}$/.test(legacy15)) throw new Error(`expected 15 digits, got '${legacy15}'`);
  const first17 = `${legacy15.slice(0, 6)}19${legacy15.slice(6)}`;
  return first17 + residentIdCheckChar(first17);
}

/** Full-width digits and X (as typed with a Chinese input method) to ASCII; trims, upper-cases. */
function normalizeTyped(value: string): string {
  return value
    .trim()
    .replace(/[\uff10-\uff19]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xff10 + 48))
    .replace(/[\uff38\uff58]/g, "X")
    .toUpperCase();
}

/** Whether a typed number has neither form (15 digits, or 17 digits and a check character); needs no date. */
export function isMalformedResidentId(value: string): boolean {
  const typed = normalizeTyped(value);
  return !/^\d{15}$/.test(typed) && !/^\d{17}[\dX]$/.test(typed);
}

/** Whether YYYY-MM-DD names a real calendar day between EARLIEST_BIRTH_DATE and `today`. */
export function isPossibleBirthDate(date: string, today: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return false;
  return date >= EARLIEST_BIRTH_DATE && date <= today;
}

export interface CheckOptions {
  /** YYYY-MM-DD; birth dates after it are impossible (the caller's date, by the province clock). */
  today: string;
}

/**
 * Classifies a typed resident ID number. Malformed (wrong length or characters) comes first, then a
 * wrong check character, then an impossible birth date: a single mistyped digit therefore always
 * reads as "bad-check", and "impossible-date" means a number whose check holds but whose date cannot.
 */
export function checkResidentId(value: string, options: CheckOptions): ResidentIdCheck {
  const typed = normalizeTyped(value);
  let normalized: string;
  let legacy = false;
  if (/^\d{15}$/.test(typed)) {
    normalized = convertLegacyResidentId(typed);
    legacy = true;
  } else if (/^\d{17}[\dX]$/.test(typed)) {
    normalized = typed;
  } else {
    return { kind: "malformed" };
  }
  const regionCode = normalized.slice(0, 6);
  if (residentIdCheckChar(normalized.slice(0, 17)) !== normalized.charAt(17)) return { kind: "bad-check", normalized, regionCode };
  const birthDate = `${normalized.slice(6, 10)}-${normalized.slice(10, 12)}-${normalized.slice(12, 14)}`;
  if (!isPossibleBirthDate(birthDate, options.today)) return { kind: "impossible-date", normalized, regionCode };
  const sex = (normalized.charCodeAt(16) - 48) % 2 === 1 ? "male" : "female";
  return { kind: legacy ? "legacy-converted" : "valid", normalized, birthDate, sex, regionCode };
}

/** Whether a classification may serve as a matching key (valid, or a converted legacy number). */
export function isUsableResidentId(check: ResidentIdCheck): boolean {
  return check.kind === "valid" || check.kind === "legacy-converted";
}

/** Builds a valid 18-character number from its parts (tests and synthetic data). */
export function makeResidentId(regionCode: string, birthDate: string, sequence3: string): string {
  if (!/^\d{6}$/.test(regionCode)) throw new Error(`region code must be 6 digits, got '${regionCode}'`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(birthDate)) throw new Error(`birth date must be YYYY-MM-DD, got '${birthDate}'`);
  if (!/^\d{3}$/.test(sequence3)) throw new Error(`sequence must be 3 digits, got '${sequence3}'`);
  const first17 = `${regionCode}${birthDate.replaceAll("-", "")}${sequence3}`;
  return first17 + residentIdCheckChar(first17);
}
