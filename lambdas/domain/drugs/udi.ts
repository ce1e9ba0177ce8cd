/**
 * Unique device identifiers (UDI) as printed on a device's label, parsed into their parts and
 * formatted back (docs/drugs-devices.md#udi). Pure; dates are ISO calendar dates (YYYY-MM-DD).
 *
 * GS1 (element strings): application identifiers 01 (GTIN-14, the DI, with its mod-10 check digit),
 * 11 (manufacture date YYMMDD), 17 (expiry YYMMDD; day 00 = the month's last day), 10 (lot, ≤ 20) and
 * 21 (serial, ≤ 20), either human-readable, "(01)…(17)…(10)…", or as scanned: the AIs run together,
 * a variable-length field ends at a GS (0x1D) or at the end, an optional symbology prefix (]d2, ]C1,
 * ]Q3) first. Years are 20YY.
 *
 * HIBCC (HIBC LIC): "+", the labeler code (a letter and 3 letters or digits), the product code (1 to 18
 * letters or digits), the unit of measure (a digit) = the DI; then optionally "/" and a secondary
 * field: "$<lot>", "$+<serial>", "$$3YYMMDD<lot>" or "$$+3YYMMDD<serial>" (expiry), and optionally
 * "/16D" YYYYMMDD (manufacture date); last the mod-43 check character over everything before it.
 */
import { gtinCheckDigit, gtinProblems } from "./codes.ts";

export interface ParsedUdi {
  issuer: "GS1" | "HIBCC";
  /** The device identifier: the GTIN-14 (GS1) or labeler + product + unit of measure (HIBCC) */
  di: string;
  lot?: string;
  serial?: string;
  manufactureDate?: string;
  expiryDate?: string;
}

export type UdiResult = { ok: true; udi: ParsedUdi } | { ok: false; problem: string };

const fail = (problem: string): UdiResult => ({ ok: false, problem });
const GS = "\u001d";
/** GS1's character set 82 but the parentheses (they delimit the human-readable form) */
const GS1_VALUE = /^[!"%&'*+,\-./0-9:;<=>?A-Z_a-z]{1,20}$/;

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** YYMMDD (GS1) → YYYY-MM-DD, day 00 the month's last day; undefined when not a date */
function gs1Date(value: string): string | undefined {
  const m = /^([0-9]{2})([0-9]{2})([0-9]{2})$/.exec(value);
  if (!m) return undefined;
  const year = 2000 + Number(m[1]);
  const month = Number(m[2]);
  if (month < 1 || month > 12) return undefined;
  const last = daysIn(year, month);
  const day = m[3] === "00" ? last : Number(m[3]);
  if (day > last) return undefined;
  return `${year}-${m[2]}-${String(day).padStart(2, "0")}`;
}

const FIXED: Record<string, number> = { "01": 14, "11": 6, "17": 6 };
const VARIABLE = new Set(["10", "21"]);

function parseGs1(text: string): UdiResult {
  const fields: [string, string][] = [];
  if (text.startsWith("(")) {
    const re = /\(([0-9]{2})\)([^()]*)/y;
    let at = 0;
    while (at < text.length) {
      re.lastIndex = at;
      const m = re.exec(text);
      if (!m) return fail(`GS1: expected "(AI)value" at character ${at + 1}`);
      fields.push([m[1]!, m[2]!]);
      at = re.lastIndex;
    }
  } else {
    let rest = text.replace(/^\](d2|C1|Q3)/, "");
    while (rest.length > 0) {
      if (rest.startsWith(GS)) {
        rest = rest.slice(1);
        continue;
      }
      const ai = rest.slice(0, 2);
      const fixed = FIXED[ai];
      if (fixed !== undefined) {
        fields.push([ai, rest.slice(2, 2 + fixed)]);
        rest = rest.slice(2 + fixed);
      } else if (VARIABLE.has(ai)) {
        const end = rest.indexOf(GS);
        fields.push([ai, end < 0 ? rest.slice(2) : rest.slice(2, end)]);
        rest = end < 0 ? "" : rest.slice(end + 1);
      } else return fail(`GS1: unsupported application identifier ${JSON.stringify(ai)} (01, 11, 17, 10, 21)`);
    }
  }
  const udi: Partial<ParsedUdi> = { issuer: "GS1" };
  const seen = new Set<string>();
  for (const [ai, value] of fields) {
    if (seen.has(ai)) return fail(`GS1: application identifier (${ai}) appears twice`);
    seen.add(ai);
    if (ai === "01") {
      if (!/^[0-9]{14}$/.test(value)) return fail(`GS1 (01): a GTIN-14 is 14 digits, got ${JSON.stringify(value)}`);
      const problems = gtinProblems(value);
      if (problems.length > 0) return fail(`GS1 (01): ${problems[0]}`);
      udi.di = value;
    } else if (ai === "11" || ai === "17") {
      const date = gs1Date(value);
      if (!date) return fail(`GS1 (${ai}): ${JSON.stringify(value)} is not a date YYMMDD`);
      if (ai === "11") udi.manufactureDate = date;
      else udi.expiryDate = date;
    } else if (ai === "10" || ai === "21") {
      if (!GS1_VALUE.test(value)) return fail(`GS1 (${ai}): ${ai === "10" ? "lot" : "serial"} must be 1 to 20 GS1 characters`);
      if (ai === "10") udi.lot = value;
      else udi.serial = value;
    } else return fail(`GS1: unsupported application identifier (${ai}) (01, 11, 17, 10, 21)`);
  }
  if (!udi.di) return fail("GS1: the device identifier (01) is missing");
  return { ok: true, udi: udi as ParsedUdi };
}

