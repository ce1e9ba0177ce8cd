/**
 * The codes a drug carries (docs/drugs-devices.md#codes), each checked by a pure function that
 * returns the reasons a string is not one (empty when it is). No I/O.
 *
 * - National drug code (国家药品编码本位码), 14 digits: country "86", category "9" (drug), a 10-digit
 *   body (5 digits of the enterprise, 5 of the product), and a check digit over the first 13 computed
 *   as GB 18937 prescribes: ISO/IEC 7064 MOD 11,10 (the hybrid system GB/T 17710 names).
 * - Medical insurance drug code (医保药品分类与代码), 23 characters, no check character:
 *   [0] X (西药, chemical and biological) or Z (中成药, proprietary Chinese medicine);
 *   [1..5] the class (for X the ATC level-4 group: letter, 2 digits, 2 letters, e.g. A01AB);
 *   [6..9] the generic name (letter + 3 digits); [10..12] the dosage form (letter + 2 digits);
 *   [13..16] the specification (4 digits); [17..22] the packaging and manufacturer sequence (6 digits).
 *   e.g. XA01ABD075A002010100483.
 * - GTIN (GS1), 8, 12, 13 or 14 digits, the last a mod-10 check digit (weights 3,1 from the right).
 * - Traceability code (药品追溯码), 20 digits: the 7-digit drug identifier, a 9-digit serial and a
 *   4-digit batch and sequence block (no check digit is published, so only the form is checked).
 */

const DIGITS = /^[0-9]+$/;

/** ISO/IEC 7064 MOD 11,10 check digit over a string of digits */
export function mod11_10(digits: string): string {
  if (!DIGITS.test(digits)) throw new Error("MOD 11,10 is computed over digits");
  let p = 10;
  for (const c of digits) {
    let s = (p + Number(c)) % 10;
    if (s === 0) s = 10;
    p = (s * 2) % 11;
  }
  return String((11 - p) % 10);
}

export const NATIONAL_DRUG_CODE_LENGTH = 14;

/** Why `code` is not a national drug code (本位码); empty when it is */
export function nationalDrugCodeProblems(code: string): string[] {
  if (!DIGITS.test(code)) return ["a national drug code is 14 digits; this one has other characters"];
  if (code.length !== NATIONAL_DRUG_CODE_LENGTH) return [`a national drug code is 14 digits; this one has ${code.length}`];
  if (!code.startsWith("869")) return [`a national drug code starts 86 (China) 9 (drug); this one starts ${code.slice(0, 3)}`];
  const check = mod11_10(code.slice(0, 13));
  if (code[13] !== check) return [`wrong check digit ${code[13]}: GB 18937 (MOD 11,10) gives ${check}`];
  return [];
}

/** A national drug code from its 10-digit body (enterprise 5 + product 5) */
export function nationalDrugCode(body10: string): string {
  if (!/^[0-9]{10}$/.test(body10)) throw new Error("the body of a national drug code is 10 digits");
  const first13 = `869${body10}`;
  return first13 + mod11_10(first13);
}

export const INSURANCE_DRUG_CODE = /^[XZ][A-Z][0-9]{2}[A-Z]{2}[A-Z][0-9]{3}[A-Z][0-9]{2}[0-9]{4}[0-9]{6}$/;

/** Why `code` is not a medical insurance drug code; empty when it is */
export function insuranceDrugCodeProblems(code: string): string[] {
  if (code.length !== 23) return [`an insurance drug code is 23 characters; this one has ${code.length}`];
  if (!/^[XZ]/.test(code)) return ["an insurance drug code starts X (西药) or Z (中成药)"];
  const parts: [number, number, RegExp, string][] = [
    [1, 6, /^[A-Z][0-9]{2}[A-Z]{2}$/, "class (characters 2-6: letter, 2 digits, 2 letters)"],
    [6, 10, /^[A-Z][0-9]{3}$/, "generic name (characters 7-10: letter, 3 digits)"],
    [10, 13, /^[A-Z][0-9]{2}$/, "dosage form (characters 11-13: letter, 2 digits)"],
    [13, 23, /^[0-9]{10}$/, "specification and packaging (characters 14-23: digits)"],
  ];
  for (const [from, to, pattern, what] of parts)
    if (!pattern.test(code.slice(from, to))) return [`malformed ${what}: ${code.slice(from, to)}`];
  return [];
}

/** The GS1 mod-10 check digit of a GTIN's digits without it */
export function gtinCheckDigit(body: string): string {
  if (!DIGITS.test(body)) throw new Error("a GTIN is digits");
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += Number(body[body.length - 1 - i]) * (i % 2 === 0 ? 3 : 1);
  return String((10 - (sum % 10)) % 10);
}

/** Why `code` is not a GTIN (8, 12, 13 or 14 digits with its check digit); empty when it is */
export function gtinProblems(code: string): string[] {
  if (!DIGITS.test(code)) return ["a GTIN is digits only"];
  if (![8, 12, 13, 14].includes(code.length)) return [`a GTIN is 8, 12, 13 or 14 digits; this one has ${code.length}`];
  const check = gtinCheckDigit(code.slice(0, -1));
  if (code.at(-1) !== check) return [`wrong GTIN check digit ${code.at(-1)}: GS1 mod 10 gives ${check}`];
  return [];
}

/** A GTIN-14 (the form every GTIN takes in a UDI), left-padded with zeros */
export const gtin14 = (gtin: string): string => gtin.padStart(14, "0");

export const TRACE_CODE = /^[0-9]{20}$/;

/** Why `code` is not a traceability code (20 digits); empty when it is */
export function traceCodeProblems(code: string): string[] {
  if (!DIGITS.test(code)) return ["a traceability code is 20 digits; this one has other characters"];
  if (code.length !== 20) return [`a traceability code is 20 digits; this one has ${code.length}`];
  return [];
}
