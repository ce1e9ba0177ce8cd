/**
 * What the registry use cases share: where a resource is stored (its record), stamping versions,
 * If-Match, saving a record with its search entries, and retrying a write that lost a race.
 */
import { randomBytes } from "node:crypto";
import { BadRequestError, ConflictError, PreconditionFailedError, UnprocessableError } from "#domain/errors.ts";
import { entryId, type IndexEntry, indexEntriesOf, paramIndexKey } from "#domain/registry/index-entries.ts";
import { cityOfJurisdiction, cityOfOrganization, isHospital, PROVINCE_ORGANIZATION_ID } from "#domain/registry/organizations.ts";
import {
  type Organization,
  practitionerOfRole,
  type RegistryResource,
  type RegistryType,
  referencedId,
  referenceTo,
} from "#domain/registry/resources.ts";
import { RecordConflictError, type RegistryRecord, type RegistryStore, type StoredRecord } from "#ports/registry.ts";
import type { CityProfile } from "#schemas/city.ts";

/** The key of the record that holds `Type/id` (a role lives in its practitioner's record), or undefined for a malformed role id. */
export function recordKeyOf(type: RegistryType, id: string): string | undefined {
  if (type !== "PractitionerRole") return referenceTo(type, id);
  const owner = practitionerOfRole(id);
  return owner ? referenceTo("Practitioner", owner.practitionerId) : undefined;
}

/** The resource `Type/id` within its record. */
export function resourceIn(record: RegistryRecord, type: RegistryType, id: string): RegistryResource | undefined {
  if (type === "PractitionerRole") return record.roles.find((r) => r.id === id);
  return record.resource.resourceType === type && record.resource.id === id ? record.resource : undefined;
}

/** Every search entry of a record: its resource's and its roles'; `cities` name a hospital's city (index-entries.ts). */
export function recordEntries(record: RegistryRecord, cities: readonly Pick<CityProfile, "id" | "nameZh">[] = []): IndexEntry[] {
  const unique = new Map<string, IndexEntry>();
  for (const r of [record.resource, ...record.roles]) for (const e of indexEntriesOf(r, cities)) unique.set(entryId(e), e);
  return [...unique.values()];
}

/**
 * The province's cities as the registry holds them: its city jurisdictions (Organization
 * city-<id>, partOf the province), written at seed or bootstrap time and when a city joins.
 */
export async function registryCities(store: RegistryStore): Promise<CityProfile[]> {
  const hits = await store.query({ indexKey: paramIndexKey("Organization", "partof", PROVINCE_ORGANIZATION_ID) });
  const keys = hits.flatMap((h) => (referencedId(h.sortKey, "Organization") ? [h.sortKey] : []));
  const records = keys.length > 0 ? await store.getMany(keys) : [];
  return records
    .flatMap((r) => (r.resource.resourceType === "Organization" ? (cityOfJurisdiction(r.resource) ?? []) : []))
    .sort((a, b) => a.adminCode.localeCompare(b.adminCode) || a.id.localeCompare(b.id));
}

/** A hospital names its city in its first address: one of the province's (400 otherwise, as the schema once said). */
async function hospitalCities(store: RegistryStore, resource: RegistryResource): Promise<CityProfile[]> {
  if (resource.resourceType !== "Organization" || !isHospital(resource)) return [];
  const cities = await registryCities(store);
  if (!cityOfOrganization(resource as Organization, cities))
    throw new BadRequestError(
      `address[0].city: a hospital's first address names its city, one of ${cities.map((c) => c.nameZh).join(" ")}`,
      "address[0].city",
    );
  return cities;
}

export const saveRecord = async (store: RegistryStore, record: RegistryRecord, previous: StoredRecord | undefined): Promise<void> =>
  store.put(record, recordEntries(record, await hospitalCities(store, record.resource)), previous);

/** The resource with the next version's metadata. */
export function stamped<R extends RegistryResource>(resource: R, previousVersionId: string | undefined, now: Date): R {
  const versionId = String((Number(previousVersionId) || 0) + 1);
  const { resourceType, id, meta, ...rest } = resource;
  return { resourceType, id, meta: { ...(meta ?? {}), versionId, lastUpdated: now.toISOString() }, ...rest } as R;
}

/** If-Match: W/"3" (or "3") must name the current version; 412 otherwise. */
export function checkIfMatch(ifMatch: string | undefined, current: RegistryResource): void {
  if (ifMatch === undefined) return;
  const wanted = /^(?:W\/)?"?([^"]+)"?$/.exec(ifMatch.trim())?.[1];
  if (wanted !== current.meta?.versionId)
    throw new PreconditionFailedError([
      {
        code: "conflict",
        diagnostics: `If-Match ${ifMatch} does not name the current version ${current.meta?.versionId} of ${current.resourceType}/${current.id}`,
        expression: "If-Match",
      },
    ]);
}

/** Runs a read-modify-write again when another write got there first (up to three times), then answers 409. */
export async function retryingConflicts<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (!(error instanceof RecordConflictError)) throw error;
      if (attempt >= 3) throw new ConflictError(`${error.key} is being changed concurrently; retry`);
    }
  }
}

const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";
/** A new server-assigned id: `<prefix>-` and 12 random base-32 characters. */
export function newId(prefix: string): string {
  const bytes = randomBytes(12);
  return `${prefix}-${[...bytes].map((b) => BASE32[b % 32]).join("")}`;
}

/** 422: the request is well-formed but names something the registry does not hold, or breaks a rule. */
export const unprocessable = (diagnostics: string, expression?: string): UnprocessableError =>
  new UnprocessableError(diagnostics, expression);

/** A PUT's body names no other id than the URL's (400 naming `id`) */
export function checkBodyId(pathId: string, bodyId: string | undefined): void {
  if (bodyId !== undefined && bodyId !== pathId)
    throw new BadRequestError(`id: the body's id ${bodyId} is not the id ${pathId} of the URL`, "id");
}
