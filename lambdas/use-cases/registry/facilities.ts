/**
 * The facility registry, written by the operator (and by hospital onboarding): Organizations and Locations.
 * Input: a validated resource (schemas/registry.ts), for an update its id and If-Match. Output: the stored
 * resource, with whether it was created.
 * Primary course: check what the resource points to (partOf, managingOrganization exist; no cycle; the
 * credit code belongs to no other Organization), stamp the version and store it with its search
 * entries. Creating a facility (a hospital) also creates its site Location; creating it again with
 * the same credit code changes nothing, so onboarding can be retried.
 */

import { ConflictError, NotFoundError } from "#domain/errors.ts";
import { USCC_SYSTEM } from "#domain/registry/codes.ts";
import { decodeTokenSortKey, paramIndexKey } from "#domain/registry/index-entries.ts";
import { hospitalLocation, isFacility } from "#domain/registry/organizations.ts";
import { type Location, type Organization, type RegistryType, referencedId, referenceTo } from "#domain/registry/resources.ts";
import { RecordConflictError, type RegistryStore, type StoredRecord } from "#ports/registry.ts";
import type { LocationInput, OrganizationInput } from "#schemas/registry.ts";
import { clock } from "#shared/clock.ts";
import { checkBodyId, checkIfMatch, newId, retryingConflicts, saveRecord, stamped, unprocessable } from "./records.ts";

export interface WriteResult<R> {
  resource: R;
  created: boolean;
}

const usccOf = (org: { identifier?: OrganizationInput["identifier"] }): string | undefined =>
  org.identifier?.find((i) => i.system === USCC_SYSTEM)?.value;

async function requireExisting(store: RegistryStore, type: RegistryType, id: string, field: string): Promise<StoredRecord> {
  const record = await store.get(referenceTo(type, id));
  if (!record) throw unprocessable(`${field}: ${type}/${id} is not in the registry`, field);
  return record;
}

/** partOf must exist and must not lead back to the organization itself. */
async function checkPartOf(store: RegistryStore, id: string, partOf: string | undefined): Promise<void> {
  let parentId = referencedId(partOf, "Organization");
  for (let depth = 0; parentId; depth++) {
    if (parentId === id) throw unprocessable(`partOf: Organization/${id} would be part of itself`, "partOf");
    if (depth > 16) throw unprocessable("partOf: the chain of parents is longer than 16", "partOf");
    const parent = await requireExisting(store, "Organization", parentId, "partOf");
    parentId = referencedId((parent.resource as Organization).partOf?.reference, "Organization");
  }
}

/** A credit code belongs to one Organization. */
async function checkUsccFree(store: RegistryStore, id: string, uscc: string | undefined): Promise<void> {
  if (!uscc) return;
  const hits = await store.query({ indexKey: paramIndexKey("Organization", "identifier", uscc) });
  const other = hits
    .map((h) => decodeTokenSortKey(h.sortKey))
    .find((h) => h.system === USCC_SYSTEM && h.ref !== referenceTo("Organization", id));
  if (other) throw new ConflictError(`identifier: the credit code ${uscc} already identifies ${other.ref}`, "identifier");
}

/** Stores a new record of one resource; one already stored under its id is a 409. */
async function createRecord(store: RegistryStore, resource: Organization | Location, clash: string): Promise<void> {
  try {
    await saveRecord(store, { key: referenceTo(resource.resourceType, resource.id), version: 1, resource, roles: [] }, undefined);
  } catch (error) {
    throw error instanceof RecordConflictError ? new ConflictError(clash, "id") : error;
  }
}

async function ensureSiteLocation(store: RegistryStore, org: Organization, now: Date): Promise<Location> {
  const location = hospitalLocation(org);
  const existing = await store.get(referenceTo("Location", location.id));
  if (existing) return existing.resource as Location;
  const stored = stamped(location, undefined, now);
  try {
    await saveRecord(store, { key: referenceTo("Location", stored.id), version: 1, resource: stored, roles: [] }, undefined);
  } catch (error) {
    // created meanwhile by a concurrent retry of the same onboarding
    if (!(error instanceof RecordConflictError)) throw error;
    return (await store.get(referenceTo("Location", stored.id)))!.resource as Location;
  }
  return stored;
}

