/**
 * Province-wide activity counters for the operations summary (never patient data), per metric and
 * minute. Implemented by adapters/activity.ts (the hub's Activity table).
 */
export type ActivityMetric = "documents" | "encounters" | "patients" | "claims" | "retrievals" | "drugLookups";

export interface ActivityCounter {
  /** Adds `count` to the metric's minute; never fails the caller's work (a lost increment is logged) */
  add(metric: ActivityMetric, at: Date, count?: number): Promise<void>;
  /** The counts of the `minutes` whole minutes before `now`'s, oldest first (missing minutes are 0) */
  recent(metric: ActivityMetric, now: Date, minutes: number): Promise<number[]>;
}
