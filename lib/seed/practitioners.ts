/**
 * The synthetic staff of the seed hospitals, deterministic per hospital: for each of a hospital's
 * practitioner ids a person (a Hebei-plausible name and gender), a role (about 45 % doctors, 35 %
 * nurses, 8 % pharmacists, 7 % technicians, 5 % administrative staff), a department that fits the
 * hospital (中医, 妇幼, 口腔 … hospitals lean to their field) and, for the licensed professions, a
 * licence number of the project's formats. About 2 % of doctors also practise at a second hospital
 * of their city (多点执业).
 */

import type { DepartmentCode, LicenseType, PractitionerRoleCode } from "#domain/registry/codes.ts";
import { makeLicense } from "#domain/registry/license.ts";
import type { PractitionerFacts, RoleFacts } from "#domain/registry/practitioners.ts";
import { PROVINCE } from "#lib/config/province.ts";
import type { SeedHospital } from "./hospitals.ts";
import { FEMALE_CHARS, MALE_CHARS, SURNAMES } from "./name-pools.ts";
import { createRng, type Rng } from "./prng.ts";

export interface SeedStaffMember {
  practitioner: PractitionerFacts;
  roles: RoleFacts[];
}

const ROLE_MIX: [PractitionerRoleCode, number][] = [
  ["doctor", 45],
  ["nurse", 35],
  ["pharmacist", 8],
  ["technician", 7],
  ["admin", 5],
];
const MALE_SHARE: Record<PractitionerRoleCode, number> = { doctor: 0.55, nurse: 0.04, pharmacist: 0.35, technician: 0.5, admin: 0.45 };
const SECOND_ROLE_SHARE = 0.02;

const CLINICAL: [DepartmentCode, number][] = [
  ["internal-medicine", 24],
  ["surgery", 18],
  ["obstetrics-gynecology", 8],
  ["pediatrics", 8],
  ["emergency", 6],
  ["traditional-chinese-medicine", 5],
  ["anesthesiology", 5],
  ["ophthalmology", 3],
  ["otolaryngology", 3],
  ["stomatology", 3],
  ["dermatology", 2],
  ["oncology", 3],
  ["critical-care", 3],
  ["rehabilitation", 2],
  ["general-practice", 3],
  ["psychiatry", 1],
  ["infectious-disease", 1],
  ["medical-imaging", 4],
  ["pathology", 1],
];
const TECHNICAL: [DepartmentCode, number][] = [
  ["laboratory-medicine", 5],
  ["medical-imaging", 4],
  ["pathology", 1],
];
/** Hospitals named for a field lean to it: the name fragment, the department, and its weight among the others */
const FIELDS: [string, DepartmentCode, number][] = [
  ["中医", "traditional-chinese-medicine", 120],
  ["中西医", "traditional-chinese-medicine", 60],
  ["妇幼", "obstetrics-gynecology", 60],
  ["妇产", "obstetrics-gynecology", 120],
  ["儿童", "pediatrics", 120],
  ["口腔", "stomatology", 120],
  ["眼科", "ophthalmology", 120],
  ["肿瘤", "oncology", 120],
  ["精神", "psychiatry", 120],
  ["传染", "infectious-disease", 120],
  ["康复", "rehabilitation", 120],
];

function weightedPicker<T>(items: readonly (readonly [T, number])[]): (rng: Rng) => T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  return (rng) => {
    let x = rng.next() * total;
    for (const [item, w] of items) {
      x -= w;
      if (x < 0) return item;
    }
    return items.at(-1)![0];
  };
}
const pickRole = weightedPicker(ROLE_MIX);
const pickSurname = weightedPicker(SURNAMES);
const pickMale = weightedPicker(MALE_CHARS);
const pickFemale = weightedPicker(FEMALE_CHARS);
const pickTechnical = weightedPicker(TECHNICAL);

function clinicalPicker(hospitalName: string): (rng: Rng) => DepartmentCode {
  const field = FIELDS.find(([fragment]) => hospitalName.includes(fragment));
  return weightedPicker(field ? [...CLINICAL, [field[1], field[2]] as const] : CLINICAL);
}

