/**
 * A hospital's staff in the practitioner registry, written through its city node (the hub's internal API).
 * Input: the acting hospital (set by the city from the authorizer), a validated Practitioner or
 * PractitionerRole. Output: the stored resource, with whether it was created.
 * Primary course: a Practitioner is registered once per licence number (registering it again returns
 * the stored one), active whatever the hospital says; a role is registered, changed or ended by the
 * hospital it is at, only (403), for an active practitioner the registry holds, whose licence fits the
 * role (422). A role for a practitioner in force at another hospital waits for the operator (pending,
 * domain/registry/authority.ts); a hospital ends roles but never brings one into force. Roles are
 * stored with their practitioner (docs/adr/0007); ending one sets active false and period.end.
 * The operator corrects or deactivates a Practitioner, and approves or rejects pending roles.
 */
import { createHash } from "node:crypto";
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from "#domain/errors.ts";
import { approvalOf, hospitalRoleActive, newRoleApproval, type RoleApproval, withApproval } from "#domain/registry/authority.ts";
import { LICENSE_TYPES, licenseRequiredFor, PRACTITIONER_SYSTEM, type PractitionerRoleCode } from "#domain/registry/codes.ts";
import { decodeTokenSortKey, paramIndexKey } from "#domain/registry/index-entries.ts";
import { licensesOf, roleCodeOf } from "#domain/registry/practitioners.ts";
import {
  type Practitioner,
  type PractitionerRole,
  practitionerOfRole,
  referencedId,
  referenceTo,
  roleId,
  roleInForce,
} from "#domain/registry/resources.ts";
import { RecordConflictError, type RegistryStore, type StoredRecord } from "#ports/registry.ts";
import type { PractitionerInput, PractitionerRoleInput } from "#schemas/registry.ts";
import { clock } from "#shared/clock.ts";
import type { WriteResult } from "./facilities.ts";
import { checkBodyId, checkIfMatch, newId, retryingConflicts, saveRecord, stamped, unprocessable } from "./records.ts";

/** A licensed practitioner's id derives from the licence number, so two concurrent registrations create one record. */
const licensedId = (license: string): string =>
  `p-${createHash("sha256").update(`${PRACTITIONER_SYSTEM}|${license}`).digest("hex").slice(0, 16)}`;

async function findByLicense(store: RegistryStore, license: string): Promise<Practitioner | undefined> {
  const hits = await store.query({ indexKey: paramIndexKey("Practitioner", "identifier", license) });
  for (const hit of hits) {
    const { system, ref } = decodeTokenSortKey(hit.sortKey);
    if (system !== PRACTITIONER_SYSTEM) continue;
    const record = await store.get(ref);
    // a hit is checked against the record: the entry may be stale (docs/adr/0007)
    if (record && licensesOf(record.resource as Practitioner).some((l) => l.value === license)) return record.resource as Practitioner;
  }
  return undefined;
}

/** Registers a practitioner; one already registered under the same licence number is returned as stored (created: false). */
export async function registerPractitioner(
  store: RegistryStore,
  input: PractitionerInput,
  now = clock.now(),
): Promise<WriteResult<Practitioner>> {
  const licenses = licensesOf(input);
  for (const license of licenses) {
    const existing = await findByLicense(store, license.value);
    if (existing) return { resource: existing, created: false };
  }
  const id = licenses[0] ? licensedId(licenses[0].value) : newId("p");
  // `active` is the operator's to set (correctPractitioner), never a hospital's: a registration is active
  const resource = stamped<Practitioner>({ ...input, id, active: true }, undefined, now);
  try {
    await saveRecord(store, { key: referenceTo("Practitioner", id), version: 1, resource, roles: [] }, undefined);
  } catch (error) {
    if (!(error instanceof RecordConflictError)) throw error;
    const stored = await store.get(referenceTo("Practitioner", id));
    if (licenses.length > 0 && stored) return { resource: stored.resource as Practitioner, created: false };
    throw new ConflictError(`Practitioner/${id} exists`, "id");
  }
  return { resource, created: true };
}