const HIBC_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%";

/** The HIBCC mod-43 check character over `data` (its leading "+" included) */
export function hibccCheckChar(data: string): string {
  let sum = 0;
  for (const c of data) {
    const v = HIBC_CHARS.indexOf(c);
    if (v < 0) throw new Error(`${JSON.stringify(c)} is not a HIBC character`);
    sum += v;
  }
  return HIBC_CHARS[sum % 43]!;
}

/** YYYYMMDD → YYYY-MM-DD; undefined when not a date */
function yyyymmdd(value: string): string | undefined {
  const m = /^(20[0-9]{2})([0-9]{2})([0-9]{2})$/.exec(value);
  if (!m) return undefined;
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(Number(m[1]), month)) return undefined;
  return `${m[1]}-${m[2]}-${m[3]}`;
}

const HIBC_VALUE = /^[A-Z0-9\-.]{1,18}$/;

function parseHibcc(text: string): UdiResult {
  if ([...text].some((c) => !HIBC_CHARS.includes(c))) return fail("HIBCC: only 0-9, A-Z and - . space $ / + % may appear");
  if (text.length < 4) return fail("HIBCC: too short for a labeler code, a product and a check character");
  const data = text.slice(0, -1);
  const check = hibccCheckChar(data);
  if (text.at(-1) !== check)
    return fail(`HIBCC: wrong check character ${JSON.stringify(text.at(-1))}: mod 43 gives ${JSON.stringify(check)}`);
  const [primary = "", secondary, supplemental, ...more] = data.slice(1).split("/");
  if (more.length > 0) return fail("HIBCC: more fields than primary / secondary / manufacture date");
  const p = /^([A-Z][A-Z0-9]{3})([A-Z0-9]{1,18})([0-9])$/.exec(primary);
  if (!p) return fail("HIBCC: the primary data is a labeler code (letter + 3), a product code (1 to 18) and a unit of measure digit");
  const udi: ParsedUdi = { issuer: "HIBCC", di: primary };
  if (secondary !== undefined) {
    const expiring = secondary.startsWith("$$");
    const s = (expiring ? /^\$\$(\+)?3([0-9]{6})(.*)$/ : /^\$(\+)?()(.*)$/).exec(secondary);
    if (!s) return fail('HIBCC: secondary data is "$lot", "$+serial", "$$3YYMMDDlot" or "$$+3YYMMDDserial"');
    if (expiring) {
      const expiry = gs1Date(s[2]!);
      if (!expiry || s[2]!.endsWith("00")) return fail(`HIBCC: expiry ${JSON.stringify(s[2])} is not a date YYMMDD`);
      udi.expiryDate = expiry;
    }
    const value = s[3] ?? "";
    if (!HIBC_VALUE.test(value)) return fail(`HIBCC: ${s[1] ? "serial" : "lot"} must be 1 to 18 of A-Z, 0-9, - and .`);
    if (s[1]) udi.serial = value;
    else udi.lot = value;
  }
  if (supplemental !== undefined) {
    const made = supplemental.startsWith("16D") ? yyyymmdd(supplemental.slice(3)) : undefined;
    if (!made) return fail('HIBCC: the manufacture date is "/16D" and YYYYMMDD');
    udi.manufactureDate = made;
  }
  return { ok: true, udi };
}

/** Parses a UDI carrier's text (GS1 or HIBCC, told apart by its first character) */
export function parseUdi(text: string): UdiResult {
  if (text.length === 0) return fail("empty UDI");
  if (text.length > 200) return fail("a UDI is at most 200 characters");
  if (text.startsWith("+")) return parseHibcc(text);
  if (text.startsWith("(") || /^[0-9\]]/.test(text)) return parseGs1(text);
  return fail('neither GS1 (starts "(01)", "01" or "]d2") nor HIBCC (starts "+")');
}

const yymmdd = (iso: string): string => iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10);

/** The GS1 element string of a UDI: human-readable "(01)…" or as scanned (GS after a variable field not last) */
export function formatGs1(udi: Omit<ParsedUdi, "issuer">, form: "hri" | "scanned"): string {
  const fields: [string, string][] = [["01", udi.di]];
  if (udi.manufactureDate) fields.push(["11", yymmdd(udi.manufactureDate)]);
  if (udi.expiryDate) fields.push(["17", yymmdd(udi.expiryDate)]);
  if (udi.lot) fields.push(["10", udi.lot]);
  if (udi.serial) fields.push(["21", udi.serial]);
  if (form === "hri") return fields.map(([ai, v]) => `(${ai})${v}`).join("");
  return fields.map(([ai, v], i) => `${ai}${v}${VARIABLE.has(ai) && i < fields.length - 1 ? GS : ""}`).join("");
}

/** The HIBCC string of a UDI (one lot or serial; an expiry needs one of them) */
export function formatHibcc(udi: Omit<ParsedUdi, "issuer">): string {
  let data = `+${udi.di}`;
  const value = udi.serial ?? udi.lot;
  if (value) {
    const flag = udi.serial ? "+" : "";
    data += udi.expiryDate ? `/$$${flag}3${yymmdd(udi.expiryDate)}${value}` : `/$${flag}${value}`;
  }
  if (udi.manufactureDate) data += `/16D${udi.manufactureDate.replaceAll("-", "")}`;
  return data + hibccCheckChar(data);
}

/** A GTIN-14 from its first 13 digits */
export const gtin14Of = (first13: string): string => first13 + gtinCheckDigit(first13);
