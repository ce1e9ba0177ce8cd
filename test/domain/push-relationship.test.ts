import { describe, expect, it } from "vitest";
import { hasTreatmentRelationship, RELATIONSHIP_DAYS, relationshipLapsedOn } from "#domain/push/relationship.ts";

const now = new Date("2026-06-01T00:00:00Z");
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000).toISOString();

describe("treatment relationship", () => {
  it("holds while the hospital's own contact is within 90 days", () => {
    expect(hasTreatmentRelationship([{ hospitalId: "bd001", at: daysAgo(1) }], "bd001", now)).toBe(true);
    expect(hasTreatmentRelationship([{ hospitalId: "bd001", at: daysAgo(RELATIONSHIP_DAYS) }], "bd001", now)).toBe(true);
    expect(hasTreatmentRelationship([{ hospitalId: "bd001", at: daysAgo(RELATIONSHIP_DAYS + 1) }], "bd001", now)).toBe(false);
  });
  it("is the hospital's own: another hospital's contact does not count", () => {
    expect(hasTreatmentRelationship([{ hospitalId: "ts001", at: daysAgo(1) }], "bd001", now)).toBe(false);
    expect(hasTreatmentRelationship([], "bd001", now)).toBe(false);
  });
  it("at a delivery: holds through 90 days after the latest own contact, later contacts included; else names the day it lapsed", () => {
    expect(relationshipLapsedOn([{ hospitalId: "bd001", at: daysAgo(RELATIONSHIP_DAYS) }], "bd001", now)).toBeUndefined();
    expect(relationshipLapsedOn([{ hospitalId: "bd001", at: daysAgo(-3) }], "bd001", now)).toBeUndefined(); // updated since
    const contacts = [
      { hospitalId: "bd001", at: daysAgo(RELATIONSHIP_DAYS + 10) },
      { hospitalId: "bd001", at: daysAgo(RELATIONSHIP_DAYS + 5) },
      { hospitalId: "ts001", at: daysAgo(1) },
    ];
    expect(relationshipLapsedOn(contacts, "bd001", now)).toBe("2026-05-27");
    expect(relationshipLapsedOn([], "bd001", now)).toBe("2026-06-01");
  });
});
