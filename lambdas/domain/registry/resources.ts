/**
 * The registry's stored resources: the inbound shapes of schemas/registry.ts with their id and
 * version metadata, and the references between them. Pure.
 */
import type { LocationInput, OrganizationInput, PractitionerInput, PractitionerRoleInput } from "#schemas/registry.ts";

/** A stored resource has its id; its meta.versionId and meta.lastUpdated are the registry's (records.ts stamps them). */
type Stored<T> = Omit<T, "id"> & { id: string };

export type Organization = Stored<OrganizationInput>;
export type Location = Stored<LocationInput>;
export type Practitioner = Stored<PractitionerInput>;
export type PractitionerRole = Stored<PractitionerRoleInput>;
export type RegistryResource = Organization | Location | Practitioner | PractitionerRole;
export type RegistryType = RegistryResource["resourceType"];

export const REGISTRY_RESOURCE_TYPES: readonly RegistryType[] = ["Organization", "Location", "Practitioner", "PractitionerRole"];

/** "Organization/bd001" */
export const referenceTo = (type: RegistryType, id: string): string => `${type}/${id}`;

/** The id a `Type/id` reference names, when it is of `type` */
export function referencedId(reference: string | undefined, type: RegistryType): string | undefined {
  if (!reference) return undefined;
  const [t, id, ...rest] = reference.split("/");
  return t === type && id && rest.length === 0 ? id : undefined;
}

/**
 * A practitioner's roles are stored with the practitioner (one registry record, docs/adr/0007), so a
 * role's id names its practitioner: `<practitionerId>-r<n>`.
 */
export const roleId = (practitionerId: string, n: number): string => `${practitionerId}-r${n}`;

export function practitionerOfRole(id: string): { practitionerId: string; n: number } | undefined {
  const m = /^(.+)-r([1-9]\d{0,4})$/.exec(id);
  return m ? { practitionerId: m[1]!, n: Number(m[2]) } : undefined;
}

/** Is the role in force at `now`: active, and `now` within its period? */
export function roleInForce(role: PractitionerRole, now: Date): boolean {
  if (role.active === false) return false;
  const t = now.getTime();
  if (role.period?.start && Date.parse(role.period.start) > t) return false;
  return !(role.period?.end && Date.parse(role.period.end) <= t);
}
