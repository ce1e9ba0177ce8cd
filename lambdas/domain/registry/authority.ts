/**
 * Who may act as whom (issue 12): which roles read and author clinical content, and when a hospital's
 * new role for a practitioner waits for the operator (multi-site practice, 多点执业). Pure.
 *
 * - Reading clinical content and authoring need a licensed clinical role (doctor, nurse, pharmacist)
 *   in force at the calling hospital; technicians and administrative staff hold no licence here.
 * - A hospital registers a role directly for a practitioner who is new or not active elsewhere; a
 *   practitioner with a role in force at another hospital gets a pending role, which the operator
 *   approves (it comes into force) or rejects (it is ended). A pending or rejected role is never in force.
 * - `active` from a hospital is not taken: a new role is active unless pending, and a hospital can end a
 *   role (active false) but never bring one into force.
 */
import type { PractitionerRoleCode } from "./codes.ts";
import { type PractitionerRole, referencedId, roleInForce } from "./resources.ts";

export const CLINICAL_ROLES: readonly PractitionerRoleCode[] = ["doctor", "nurse", "pharmacist"];

/** Does a set of role codes (as the practitioner check answers them) include a licensed clinical role? */
export const holdsClinicalRole = (codes: readonly string[]): boolean =>
  codes.some((c) => (CLINICAL_ROLES as readonly string[]).includes(c));

/** The extension a role carries while the operator decides on it, and after */
export const ROLE_APPROVAL_URL = "https://hebei.health/fhir/StructureDefinition/role-approval";
export type RoleApproval = "pending" | "approved" | "rejected";

type Extended = { extension?: { url: string; valueCode?: string }[] };

/** The operator's decision a role carries, if any */
export function approvalOf(role: Extended): RoleApproval | undefined {
  const code = role.extension?.find((e) => e.url === ROLE_APPROVAL_URL)?.valueCode;
  return code === "pending" || code === "approved" || code === "rejected" ? code : undefined;
}

/** The role's extensions with the approval set to `approval` (or removed): a hospital never sets it */
export function withApproval<R extends Extended>(role: R, approval: RoleApproval | undefined): R {
  const others = (role.extension ?? []).filter((e) => e.url !== ROLE_APPROVAL_URL);
  const extension = approval ? [...others, { url: ROLE_APPROVAL_URL, valueCode: approval }] : others;
  const { extension: _dropped, ...rest } = role;
  return (extension.length > 0 ? { ...rest, extension } : rest) as R;
}

const organizationOf = (role: Pick<PractitionerRole, "organization">) => referencedId(role.organization.reference, "Organization");

/** The hospitals other than `hospitalId` at which the practitioner has a role in force at `now` */
export function activeElsewhere(roles: readonly PractitionerRole[], hospitalId: string, now: Date): string[] {
  return [...new Set(roles.filter((r) => roleInForce(r, now) && organizationOf(r) !== hospitalId).flatMap((r) => organizationOf(r) ?? []))];
}

/** How a hospital's new role starts: in force, or pending the operator's approval (active elsewhere) */
export const newRoleApproval = (roles: readonly PractitionerRole[], hospitalId: string, now: Date): "active" | "pending" =>
  activeElsewhere(roles, hospitalId, now).length > 0 ? "pending" : "active";

/**
 * A hospital's PUT of its own role: it may end the role, never bring it into force. The result's
 * `active` is false when the hospital says so or the role is not active now (ended, pending, rejected).
 */
export const hospitalRoleActive = (current: Pick<PractitionerRole, "active">, requested: boolean | undefined): boolean =>
  requested !== false && current.active !== false;
