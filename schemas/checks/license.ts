/**
 * Practitioner licence numbers (执业证书编号) under https://hebei.health/sid/practitioner: the
 * project's own formats for Hebei, modelled on the national certificates. Every format starts with
 * the Hebei region prefix 13 and ends with a Luhn (ISO/IEC 7812-1) check digit over its digits.
 *
 *   physician  医师执业证书   15 digits  DDDDDD L C YY NNNN K
 *     DDDDDD  GB/T 2260 division of the registering health commission: 13, prefecture 01–11, county 2 digits
 *     L       1 执业医师 (practising physician), 2 执业助理医师 (assistant physician)
 *     C       1 临床 clinical, 2 中医 traditional Chinese medicine, 3 口腔 dental, 4 公共卫生 public health
 *     YY      year of first registration;  NNNN  serial;  K  check digit over the first 14 digits
 *   nurse      护士执业证书   12 digits  PPPP YY NNNNN K
 *     PPPP    prefecture code 1301–1311;  YY year;  NNNNN serial;  K check digit over the first 11
 *   pharmacist 执业药师注册证 14 chars   PPPP ZY YY NNNNN K
 *     PPPP    prefecture code 1301–1311;  ZY (执业) literal;  YY year;  NNNNN serial;  K check digit over the 11 digits
 *
 * Pure functions, no I/O.
 */
import type { LicenseType } from "../registry-codes.ts";

const PREFECTURE = "13(?:0[1-9]|1[01])";
const FORMATS: Record<LicenseType, { pattern: RegExp; length: number; description: string }> = {
  physician: {
    pattern: new RegExp(`^${PREFECTURE}\\d{2}[12][1-4]\\d{7}$`),
    length: 15,
    description: "15 digits: division 13xxxx, level 1-2, category 1-4, year, serial, check digit",
  },
  nurse: {
    pattern: new RegExp(`^${PREFECTURE}\\d{8}$`),
    length: 12,
    description: "12 digits: prefecture 1301-1311, year, serial, check digit",
  },
  pharmacist: {
    pattern: new RegExp(`^${PREFECTURE}ZY\\d{8}$`),
    length: 14,
    description: "14 characters: prefecture 1301-1311, ZY, year, serial, check digit",
  },
};

/** The Luhn check digit of a string of digits. */
export function luhnCheckDigit(digits: string): string {
  if (!/^\d+$/.test(digits)) throw new Error(`Luhn check digit needs digits, got '${digits}'`);
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    // doubling starts from the rightmost payload digit (the check digit will stand to its right)
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

/** The licence kind whose shape `value` has (length and fixed characters), before any check digit test. */
function shapeOf(value: string): LicenseType | undefined {
  if (value.length === 14 && value.slice(4, 6) === "ZY") return "pharmacist";
  if (value.length === 15) return "physician";
  if (value.length === 12) return "nurse";
  return undefined;
}

/** Human-readable reasons why `value` is not a licence number of the project's formats; empty when it is. */
export function licenseProblems(value: string): string[] {
  const type = shapeOf(value);
  if (!type) return [`'${value}' is not a licence number: physician 15 digits, nurse 12 digits, pharmacist 14 characters (13xxZY…)`];
  const format = FORMATS[type];
  if (!format.pattern.test(value)) return [`'${value}' is not a ${type} licence number (${format.description})`];
  const digits = value.replace("ZY", "");
  const expected = luhnCheckDigit(digits.slice(0, -1));
  return digits.endsWith(expected) ? [] : [`licence number ${value} has check digit '${value.slice(-1)}', expected '${expected}'`];
}

/** The licence kind of a valid licence number, or undefined when it is not one. */
export function licenseType(value: string): LicenseType | undefined {
  return licenseProblems(value).length === 0 ? shapeOf(value) : undefined;
}

export const isValidLicense = (value: string): boolean => licenseProblems(value).length === 0;

export type LicenseParts =
  | { type: "physician"; division: string; level: 1 | 2; category: 1 | 2 | 3 | 4; year: number; serial: number }
  | { type: "nurse" | "pharmacist"; prefecture: string; year: number; serial: number };

/** Assembles a valid licence number from its parts, computing the check digit; throws on malformed parts. */
export function makeLicense(parts: LicenseParts): string {
  const yy = String(parts.year % 100).padStart(2, "0");
  const payload =
    parts.type === "physician"
      ? `${parts.division}${parts.level}${parts.category}${yy}${String(parts.serial).padStart(4, "0")}`
      : `${parts.prefecture}${yy}${String(parts.serial).padStart(5, "0")}`;
  const digits = payload + luhnCheckDigit(payload);
  const value = parts.type === "pharmacist" ? `${digits.slice(0, 4)}ZY${digits.slice(4)}` : digits;
  const problems = licenseProblems(value);
  if (problems.length > 0 || shapeOf(value) !== parts.type)
    throw new Error(`cannot make a ${parts.type} licence from ${JSON.stringify(parts)}: ${problems.join("; ")}`);
  return value;
}
