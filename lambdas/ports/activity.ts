/**
 * Province-wide activity counters for the operations summary (never patient data), per metric and
 * minute. Implemented by adapters/activity.ts (the hub's Activity table).
 */
export type ActivityMetric =
  | "documents"
  | "encounters"
  | "patients"
  | "claims"
  | "retrievals"
  | "drugLookups"
  | "implants"
  | "deviceRecalls"
  /** MPI reviews a later registration answered (docs/mpi.md): merged into their resident, or made ordinary ones */
  | "reviewsAnswered"
  /** records a later registration put in doubt (docs/mpi.md, doubts.ts): moved to review */
  | "doubtsRaised";

export interface ActivityCounter {
  /** Adds `count` to the metric's minute; never fails the caller's work (a lost increment is logged) */
  add(metric: ActivityMetric, at: Date, count?: number): Promise<void>;
  /** The counts of the `minutes` whole minutes before `now`'s, oldest first (missing minutes are 0) */
  recent(metric: ActivityMetric, now: Date, minutes: number): Promise<number[]>;
}

/** A practitioner's reads of patient data in one hour past the threshold (the volume alarm, docs/consent.md) */
export interface ReadVolumeAlert {
  practitionerId: string;
  hospitalId: string;
  /** the hour, UTC, "YYYY-MM-DDTHH" */
  hour: string;
  reads: number;
}

/** Reads of patient data per practitioner per hour (the hub's Activity table) */
export interface ReadVolume {
  /** Counts one read in its hour; returns the hour's count so far (0 when it could not be counted) */
  count(practitionerId: string, hospitalId: string, at: Date): Promise<number>;
  /** Records (or raises) the practitioner's alert for the hour */
  alert(alert: ReadVolumeAlert): Promise<void>;
  /** The alerts of the hours from `since` to `now`, newest hour first */
  alerts(since: Date, now: Date): Promise<ReadVolumeAlert[]>;
}
