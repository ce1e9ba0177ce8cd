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
