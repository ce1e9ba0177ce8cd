/**
 * The telemedicine tiers the seed names (docs/telemedicine.md#tiers): the provincial hospitals are the
 * level-3 hospitals the province runs or its universities do (names beginning 河北: 河北省人民医院,
 * 河北医科大学第二医院 …), most of them in Shijiazhuang. The hub reads the set from its Telemedicine
 * table (`policy` / `provincial`), which the seed writes.
 */
import type { SeedHospital } from "./hospitals.ts";

export function provincialHospitalIds(hospitals: readonly SeedHospital[]): string[] {
  return hospitals.filter((h) => h.level === 3 && h.name.startsWith("河北")).map((h) => h.id);
}

/** The Telemedicine table's item naming them */
export const provincialPolicyItem = (hospitals: readonly SeedHospital[]) => ({
  pk: "policy",
  sk: "provincial",
  hospitalIds: provincialHospitalIds(hospitals),
});
