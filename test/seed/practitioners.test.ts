import { describe, expect, it } from "vitest";
import { licenseRequiredFor } from "#domain/registry/codes.ts";
import { licenseType } from "#domain/registry/license.ts";
import { practitionerResource, practitionerRoleResource } from "#domain/registry/practitioners.ts";
import { generateHospitals } from "#lib/seed/hospitals.ts";
import { generateStaff } from "#lib/seed/practitioners.ts";
import { practitionerRoleSchema, practitionerSchema } from "#schemas/registry.ts";

const hospitals = generateHospitals();
const staff = generateStaff(hospitals);
const hospitalById = new Map(hospitals.map((h) => [h.id, h]));

describe("the seed's staff", () => {
  it("gives every practitioner id of every hospital one person with a first role there", () => {
    expect(staff.map((s) => s.practitioner.id)).toEqual(hospitals.flatMap((h) => h.practitionerIds));
    for (const s of staff) expect(s.roles[0]!.hospitalId).toBe(s.practitioner.id.split("-")[0]);
  });

  it("is the same on every call", () => {
    expect(generateStaff(generateHospitals())).toEqual(staff);
  });

  it("mixes the roles about 45/35/8/7/5", () => {
    const counts = new Map<string, number>();
    for (const s of staff) counts.set(s.roles[0]!.code, (counts.get(s.roles[0]!.code) ?? 0) + 1);
    const share = (code: string) => (counts.get(code) ?? 0) / staff.length;
    expect(share("doctor")).toBeCloseTo(0.45, 1);
    expect(share("nurse")).toBeCloseTo(0.35, 1);
    expect(share("pharmacist")).toBeCloseTo(0.08, 1);
    expect(share("technician")).toBeCloseTo(0.07, 1);
    expect(share("admin")).toBeCloseTo(0.05, 1);
  });

  it("licenses exactly the licensed roles, with valid, unique numbers of the fitting kind", () => {
    const seen = new Set<string>();
    for (const { practitioner, roles } of staff) {
      const required = licenseRequiredFor(roles[0]!.code);
      expect(practitioner.license?.type).toBe(required);
      if (!practitioner.license) continue;
      expect(licenseType(practitioner.license.value)).toBe(required);
      expect(seen.has(practitioner.license.value)).toBe(false);
      seen.add(practitioner.license.value);
    }
  });

  it("gives a few doctors a second role at another hospital of their city", () => {
    const second = staff.filter((s) => s.roles.length === 2);
    expect(second.length).toBeGreaterThan(50);
    expect(second.length).toBeLessThan(staff.length * 0.03);
    for (const { roles } of second) {
      const [first, other] = roles.map((r) => hospitalById.get(r.hospitalId)!);
      expect(other!.id).not.toBe(first!.id);
      expect(other!.cityId).toBe(first!.cityId);
    }
  });

  it("builds resources the registry accepts", () => {
    for (const { practitioner, roles } of staff.slice(0, 2000)) {
      expect(practitionerSchema.safeParse(practitionerResource(practitioner)).success).toBe(true);
      for (const role of roles) expect(practitionerRoleSchema.safeParse(practitionerRoleResource(role)).success).toBe(true);
    }
  });
});
