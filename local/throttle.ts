/** Token buckets per (API, caller): API Gateway's usage-plan throttling, locally. */

/**
 * `HHC_THROTTLE_SCALE` (a bench's switch only: bench/evidence.ts measures the exchange past one caller's
 * limit) multiplies every API's rate and burst; 1 (the declared limits) unless a positive number is given.
 */
export function throttleScale(value = process.env.HHC_THROTTLE_SCALE): number {
  const n = Number(value ?? 1);
  return Number.isFinite(n) && n > 0 ? n : 1;
}

export class Throttle {
  private buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly rate: number,
    private readonly burst: number,
  ) {}

  /** Takes a token for `caller`; false when the caller is over its rate. */
  take(caller: string, now = performance.now()): boolean {
    const b = this.buckets.get(caller) ?? { tokens: this.burst, at: now };
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.rate);
    b.at = now;
    this.buckets.set(caller, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}
