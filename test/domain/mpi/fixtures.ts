/** Helpers of the MPI domain tests over the world's household (lib/world/households.ts). */

import { decide } from "#domain/mpi/decide.ts";
import type { MatchRecord, Resident } from "#domain/mpi/record.ts";

export const TODAY = "2025-06-30";

export function without<K extends keyof MatchRecord>(record: MatchRecord, ...fields: K[]): MatchRecord {
  const copy = { ...record };
  for (const f of fields) delete copy[f];
  return copy;
}

/** A resident holding the records as the index would store them. */
export function residentOf(empi: string, ...records: MatchRecord[]): Resident {
  const stored = records.map((r) => decide(r, [], { today: TODAY }));
  const residentId = stored.find((d) => d.residentIdKey)?.residentIdKey;
  return { empi, version: 1, records: stored.map((d) => d.record), ...(residentId ? { residentId } : {}) };
}

/** The calendar day after a YYYY-MM-DD date. */
export function dayAfter(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}