function checkLicenseFits(practitioner: Practitioner, code: PractitionerRoleCode): void {
  const required = licenseRequiredFor(code);
  if (required && !licensesOf(practitioner).some((l) => l.type === required))
    throw unprocessable(
      `code: a ${code} role needs a ${required} licence (${LICENSE_TYPES[required].display}) under ${PRACTITIONER_SYSTEM} on Practitioner/${practitioner.id}`,
      "code",
    );
}

const organizationOf = (role: Pick<PractitionerRole, "organization">): string | undefined =>
  referencedId(role.organization.reference, "Organization");

function checkOwnOrganization(hospitalId: string, role: Pick<PractitionerRole, "organization">): void {
  if (organizationOf(role) !== hospitalId)
    throw new ForbiddenError(
      `organization: hospital ${hospitalId} maintains roles at Organization/${hospitalId} only, not ${role.organization.reference}`,
    );
}

const withRoles = (record: StoredRecord, roles: PractitionerRole[]) => ({
  key: record.key,
  version: record.version + 1,
  resource: record.resource,
  roles,
});

/** Registers a role at the acting hospital; an equal role in force there is returned as stored (created: false). */
export async function registerRole(
  store: RegistryStore,
  hospitalId: string,
  input: PractitionerRoleInput,
  now = clock.now(),
): Promise<WriteResult<PractitionerRole>> {
  checkOwnOrganization(hospitalId, input);
  const practitionerId = referencedId(input.practitioner.reference, "Practitioner")!;
  const code = roleCodeOf(input as PractitionerRole);
  return retryingConflicts(async () => {
    const record = await store.get(referenceTo("Practitioner", practitionerId));
    if (!record)
      throw unprocessable(
        `practitioner: Practitioner/${practitionerId} is not in the registry; register it first (POST /fhir/Practitioner)`,
        "practitioner",
      );
    const practitioner = record.resource as Practitioner;
    if (practitioner.active === false) throw unprocessable(`practitioner: Practitioner/${practitionerId} is not active`, "practitioner");
    checkLicenseFits(practitioner, code);
    const same = record.roles.find(
      (r) => organizationOf(r) === hospitalId && roleCodeOf(r) === code && (roleInForce(r, now) || approvalOf(r) === "pending"),
    );
    if (same) return { resource: same, created: false };
    const n = Math.max(0, ...record.roles.map((r) => practitionerOfRole(r.id)?.n ?? 0)) + 1;
    const pending = newRoleApproval(record.roles, hospitalId, now) === "pending";
    const role = stamped<PractitionerRole>(
      withApproval(
        { ...input, id: roleId(practitionerId, n), active: !pending, period: input.period ?? { start: now.toISOString() } },
        pending ? "pending" : undefined,
      ),
      undefined,
      now,
    );
    await saveRecord(store, withRoles(record, [...record.roles, role]), record);
    return { resource: role, created: true };
  });
}

/** Rewrites one stored role (read-modify-write, retried on a lost race): `change` checks and returns the new role. */
async function rewriteRole(
  store: RegistryStore,
  id: string,
  practitionerId: string,
  change: (record: StoredRecord, current: PractitionerRole) => PractitionerRole,
): Promise<WriteResult<PractitionerRole>> {
  return retryingConflicts(async () => {
    const record = await store.get(referenceTo("Practitioner", practitionerId));
    const current = record?.roles.find((r) => r.id === id);
    if (!record || !current) throw new NotFoundError(`PractitionerRole/${id} is not in the registry`);
    const role = change(record, current);
    await saveRecord(
      store,
      withRoles(
        record,
        record.roles.map((r) => (r.id === id ? role : r)),
      ),
      record,
    );
    return { resource: role, created: false };
  });
}