function departmentFor(role: PractitionerRoleCode, clinical: (rng: Rng) => DepartmentCode, rng: Rng): DepartmentCode | undefined {
  if (role === "pharmacist") return "pharmacy";
  if (role === "technician") return pickTechnical(rng);
  if (role === "admin") return undefined;
  if (role === "nurse" && rng.next() < 0.08) return "nursing";
  return clinical(rng);
}

function personName(rng: Rng, male: boolean): { family: string; given: string } {
  const pick = male ? pickMale : pickFemale;
  const first = pick(rng);
  let given = first;
  if (rng.next() < 0.62) {
    let second = pick(rng);
    for (let i = 0; second === first && i < 3; i++) second = pick(rng);
    given += second;
  }
  return { family: pickSurname(rng), given };
}

/** Licence numbers, unique across the seed (serials drawn until free). */
function licenseIssuer() {
  const issued = new Set<string>();
  return (rng: Rng, type: LicenseType, hospital: SeedHospital, year: number): string => {
    const prefecture = PROVINCE.cities.find((c) => c.id === hospital.cityId)!.adminCode;
    for (;;) {
      const value =
        type === "physician"
          ? makeLicense({
              type,
              division: hospital.countyCode,
              level: rng.next() < 0.85 ? 1 : 2,
              category: hospital.name.includes("中医") ? 2 : hospital.name.includes("口腔") ? 3 : rng.next() < 0.03 ? 4 : 1,
              year,
              serial: rng.int(1, 9999),
            })
          : makeLicense({ type, prefecture, year, serial: rng.int(1, 99999) });
      if (!issued.has(value)) {
        issued.add(value);
        return value;
      }
    }
  };
}

/** Share of the level-3 hospitals' doctors (with a department) who serve telemedicine as experts */
export const EXPERT_SHARE = 0.2;

const LICENSE_OF: Partial<Record<PractitionerRoleCode, LicenseType>> = { doctor: "physician", nurse: "nurse", pharmacist: "pharmacist" };
const isoDate = (rng: Rng, year: number): string =>
  `${year}-${String(rng.int(1, 12)).padStart(2, "0")}-${String(rng.int(1, 28)).padStart(2, "0")}`;

/** The staff of every hospital, in hospital order; the same on every call and machine. */
export function generateStaff(hospitals: readonly SeedHospital[]): SeedStaffMember[] {
  const issue = licenseIssuer();
  const byCity = new Map<string, SeedHospital[]>();
  for (const h of hospitals) byCity.set(h.cityId, [...(byCity.get(h.cityId) ?? []), h]);
  return hospitals.flatMap((hospital) => {
    const rng = createRng(`hhc-seed/staff/${hospital.id}`);
    const clinical = clinicalPicker(hospital.name);
    return hospital.practitionerIds.map((id): SeedStaffMember => {
      const code = pickRole(rng);
      const male = rng.next() < MALE_SHARE[code];
      const year = rng.int(1990, 2024);
      const licenseKind = LICENSE_OF[code];
      const license = licenseKind ? { type: licenseKind, value: issue(rng, licenseKind, hospital, year) } : undefined;
      const department = departmentFor(code, clinical, rng);
      const roles: RoleFacts[] = [
        {
          practitionerId: id,
          n: 1,
          hospitalId: hospital.id,
          code,
          ...(department ? { department } : {}),
          start: isoDate(rng, Math.min(2025, year + rng.int(0, 3))),
        },
      ];
      // telemedicine experts: a share of the level-3 hospitals' doctors with a department, drawn apart (the staff's draws stay as they were)
      if (code === "doctor" && department && hospital.level === 3 && createRng(`hhc-seed/expert/${id}`).next() < EXPERT_SHARE)
        roles[0]!.expert = true;
      const neighbours = (byCity.get(hospital.cityId) ?? []).filter((h) => h.id !== hospital.id);
      if (code === "doctor" && neighbours.length > 0 && rng.next() < SECOND_ROLE_SHARE) {
        roles.push({
          practitionerId: id,
          n: 2,
          hospitalId: rng.pick(neighbours).id,
          code,
          ...(department ? { department } : {}),
          start: isoDate(rng, rng.int(2018, 2025)),
        });
      }
      return { practitioner: { id, ...personName(rng, male), gender: male ? "male" : "female", ...(license ? { license } : {}) }, roles };
    });
  });
}
