/**
 * The province-day load test's arithmetic (scripts/loadtest.ts drives it): the request mix at a
 * fraction of the average working day, from the load model; latency quantiles; and whether a run
 * kept up (no backlog growing in the queues, no requests shed, few errors).
 */
import { AVERAGE_DAY_FRACTION_OF_PEAK, type Flow, PEAK_RATES } from "./model.ts";

/** What the load test sends: the model's flows, and the encounters hospitals record beside their documents */
export type LoadKind = Flow | "encounters";

/** Encounters per document published (a visit records one encounter and about 2 documents) */
export const ENCOUNTERS_PER_DOCUMENT = 0.5;

/**
 * Requests/s per kind at `fraction` of the average working day. Heartbeats do not scale: the
 * province's 467 front-end processors beat once a minute whatever the day brings.
 */
export function provinceDayMix(fraction: number): Record<LoadKind, number> {
  if (!(fraction > 0)) throw new Error(`fraction must be above 0, got ${fraction}`);
  const day = (flow: Flow) => PEAK_RATES[flow] * AVERAGE_DAY_FRACTION_OF_PEAK * fraction;
  return {
    documents: day("documents"),
    encounters: day("documents") * ENCOUNTERS_PER_DOCUMENT,
    claims: day("claims"),
    queries: day("queries"),
    retrievals: day("retrievals"),
    feeds: day("feeds"),
    heartbeats: PEAK_RATES.heartbeats,
  };
}

/** The q-quantile of `values` (nearest rank), undefined when there are none */
export function quantile(values: readonly number[], q: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** Least-squares slope of y over x (messages per second when x is seconds) */
export function slope(points: readonly { x: number; y: number }[]): number {
  if (points.length < 2) return 0;
  const n = points.length;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  const sxx = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  return sxx === 0 ? 0 : points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0) / sxx;
}

export interface RunOutcome {
  sent: number;
  errors: number;
  shed: number;
  /** (seconds since the start, messages waiting in every queue) */
  depths: { x: number; y: number }[];
}

/** A backlog that grows by more than this many messages/s over the run's second half is not kept up with */
export const BACKLOG_GROWTH_LIMIT = 0.5;
/** More than this share of errors (5xx, 429, network) and the run did not sustain its rate */
export const ERROR_LIMIT = 0.01;

/** Kept up: nothing shed, errors under 1 %, and the queues' backlog not growing over the second half of the run */
export function keptUp(run: RunOutcome): { ok: boolean; growthPerSecond: number; errorRate: number; why?: string } {
  const errorRate = run.sent === 0 ? 0 : run.errors / run.sent;
  const end = run.depths.at(-1)?.x ?? 0;
  const growthPerSecond = slope(run.depths.filter((p) => p.x >= end / 2));
  if (run.shed > 0) return { ok: false, growthPerSecond, errorRate, why: `${run.shed} requests shed (too many in flight)` };
  if (errorRate > ERROR_LIMIT) return { ok: false, growthPerSecond, errorRate, why: `errors ${(100 * errorRate).toFixed(1)} %` };
  if (growthPerSecond > BACKLOG_GROWTH_LIMIT)
    return { ok: false, growthPerSecond, errorRate, why: `the queues' backlog grows by ${growthPerSecond.toFixed(1)} messages/s` };
  return { ok: true, growthPerSecond, errorRate };
}
