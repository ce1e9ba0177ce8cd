/**
 * Money on the settlement path: integer fen (分) only, never floating point (docs/settlement.md).
 * A CNY amount is read from its decimal text, and integer percentages round half up.
 */

/** Largest amount one claim item may carry: 100 million CNY, far inside the safe integer range. */
export const MAX_ITEM_FEN = 10_000_000_000;

export type FenParse = { ok: true; fen: number } | { ok: false; reason: "malformed" | "negative" | "over-precise" | "too-large" };

/**
 * Parses a JSON number's decimal text (as sent, before any float conversion) into integer fen:
 * "12.34" → 1234, "1e2" → 10000, "0.50" → 50; "-1" is negative, "0.001" over-precise (digits past
 * the second decimal must be zeros).
 */
export function parseCnyText(text: string): FenParse {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) return { ok: false, reason: "malformed" };
  const [, sign, int = "", frac = "", exp = "0"] = m;
  const shift = Number.parseInt(exp, 10);
  if (!Number.isSafeInteger(shift) || Math.abs(shift) > 40) return { ok: false, reason: "too-large" };
  // all digits, and where the decimal point falls after the exponent's shift
  let digits = `${int}${frac}`;
  let point = int.length + shift;
  if (point < 0) {
    digits = "0".repeat(-point) + digits;
    point = 0;
  }
  if (point > digits.length) digits += "0".repeat(point - digits.length);
  const whole = digits.slice(0, point).replace(/^0+/, "") || "0";
  const decimals = digits.slice(point);
  const isZero = /^0*$/.test(whole) && /^0*$/.test(decimals);
  if (sign === "-" && !isZero) return { ok: false, reason: "negative" };
  if (/[1-9]/.test(decimals.slice(2))) return { ok: false, reason: "over-precise" };
  if (whole.length > 12) return { ok: false, reason: "too-large" };
  const fen = Number.parseInt(whole, 10) * 100 + Number.parseInt(decimals.slice(0, 2).padEnd(2, "0"), 10);
  if (fen > MAX_ITEM_FEN) return { ok: false, reason: "too-large" };
  return { ok: true, fen };
}

/** Integer division rounding down, for non-negative integers, without a float quotient. */
export function floorDiv(n: number, d: number): number {
  if (!Number.isSafeInteger(n) || !Number.isSafeInteger(d) || n < 0 || d <= 0) throw new RangeError(`floorDiv(${n}, ${d})`);
  return (n - (n % d)) / d;
}

/** round-half-up(p % of x) = ⌊(x·p + 50) / 100⌋, integers only. */
export function percentOf(x: number, percent: number): number {
  if (!Number.isSafeInteger(percent) || percent < 0 || percent > 100) throw new RangeError(`percent ${percent}`);
  return floorDiv(x * percent + 50, 100);
}

/** Integer fen as the decimal CNY text "12.34" (for FHIR Money, built from text, not arithmetic). */
export function fenToCnyText(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`fen ${fen}`);
  const sign = fen < 0 ? "-" : "";
  const abs = String(Math.abs(fen)).padStart(3, "0");
  return `${sign}${abs.slice(0, -2)}.${abs.slice(-2)}`;
}

/** FHIR Money value (a JSON number printed from the decimal text) */
export const fenToCny = (fen: number): number => Number(fenToCnyText(fen));

/** "Fen text" of an arbitrary number as a JSON number, for FHIR Money read back from the hub. */
export const cnyToFen = (value: number): number => {
  const parsed = parseCnyText(String(value));
  if (!parsed.ok) throw new RangeError(`CNY ${value}`);
  return parsed.fen;
};
