/**
 * Access rights to conditional services (issue 16): a request's states and their transitions, the
 * grant's life, and the 10-working-day rule for undecided requests. Pure: time is an argument.
 */
export type AccessRequestState = "submitted" | "granted" | "denied" | "revoked" | "expired";

export interface AccessRequest {
  id: string;
  member: string;
  serviceId: string;
  purpose: string;
  legalBasis: string;
  state: AccessRequestState;
  submittedAt: string;
  decidedAt?: string;
  reason?: string;
  /** A grant's end (granted requests): past it the grant is `expired` */
  expiresAt?: string;
}

/** Which states a request may move to from each state */
export const TRANSITIONS: Record<AccessRequestState, readonly AccessRequestState[]> = {
  submitted: ["granted", "denied"],
  granted: ["revoked", "expired"],
  denied: [],
  revoked: [],
  expired: [],
};

export const canMove = (from: AccessRequestState, to: AccessRequestState): boolean => TRANSITIONS[from].includes(to);

/** A request undecided after this many working days is flagged on the dashboard */
export const DECISION_WORKING_DAYS = 10;

const CST_OFFSET_MS = 8 * 3600_000;

/** Working days (Monday–Friday, China Standard Time) from `from` to `to`, not counting the day of `from` */
export function workingDaysBetween(from: Date, to: Date): number {
  const day = (d: Date) => Math.floor((d.getTime() + CST_OFFSET_MS) / 86_400_000);
  let count = 0;
  for (let d = day(from) + 1; d <= day(to); d++) {
    // day 0 (1970-01-01) was a Thursday: (d + 4) % 7 is 0 on Sundays, 6 on Saturdays
    const weekday = (d + 4) % 7;
    if (weekday !== 0 && weekday !== 6) count++;
  }
  return count;
}

export const isOverdue = (request: AccessRequest, now: Date): boolean =>
  request.state === "submitted" && workingDaysBetween(new Date(request.submittedAt), now) > DECISION_WORKING_DAYS;

/** The state a request has at `now`: a grant past its end is expired */
export const effectiveState = (request: AccessRequest, now: Date): AccessRequestState =>
  request.state === "granted" && request.expiresAt && Date.parse(request.expiresAt) <= now.getTime() ? "expired" : request.state;
