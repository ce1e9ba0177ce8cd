/**
 * Unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters.
 *
 *   [0]     registration authority code (e.g. 1 机构编制, 5 民政, 9 工商)
 *   [1]     organisation category within that authority (e.g. 1-2 事业单位, 5-2 民办非企业单位, 9-1 企业)
 *   [2..7]  GB/T 2260 administrative division code of the registering authority (6 digits)
 *   [8..16] organisation code (GB 11714): 8 body characters and its own check character
 *   [17]    check character over the first 17 characters
 *
 * Every character comes from the 31-character alphabet below (no I, O, S, V, Z). The organisation
 * code check follows GB 11714, where letters count A=10 … Z=35; the final check counts characters by
 * their index in the 31-character alphabet. Pure functions, no I/O.
 */

export const USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;
const ORG_BODY_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

export const USCC_LENGTH = 18;

/** The GB 11714 check character of an 8-character organisation code body (0-9, A-Z). */
export function orgCodeCheckChar(body8: string): string {
  if (body8.length !== 8) throw new Error(`organisation code body must be 8 characters, got ${body8.length}`);
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const v = ORG_BODY_CHARS.indexOf(body8.charAt(i));
    if (v < 0) throw new Error(`illegal organisation code character '${body8.charAt(i)}'`);
    sum += v * ORG_WEIGHTS[i]!;
  }
  const c = 11 - (sum % 11);
  return c === 10 ? "X" : c === 11 ? "0" : String(c);
}

/** The GB 32100 check character over the first 17 characters of a code. */
export function usccCheckChar(first17: string): string {
  if (first17.length !== 17) throw new Error(`expected the first 17 characters, got ${first17.length}`);
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_ALPHABET.indexOf(first17.charAt(i));
    if (v < 0) throw new Error(`illegal character '${first17.charAt(i)}' at position ${i + 1}`);
    sum += v * USCC_WEIGHTS[i]!;
  }
  const c = 31 - (sum % 31);
  return USCC_ALPHABET.charAt(c === 31 ? 0 : c);
}

/** Human-readable reasons why `code` is not a valid unified social credit code; empty when it is. */
export function usccProblems(code: string): string[] {
  if (code.length !== USCC_LENGTH) return [`length is ${code.length}, expected ${USCC_LENGTH}`];
  const problems: string[] = [];
  for (let i = 0; i < code.length; i++) {
    const ch = code.charAt(i);
    if (!USCC_ALPHABET.includes(ch)) problems.push(`illegal character '${ch}' at position ${i + 1} (allowed: ${USCC_ALPHABET})`);
  }
  if (problems.length > 0) return problems;
  const division = code.slice(2, 8);
  if (!/^\d{6}$/.test(division)) problems.push(`administrative division code '${division}' is not 6 digits`);
  const orgCheck = orgCodeCheckChar(code.slice(8, 16));
  if (code.charAt(16) !== orgCheck) {
    problems.push(`organisation code ${code.slice(8, 17)} has check character '${code.charAt(16)}', expected '${orgCheck}'`);
  }
  const check = usccCheckChar(code.slice(0, 17));
  if (code.charAt(17) !== check) problems.push(`check character is '${code.charAt(17)}', expected '${check}'`);
  return problems;
}

export function isValidUscc(code: string): boolean {
  return usccProblems(code).length === 0;
}

export interface UsccParts {
  /** registration authority code, 1 character ('1' 机构编制, '5' 民政, '9' 工商 …) */
  authority: string;
  /** organisation category, 1 character ('2' 事业单位 under authority '1') */
  category: string;
  /** GB/T 2260 division code, 6 digits */
  divisionCode: string;
  /** organisation code body, 8 characters from the code alphabet */
  orgBody8: string;
}

/** Assembles a valid code from its parts, computing both check characters; throws on malformed parts. */
export function makeUscc(parts: UsccParts): string {
  const { authority, category, divisionCode, orgBody8 } = parts;
  if (authority.length !== 1 || !USCC_ALPHABET.includes(authority)) throw new Error(`bad registration authority code '${authority}'`);
  if (category.length !== 1 || !USCC_ALPHABET.includes(category)) throw new Error(`bad organisation category '${category}'`);
  if (!/^\d{6}$/.test(divisionCode)) throw new Error(`division code must be 6 digits, got '${divisionCode}'`);
  if (orgBody8.length !== 8 || [...orgBody8].some((ch) => !USCC_ALPHABET.includes(ch))) {
    throw new Error(`organisation code body must be 8 characters from ${USCC_ALPHABET}, got '${orgBody8}'`);
  }
  const first17 = `${authority}${category}${divisionCode}${orgBody8}${orgCodeCheckChar(orgBody8)}`;
  return first17 + usccCheckChar(first17);
}