/** Replaces a role of the acting hospital (PUT); `active: false` without period.end ends it now. */
export async function updateRole(
  store: RegistryStore,
  hospitalId: string,
  id: string,
  input: PractitionerRoleInput,
  ifMatch?: string,
  now = clock.now(),
): Promise<WriteResult<PractitionerRole>> {
  checkBodyId(id, input.id);
  const owner = practitionerOfRole(id);
  if (!owner) throw new NotFoundError(`PractitionerRole/${id} is not in the registry`);
  if (referencedId(input.practitioner.reference, "Practitioner") !== owner.practitionerId)
    throw new BadRequestError(
      `practitioner: PractitionerRole/${id} is a role of Practitioner/${owner.practitionerId}; a role keeps its practitioner`,
      "practitioner",
    );
  return rewriteRole(store, id, owner.practitionerId, (record, current) => {
    if (organizationOf(current) !== hospitalId)
      throw new ForbiddenError(
        `PractitionerRole/${id} is at ${current.organization.reference}: only that hospital changes it, not ${hospitalId}`,
      );
    checkOwnOrganization(hospitalId, input);
    checkIfMatch(ifMatch, current);
    checkLicenseFits(record.resource as Practitioner, roleCodeOf(input as PractitionerRole));
    const active = hospitalRoleActive(current, input.active);
    const ending = input.active === false && current.active !== false && !input.period?.end;
    const period = ending ? { ...(input.period ?? current.period ?? {}), end: now.toISOString() } : input.period;
    // the operator's decision stays as it is; a hospital neither sets nor clears it
    return stamped<PractitionerRole>(
      withApproval({ ...input, id, active, ...(period ? { period } : {}) }, approvalOf(current)),
      current.meta?.versionId,
      now,
    );
  });
}

/** The operator replaces a Practitioner (PUT): corrects a squatted name or licence, or deactivates it (active false). */
export async function correctPractitioner(
  store: RegistryStore,
  id: string,
  input: PractitionerInput,
  ifMatch?: string,
  now = clock.now(),
): Promise<WriteResult<Practitioner>> {
  checkBodyId(id, input.id);
  for (const license of licensesOf(input)) {
    const holder = await findByLicense(store, license.value);
    if (holder && holder.id !== id)
      throw new ConflictError(`identifier: licence ${license.value} is registered to Practitioner/${holder.id}`, "identifier");
  }
  return retryingConflicts(async () => {
    const record = await store.get(referenceTo("Practitioner", id));
    if (!record) throw new NotFoundError(`Practitioner/${id} is not in the registry`);
    const current = record.resource as Practitioner;
    checkIfMatch(ifMatch, current);
    const resource = stamped<Practitioner>({ ...input, id, active: input.active ?? true }, current.meta?.versionId, now);
    await saveRecord(store, { key: record.key, version: record.version + 1, resource, roles: record.roles }, record);
    return { resource, created: false };
  });
}

/** The operator decides on a pending role: approved, it comes into force; rejected, it is ended. */
export async function decideRole(
  store: RegistryStore,
  id: string,
  decision: Exclude<RoleApproval, "pending">,
  now = clock.now(),
): Promise<WriteResult<PractitionerRole>> {
  const owner = practitionerOfRole(id);
  if (!owner) throw new NotFoundError(`PractitionerRole/${id} is not in the registry`);
  return rewriteRole(store, id, owner.practitionerId, (record, current) => {
    if (approvalOf(current) !== "pending")
      throw new ConflictError(`PractitionerRole/${id} awaits no decision (it is ${approvalOf(current) ?? "a role in its own right"})`);
    if (decision === "approved" && (record.resource as Practitioner).active === false)
      throw unprocessable(`Practitioner/${owner.practitionerId} is not active`, "practitioner");
    const at = now.toISOString();
    const decided: PractitionerRole =
      decision === "approved"
        ? { ...current, active: true, period: { ...(current.period ?? {}), start: at } }
        : { ...current, active: false, period: { ...(current.period ?? {}), end: at } };
    return stamped<PractitionerRole>(withApproval(decided, decision), current.meta?.versionId, now);
  });
}
