/**
 * First start: the health-resources registry of the local province — the province, its 11 cities
 * and all their counties as jurisdictions, the seed hospitals as facilities with one site Location
 * each, and every hospital's staff (Practitioner with its PractitionerRoles) — written as the
 * registry's own records and search entries (the builders and index of lambdas/domain/registry).
 * About 70,000 items, marshalled here: on the local province's first start they go straight into
 * the emulator's store (local/emulators.ts loadItems), which keeps the first start short; otherwise
 * (a deployed hub, a city joining) as BatchWriteItem (25 a request, a few requests in flight,
 * unprocessed items retried).
 */

import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { BatchWriteItemCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { indexItem, registryItem } from "#adapters/registry-store.ts";
import {
  cityOrganization,
  countyOrganization,
  hospitalLocation,
  hospitalOrganization,
  provinceOrganization,
} from "#domain/registry/organizations.ts";
import { practitionerResource, practitionerRoleResource } from "#domain/registry/practitioners.ts";
import { type RegistryResource, referenceTo } from "#domain/registry/resources.ts";
import { type CityConfig, PROVINCE } from "#lib/config/province.ts";
import { divisionsOf } from "#lib/seed/hebei-divisions.ts";
import type { SeedHospital } from "#lib/seed/hospitals.ts";
import { generateStaff } from "#lib/seed/practitioners.ts";
import type { RegistryRecord } from "#ports/registry.ts";
import { clock } from "#shared/clock.ts";
import { recordEntries, stamped } from "#use-cases/registry/records.ts";

const IN_FLIGHT = 4;

/** Puts marshalled items into a table without going through the API (the local emulator's store) */
export type ItemLoader = (table: string, items: Record<string, AttributeValue>[]) => Promise<void>;

export function marshal(item: Record<string, unknown>): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [k, v] of Object.entries(item)) {
    if (typeof v === "string") out[k] = { S: v };
    else if (typeof v === "number") out[k] = { N: String(v) };
    else if (typeof v === "boolean") out[k] = { BOOL: v };
    else if (Array.isArray(v)) out[k] = { L: v.map((s) => ({ S: String(s) })) };
    else if (v !== undefined) throw new Error(`cannot marshal ${k}`);
  }
  return out;
}

/**
 * Writes items (table, item): through `load` when given, else in batches of 25 with a few requests in
 * flight, retrying what comes back unprocessed.
 */
async function writeAll(ddb: DynamoDBClient, items: { table: string; item: Record<string, unknown> }[], load?: ItemLoader): Promise<void> {
  if (load) {
    const byTable = new Map<string, Record<string, AttributeValue>[]>();
    for (const { table, item } of items) {
      if (!byTable.has(table)) byTable.set(table, []);
      byTable.get(table)!.push(marshal(item));
    }
    for (const [table, marshalled] of byTable) await load(table, marshalled);
    return;
  }
  const batches: { table: string; item: Record<string, unknown> }[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const batch = batches[next++]!;
      let requests: Record<string, { PutRequest: { Item: Record<string, AttributeValue> } }[]> = {};
      for (const { table, item } of batch) {
        requests[table] ??= [];
        requests[table].push({ PutRequest: { Item: marshal(item) } });
      }
      for (let attempt = 0; Object.keys(requests).length > 0; attempt++) {
        if (attempt > 8) throw new Error("registry seed: writes stayed unprocessed");
        if (attempt > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
        const out = await ddb.send(new BatchWriteItemCommand({ RequestItems: requests }));
        requests = (out.UnprocessedItems ?? {}) as typeof requests;
      }
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
}

/** A resource (with its roles) as a new record, at version 1. */
export const newRecord =
  (now: Date) =>
  <R extends RegistryResource>(resource: R, roles: RegistryRecord["roles"] = []): RegistryRecord => ({
    key: referenceTo(resource.resourceType, resource.id),
    version: 1,
    resource: stamped(resource, undefined, now),
    roles: roles.map((r) => stamped(r, undefined, now)),
  });

/** A city's jurisdiction and its counties' (partOf the province's, which the seed writes once). */
export const cityJurisdictions = (city: CityConfig, counties: readonly { code: string; nameZh: string }[]): RegistryResource[] => [
  cityOrganization(city),
  ...counties.map((d) => countyOrganization(city, d)),
];

/** Hospitals' Organizations and their site Locations. */
export function facilitiesOf(hospitals: readonly SeedHospital[], cities: readonly CityConfig[]): RegistryResource[] {
  return hospitals.flatMap((h) => {
    const city = cities.find((c) => c.id === h.cityId);
    if (!city) throw new Error(`hospital ${h.id}: unknown city ${h.cityId}`);
    const org = hospitalOrganization(h, city);
    return [org, hospitalLocation(org)];
  });
}

/** The registry's records for the seed hospitals, each resource at version 1. */
export function seedRecords(hospitals: readonly SeedHospital[], now: Date): RegistryRecord[] {
  const record = newRecord(now);
  const jurisdictions = [provinceOrganization(), ...PROVINCE.cities.flatMap((city) => cityJurisdictions(city, divisionsOf(city.id)))];
  const staff = generateStaff(hospitals).map((s) => record(practitionerResource(s.practitioner), s.roles.map(practitionerRoleResource)));
  return [...jurisdictions.map((r) => record(r)), ...facilitiesOf(hospitals, PROVINCE.cities).map((r) => record(r)), ...staff];
}

export async function seedRegistry(
  ddb: DynamoDBDocumentClient,
  tables: { registry: string; registryIndex: string },
  hospitals: readonly SeedHospital[],
  now = clock.now(),
  load?: ItemLoader,
): Promise<{ records: number; entries: number }> {
  return writeRegistry(ddb, tables, seedRecords(hospitals, now), PROVINCE.cities, load);
}

/**
 * Writes records with their search entries straight to the registry's tables (through `load` when
 * given); `cities` name the hospitals' cities.
 */
export async function writeRegistry(
  ddb: DynamoDBDocumentClient,
  tables: { registry: string; registryIndex: string },
  records: readonly RegistryRecord[],
  cities: readonly CityConfig[],
  load?: ItemLoader,
): Promise<{ records: number; entries: number }> {
  const items: { table: string; item: Record<string, unknown> }[] = [];
  let entries = 0;
  for (const record of records) {
    const owned = recordEntries(record, cities);
    entries += owned.length;
    items.push({ table: tables.registry, item: registryItem(record, owned) });
    for (const entry of owned) items.push({ table: tables.registryIndex, item: indexItem(entry) });
  }
  await writeAll(ddb as unknown as DynamoDBClient, items, load);
  return { records: items.length - entries, entries };
}
