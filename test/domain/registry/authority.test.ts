import { describe, expect, it } from "vitest";
import {
  activeElsewhere,
  approvalOf,
  holdsClinicalRole,
  hospitalRoleActive,
  newRoleApproval,
  ROLE_APPROVAL_URL,
  withApproval,
} from "#domain/registry/authority.ts";
import { practitionerRoleResource } from "#domain/registry/practitioners.ts";
import type { PractitionerRole } from "#domain/registry/resources.ts";

const now = new Date("2026-06-01T00:00:00Z");
const role = (hospitalId: string, extra: Partial<PractitionerRole> = {}): PractitionerRole => ({
  ...practitionerRoleResource({ practitionerId: "p-1", n: 1, hospitalId, code: "doctor", start: "2020-01-01" }),
  ...extra,
});

describe("who may act as whom", () => {
  it("reading and authoring clinical content needs a licensed clinical role", () => {
    for (const code of ["doctor", "nurse", "pharmacist"]) expect(holdsClinicalRole([code])).toBe(true);
    expect(holdsClinicalRole(["admin", "technician"])).toBe(false);
    expect(holdsClinicalRole([])).toBe(false);
    expect(holdsClinicalRole(["admin", "nurse"])).toBe(true);
  });

  it("a new role waits for the operator only when the practitioner is in force at another hospital", () => {
    expect(newRoleApproval([], "bd001", now)).toBe("active");
    expect(newRoleApproval([role("bd001")], "bd001", now)).toBe("active");
    expect(newRoleApproval([role("bd002")], "bd001", now)).toBe("pending");
    expect(activeElsewhere([role("bd002"), role("ts001")], "bd001", now)).toEqual(["bd002", "ts001"]);
    // ended, inactive or pending roles elsewhere do not count
    expect(newRoleApproval([role("bd002", { period: { start: "2020-01-01", end: "2025-01-01" } })], "bd001", now)).toBe("active");
    expect(newRoleApproval([role("bd002", { active: false })], "bd001", now)).toBe("active");
  });

  it("a hospital can end a role but never bring one into force", () => {
    expect(hospitalRoleActive({ active: true }, undefined)).toBe(true);
    expect(hospitalRoleActive({ active: true }, false)).toBe(false);
    expect(hospitalRoleActive({ active: false }, true)).toBe(false);
  });

  it("the approval extension is set and cleared by the registry alone, other extensions kept", () => {
    const other = { url: "https://example.org/x", valueCode: "y" };
    const forged = { ...role("bd001"), extension: [other, { url: ROLE_APPROVAL_URL, valueCode: "approved" }] };
    expect(approvalOf(forged)).toBe("approved");
    const cleared = withApproval(forged, undefined);
    expect(approvalOf(cleared)).toBeUndefined();
    expect(cleared.extension).toEqual([other]);
    expect(approvalOf(withApproval(role("bd001"), "pending"))).toBe("pending");
    expect("extension" in withApproval(role("bd001"), undefined)).toBe(false);
  });
});
