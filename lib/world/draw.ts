/** Drawing from the seeded PRNG (lib/seed/prng.ts): weighted tables, chances, Poisson counts. */
import type { Rng } from "#lib/seed/prng.ts";

export type Weighted = ReadonlyArray<readonly [string, number]>;

/** A sampler of `table`'s keys in proportion to their weights (one draw per call). */
export function sampler(rng: Rng, table: Weighted): () => string {
  const cumulative: number[] = [];
  let total = 0;
  for (const [, w] of table) {
    total += w;
    cumulative.push(total);
  }
  return () => {
    const x = rng.next() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return table[lo]![0];
  };
}

/** true with probability `p` (one draw) */
export const chance = (rng: Rng, p: number): boolean => rng.next() < p;

/** A Poisson-distributed count with mean `mean` (Knuth; the means here are small). */
export function poisson(rng: Rng, mean: number): number {
  if (mean <= 0) return 0;
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rng.next();
  while (p > limit) {
    k++;
    p *= rng.next();
  }
  return k;
}

/**
 * Relative intensity of hospital work by hour of the day (0–23): clinics from 8 to 12 and 14 to 17,
 * wards and emergencies around the clock. Averages 1 over a day.
 */
export function intensity(hour: number): number {
  const h = ((hour % 24) + 24) % 24;
  return rawIntensity(h) / DAY_MEAN;
}
const rawIntensity = (h: number): number => (h < 6 ? 0.15 : h < 8 ? 0.6 : h < 12 ? 2.2 : h < 14 ? 1.0 : h < 17 ? 2.0 : h < 21 ? 0.8 : 0.3);
const DAY_MEAN = [...Array(24).keys()].reduce((s, h) => s + rawIntensity(h), 0) / 24;
