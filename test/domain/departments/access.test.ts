/** Access rights to conditional services: transitions, grants' expiry, and the 10-working-day rule. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canMove, effectiveState, isOverdue, workingDaysBetween } from "#domain/departments/access.ts";
import { allowedMembers, serviceById } from "#domain/departments/catalogue.ts";
import type { AccessRequest } from "#ports/department-exchange.ts";

const request = (over: Partial<AccessRequest>): AccessRequest => ({
  id: "r1",
  member: "civil-affairs",
  serviceId: "household-death",
  purpose: "p",
  legalBasis: "b",
  state: "submitted",
  submittedAt: "2026-12-01T02:00:00Z",
  ...over,
});

describe("access requests", () => {
  it("moves submitted → granted or denied, granted → revoked or expired, and nothing else", () => {
    expect(canMove("submitted", "granted")).toBe(true);
    expect(canMove("submitted", "denied")).toBe(true);
    expect(canMove("granted", "revoked")).toBe(true);
    expect(canMove("denied", "granted")).toBe(false);
    expect(canMove("revoked", "granted")).toBe(false);
    expect(canMove("submitted", "revoked")).toBe(false);
  });

  it("counts working days Monday to Friday in China Standard Time", () => {
    // Tuesday 2026-12-01 10:00 CST → Tuesday 2026-12-15: 10 working days
    expect(workingDaysBetween(new Date("2026-12-01T02:00:00Z"), new Date("2026-12-15T02:00:00Z"))).toBe(10);
    // Friday → Monday: one
    expect(workingDaysBetween(new Date("2026-12-04T02:00:00Z"), new Date("2026-12-07T02:00:00Z"))).toBe(1);
    // Saturday 00:30 CST is still Friday in UTC: the CST day counts
    expect(workingDaysBetween(new Date("2026-12-04T02:00:00Z"), new Date("2026-12-04T16:30:00Z"))).toBe(0);
  });

  it("is additive over any split and never more than the calendar days", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 400 }), (a, b) => {
        const t0 = new Date("2026-01-01T00:00:00Z");
        const t1 = new Date(t0.getTime() + a * 86_400_000);
        const t2 = new Date(t1.getTime() + b * 86_400_000);
        const whole = workingDaysBetween(t0, t2);
        expect(whole).toBe(workingDaysBetween(t0, t1) + workingDaysBetween(t1, t2));
        expect(whole).toBeLessThanOrEqual(a + b);
        expect(whole).toBeGreaterThanOrEqual(Math.floor(((a + b) * 5) / 7) - 2);
      }),
    );
  });

  it("flags a request undecided after 10 working days, and not one decided", () => {
    expect(isOverdue(request({}), new Date("2026-12-15T02:00:00Z"))).toBe(false);
    expect(isOverdue(request({}), new Date("2026-12-16T02:00:00Z"))).toBe(true);
    expect(isOverdue(request({ state: "granted" }), new Date("2027-06-01T00:00:00Z"))).toBe(false);
  });

  it("a grant past its end is expired, and no longer allows its member", () => {
    const grant = request({ state: "granted", expiresAt: "2026-12-31T00:00:00Z" });
    expect(effectiveState(grant, new Date("2026-12-30T00:00:00Z"))).toBe("granted");
    expect(effectiveState(grant, new Date("2026-12-31T00:00:00Z"))).toBe("expired");
    const service = serviceById("household-death")!;
    expect(allowedMembers(service, ["civil-affairs"])).toEqual(["civil-affairs", "public-security"]);
    expect(allowedMembers(serviceById("death-notification")!, ["statistics"])).toEqual(["civil-affairs", "public-security"]);
  });
});