/**
 * Creates an Organization (its id kept when given: facility ids are province-wide keys, e.g. the
 * hospital id "bd001"); a facility gets its site Location `loc-<id>`. Creating it again with the
 * same credit code returns what is stored (created: false); any other clash is a 409.
 */
export async function createOrganization(
  store: RegistryStore,
  input: OrganizationInput,
  now = clock.now(),
): Promise<WriteResult<Organization> & { location?: Location }> {
  const id = input.id ?? newId("org");
  const existing = await store.get(referenceTo("Organization", id));
  if (existing) {
    const stored = existing.resource as Organization;
    if (!usccOf(input) || usccOf(stored) !== usccOf(input))
      throw new ConflictError(`Organization/${id} exists; change it with PUT /fhir/Organization/${id}`, "id");
    return { resource: stored, created: false, ...(isFacility(stored) ? { location: await ensureSiteLocation(store, stored, now) } : {}) };
  }
  await checkPartOf(store, id, input.partOf?.reference);
  await checkUsccFree(store, id, usccOf(input));
  const resource = stamped<Organization>({ ...input, id, active: input.active ?? true }, undefined, now);
  await createRecord(store, resource, `Organization/${id} was created concurrently; read it, or change it with PUT`);
  return { resource, created: true, ...(isFacility(resource) ? { location: await ensureSiteLocation(store, resource, now) } : {}) };
}

export async function updateOrganization(
  store: RegistryStore,
  id: string,
  input: OrganizationInput,
  ifMatch?: string,
  now = clock.now(),
): Promise<WriteResult<Organization>> {
  checkBodyId(id, input.id);
  await checkPartOf(store, id, input.partOf?.reference);
  await checkUsccFree(store, id, usccOf(input));
  return retryingConflicts(async () => {
    const existing = await store.get(referenceTo("Organization", id));
    if (!existing) throw new NotFoundError(`Organization/${id} is not in the registry; create it with POST /fhir/Organization`);
    checkIfMatch(ifMatch, existing.resource);
    const resource = stamped<Organization>({ ...input, id }, existing.resource.meta?.versionId, now);
    await saveRecord(store, { key: existing.key, version: existing.version + 1, resource, roles: [] }, existing);
    return { resource, created: false };
  });
}

async function checkLocationLinks(store: RegistryStore, id: string, input: LocationInput): Promise<void> {
  const organizationId = referencedId(input.managingOrganization?.reference, "Organization");
  if (organizationId) await requireExisting(store, "Organization", organizationId, "managingOrganization");
  const parentId = referencedId(input.partOf?.reference, "Location");
  if (parentId === id) throw unprocessable(`partOf: Location/${id} would be part of itself`, "partOf");
  if (parentId) await requireExisting(store, "Location", parentId, "partOf");
}

export async function createLocation(store: RegistryStore, input: LocationInput, now = clock.now()): Promise<WriteResult<Location>> {
  const id = input.id ?? newId("loc");
  await checkLocationLinks(store, id, input);
  const resource = stamped<Location>({ ...input, id, status: input.status ?? "active" }, undefined, now);
  await createRecord(store, resource, `Location/${id} exists; change it with PUT /fhir/Location/${id}`);
  return { resource, created: true };
}

export async function updateLocation(
  store: RegistryStore,
  id: string,
  input: LocationInput,
  ifMatch?: string,
  now = clock.now(),
): Promise<WriteResult<Location>> {
  checkBodyId(id, input.id);
  await checkLocationLinks(store, id, input);
  return retryingConflicts(async () => {
    const existing = await store.get(referenceTo("Location", id));
    if (!existing) throw new NotFoundError(`Location/${id} is not in the registry; create it with POST /fhir/Location`);
    checkIfMatch(ifMatch, existing.resource);
    const resource = stamped<Location>({ ...input, id }, existing.resource.meta?.versionId, now);
    await saveRecord(store, { key: existing.key, version: existing.version + 1, resource, roles: [] }, existing);
    return { resource, created: false };
  });
}
