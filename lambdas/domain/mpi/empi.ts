/**
 * Enterprise patient IDs (EMPI, system https://hebei.health/sid/empi): "E", 12 digits, and one
 * check digit, ISO 7064 MOD 11,10 over the 12 digits (it catches every single-digit error and every
 * adjacent transposition), e.g. E0000000000013. The 12 digits carry no meaning (no city, no birth
 * date), so an EMPI never has to change when a resident's data does. They were once a sequence number
 * (E000000…, still valid); new EMPIs draw them at random from 100000000000–999999999999, so they
 * cannot be enumerated and never meet a sequential one (issue 12).
 */

export const EMPI_PATTERN = /^E\d{13}$/;

/** ISO 7064 MOD 11,10 check digit of a string of digits. */
export function empiCheckDigit(digits: string): string {
  if (!/^\d+$/.test(digits)) throw new Error(`expected digits, got '${digits}'`);
  let p = 10;
  for (let i = 0; i < digits.length; i++) {
    const s = (p + digits.charCodeAt(i) - 48) % 10 || 10;
    p = (s * 2) % 11;
  }
  return String((11 - p) % 10);
}

export function formatEmpi(sequence: number): string {
  if (!Number.isSafeInteger(sequence) || sequence < 1 || sequence >= 1e12) throw new Error(`EMPI sequence out of range: ${sequence}`);
  const digits = String(sequence).padStart(12, "0");
  return `E${digits}${empiCheckDigit(digits)}`;
}

/** The range new EMPIs draw their 12 digits from: above every sequential EMPI ever issued */
export const RANDOM_EMPI_DIGITS = { min: 100_000_000_000, max: 999_999_999_999 } as const;

/** The EMPI of 12 random digits drawn by the caller from RANDOM_EMPI_DIGITS */
export function randomEmpi(digits: number): string {
  if (!Number.isSafeInteger(digits) || digits < RANDOM_EMPI_DIGITS.min || digits > RANDOM_EMPI_DIGITS.max)
    throw new Error(`EMPI digits out of the random range: ${digits}`);
  return formatEmpi(digits);
}

export function isValidEmpi(value: string): boolean {
  return EMPI_PATTERN.test(value) && empiCheckDigit(value.slice(1, 13)) === value.charAt(13);
}

/** Hands out new EMPIs; a DynamoDB adapter draws the sequence from an atomic counter item. */
export interface EmpiAllocator {
  next(): Promise<string>;
}

/** An in-process counter (tests, benchmarks, a single local process). */
export class CounterEmpiAllocator implements EmpiAllocator {
  #sequence: number;

  constructor(start = 1) {
    this.#sequence = start;
  }

  async next(): Promise<string> {
    return formatEmpi(this.#sequence++);
  }
}
