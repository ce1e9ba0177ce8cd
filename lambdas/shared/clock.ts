/**
 * The province clock: every handler, use case, sweeper and schedule reads time here, never
 * `Date.now()` or `new Date()` directly. In AWS it is the system clock. The local province moves
 * it forward (`POST /local/clock`) by an offset kept on `globalThis` under a registered symbol,
 * so every handler bundle loaded in the process (each has its own copy of this module) sees the
 * same time at once. Domain code takes the time as an argument and never reads a clock.
 */
const OFFSET = Symbol.for("hhc.province-clock.offset-ms");
type WithOffset = typeof globalThis & { [OFFSET]?: number };

export const clock = {
  /** Milliseconds since the epoch, by the province clock. */
  nowMs: (): number => Date.now() + ((globalThis as WithOffset)[OFFSET] ?? 0),
  now: (): Date => new Date(clock.nowMs()),
  /** ISO 8601 in UTC, e.g. "2026-12-03T01:02:03.456Z". */
  isoNow: (): string => clock.now().toISOString(),
  /** The UTC date, YYYY-MM-DD (what the MPI's birth-date checks take as `today`). */
  today: (): string => clock.isoNow().slice(0, 10),
};

/** The offset the local province applied (0 in AWS). */
export const clockOffsetMs = (): number => (globalThis as WithOffset)[OFFSET] ?? 0;

/** Local province only: sets the offset; it never decreases, so the clock never moves backward. */
export function setClockOffsetMs(offsetMs: number): void {
  if (!Number.isFinite(offsetMs) || offsetMs < clockOffsetMs()) throw new RangeError("The province clock never moves backward");
  (globalThis as WithOffset)[OFFSET] = offsetMs;
}
