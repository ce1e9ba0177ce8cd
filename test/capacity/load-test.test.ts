import { describe, expect, test } from "vitest";
import { BACKLOG_GROWTH_LIMIT, keptUp, provinceDayMix, quantile, slope } from "#lib/capacity/load-test.ts";
import { AVERAGE_DAY_FRACTION_OF_PEAK, PEAK_RATES } from "#lib/capacity/model.ts";

describe("the province-day mix", () => {
  test("scales every flow but the heartbeats with the fraction of the average day", () => {
    const tenth = provinceDayMix(0.1);
    const whole = provinceDayMix(1);
    expect(whole.documents).toBeCloseTo(PEAK_RATES.documents * AVERAGE_DAY_FRACTION_OF_PEAK, 9);
    expect(tenth.claims).toBeCloseTo(whole.claims / 10, 9);
    expect(tenth.encounters).toBeCloseTo(tenth.documents / 2, 9);
    // 467 FEPs beat once a minute whatever the day brings
    expect(tenth.heartbeats).toBe(whole.heartbeats);
    // the average day is near 100 mixed requests/s plus the encounters
    const total = Object.values(whole).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(100);
    expect(total).toBeLessThan(160);
  });

  test("refuses a fraction that is not above 0", () => {
    expect(() => provinceDayMix(0)).toThrow(/fraction/);
    expect(() => provinceDayMix(Number.NaN)).toThrow(/fraction/);
  });
});

describe("quantiles and trends", () => {
  test("nearest-rank quantiles", () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i); // 1..100, unsorted
    expect(quantile(values, 0.5)).toBe(50);
    expect(quantile(values, 0.99)).toBe(99);
    expect(quantile(values, 1)).toBe(100);
    expect(quantile([], 0.5)).toBeUndefined();
  });

  test("the least-squares slope of a line is its slope", () => {
    expect(slope([0, 10, 20, 30].map((x) => ({ x, y: 3 * x + 7 })))).toBeCloseTo(3, 9);
    expect(slope([{ x: 1, y: 5 }])).toBe(0);
  });
});

describe("kept up or not", () => {
  const flat = Array.from({ length: 24 }, (_, i) => ({ x: i * 5, y: 20 + (i % 2) }));
  test("a steady backlog, no errors and nothing shed: kept up", () => {
    expect(keptUp({ sent: 1000, errors: 3, shed: 0, depths: flat }).ok).toBe(true);
  });

  test("a backlog growing over the second half is not kept up with, however calm the first half was", () => {
    const growing = flat.map((p) => (p.x >= 60 ? { ...p, y: p.y + (p.x - 60) * 2 } : p));
    const verdict = keptUp({ sent: 1000, errors: 0, shed: 0, depths: growing });
    expect(verdict.ok).toBe(false);
    expect(verdict.growthPerSecond).toBeGreaterThan(BACKLOG_GROWTH_LIMIT);
    expect(verdict.why).toMatch(/backlog grows/);
  });

  test("errors over 1 % or anything shed: not kept up", () => {
    expect(keptUp({ sent: 1000, errors: 11, shed: 0, depths: flat }).why).toMatch(/errors 1\.1 %/);
    expect(keptUp({ sent: 1000, errors: 0, shed: 1, depths: flat }).why).toMatch(/shed/);
  });
});
