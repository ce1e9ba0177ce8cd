/**
 * Practitioner and PractitionerRole builders and readers: a practitioner carries their licence
 * number (for the licensed professions) as identifier and qualification; a role names the
 * practitioner, the hospital, one role code and the department (specialty). Pure.
 */
import {
  DEPARTMENT_SYSTEM,
  DEPARTMENTS,
  type DepartmentCode,
  HHC_PRACTITIONER_ROLE_SYSTEM,
  LICENSE_TYPE_SYSTEM,
  LICENSE_TYPES,
  type LicenseType,
  PRACTITIONER_ROLES,
  PRACTITIONER_SYSTEM,
  type PractitionerRoleCode,
  TELEMEDICINE_EXPERT,
} from "./codes.ts";
import { licenseType } from "./license.ts";
import { hospitalLocationId } from "./organizations.ts";
import { type Practitioner, type PractitionerRole, referenceTo, roleId } from "./resources.ts";

export interface PractitionerFacts {
  id: string;
  family: string;
  given: string;
  gender: "male" | "female";
  license?: { type: LicenseType; value: string };
}

export function practitionerResource(p: PractitionerFacts): Practitioner {
  return {
    resourceType: "Practitioner",
    id: p.id,
    ...(p.license ? { identifier: [{ use: "official" as const, system: PRACTITIONER_SYSTEM, value: p.license.value }] } : {}),
    active: true,
    name: [{ use: "official", text: `${p.family}${p.given}`, family: p.family, given: [p.given] }],
    gender: p.gender,
    ...(p.license
      ? {
          qualification: [
            {
              identifier: [{ system: PRACTITIONER_SYSTEM, value: p.license.value }],
              code: { coding: [{ system: LICENSE_TYPE_SYSTEM, code: p.license.type, display: LICENSE_TYPES[p.license.type].display }] },
            },
          ],
        }
      : {}),
  };
}

export interface RoleFacts {
  practitionerId: string;
  /** The role's number among the practitioner's roles (its id is `<practitionerId>-r<n>`) */
  n: number;
  hospitalId: string;
  code: PractitionerRoleCode;
  department?: DepartmentCode;
  /** a telemedicine expert (a doctor with a department, docs/telemedicine.md): the role's second code entry */
  expert?: boolean;
  /** date or dateTime the role started */
  start?: string;
}

export const roleCoding = (code: PractitionerRoleCode) => ({
  system: PRACTITIONER_ROLES[code].system,
  code,
  display: PRACTITIONER_ROLES[code].display,
});

export function practitionerRoleResource(r: RoleFacts): PractitionerRole {
  return {
    resourceType: "PractitionerRole",
    id: roleId(r.practitionerId, r.n),
    active: true,
    ...(r.start ? { period: { start: r.start } } : {}),
    practitioner: { reference: referenceTo("Practitioner", r.practitionerId) },
    organization: { reference: referenceTo("Organization", r.hospitalId) },
    code: [
      { coding: [roleCoding(r.code)] },
      ...(r.expert
        ? [{ coding: [{ system: HHC_PRACTITIONER_ROLE_SYSTEM, code: TELEMEDICINE_EXPERT, display: "Telemedicine expert" }] }]
        : []),
    ],
    ...(r.department
      ? { specialty: [{ coding: [{ system: DEPARTMENT_SYSTEM, code: r.department, display: DEPARTMENTS[r.department] }] }] }
      : {}),
    location: [{ reference: referenceTo("Location", hospitalLocationId(r.hospitalId)) }],
  };
}

/** The role code of a (valid) PractitionerRole: its one coding. */
export const roleCodeOf = (role: PractitionerRole): PractitionerRoleCode => role.code[0]!.coding![0]!.code as PractitionerRoleCode;

/** The valid licence numbers a practitioner holds, with their kind. */
export function licensesOf(p: Pick<Practitioner, "identifier">): { type: LicenseType; value: string }[] {
  return (p.identifier ?? []).flatMap((i) => {
    const type = i.system === PRACTITIONER_SYSTEM && i.value ? licenseType(i.value) : undefined;
    return type && i.value ? [{ type, value: i.value }] : [];
  });
}

/**
 * The strings a practitioner's `name` search matches (server-defined in FHIR): each name's text, its
 * family followed by its given names (Chinese order), and its family name alone.
 */
export function practitionerNameTexts(p: Pick<Practitioner, "name">): string[] {
  return p.name
    .flatMap((n) => [n.text, n.family !== undefined || n.given ? `${n.family ?? ""}${(n.given ?? []).join("")}` : undefined, n.family])
    .filter((t): t is string => Boolean(t));
}
