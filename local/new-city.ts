/**
 * What a city brings when it joins a running province (local/province.ts addCity): its
 * jurisdiction and counties, a first hospital (with its site and two practitioners) in the hub's
 * registry, and a credential for that hospital, appended to local-credentials.json. In AWS the
 * operator does the same through the registry and onboarding; nothing of the hub is rebuilt.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { batchWriteAll, putRequests } from "#adapters/batch-write.ts";
import { issueCredential } from "#domain/credentials.ts";
import { makeLicense } from "#domain/registry/license.ts";
import { practitionerResource, practitionerRoleResource } from "#domain/registry/practitioners.ts";
import { makeUscc } from "#domain/uscc.ts";
import { type CityConfig, citySchema } from "#lib/config/province.ts";
import type { SeedHospital } from "#lib/seed/hospitals.ts";
import type { CredentialRecord } from "#ports/credentials.ts";
import { CREDENTIALS_FILE, type LocalCredentials } from "./seed.ts";
import { cityJurisdictions, facilitiesOf, newRecord, writeRegistry } from "./seed-registry.ts";

const ADDED_CITIES_FILE = "added-cities.json";
/** The cities that joined the running province (addCity), kept in the data folder across restarts */
export const addedCities = (dataDir: string): CityConfig[] => {
  const file = path.join(dataDir, ADDED_CITIES_FILE);
  return existsSync(file) ? citySchema.array().parse(JSON.parse(readFileSync(file, "utf8"))) : [];
};

/** Why `city` cannot join `cities` (a duplicate id, stack name, name, admin code or hospital prefix), if it cannot */
export function clashOf(city: CityConfig, cities: readonly CityConfig[]): string | undefined {
  for (const key of ["id", "stackName", "nameZh", "adminCode", "hospitalIdPrefix"] as const) {
    const other = cities.find((c) => c[key] === city[key]);
    if (other) return `${key} ${city[key]} is already ${other.id}'s`;
  }
  return undefined;
}

export function saveAddedCities(dataDir: string, cities: readonly CityConfig[]): void {
  writeFileSync(path.join(dataDir, ADDED_CITIES_FILE), JSON.stringify(cities, null, 2));
}

export interface NewCityOptions {
  /** County-level divisions (GB/T 2260, 6 digits starting with the city's admin code); one by default */
  counties?: { code: string; nameZh: string }[];
}

export type NewCityHospital = LocalCredentials["hospitals"][number];

/** The first hospital of a new city: level 2, in its first county, with a doctor and a nurse. */
function firstHospital(city: CityConfig, county: { code: string; nameZh: string }): SeedHospital {
  const id = `${city.hospitalIdPrefix}001`;
  return {
    id,
    cityId: city.id,
    countyCode: county.code,
    countyName: county.nameZh,
    name: `${city.nameZh}人民医院`,
    level: 2,
    uscc: makeUscc({ authority: "1", category: "2", divisionCode: county.code, orgBody8: `HHC${city.adminCode}1` }),
    beds: 300,
    practitionerIds: [`${id}-p001`, `${id}-p002`],
  };
}

export async function joinCity(
  ddb: DynamoDBDocumentClient,
  dataDir: string,
  tables: { registry: string; registryIndex: string; credentials: string },
  city: CityConfig,
  allCities: readonly CityConfig[],
  options: NewCityOptions = {},
  now = new Date(),
): Promise<NewCityHospital[]> {
  const counties = options.counties ?? [{ code: `${city.adminCode}02`, nameZh: `${city.nameZh.replace(/[市区]$/, "")}中心区` }];
  for (const c of counties)
    if (!new RegExp(`^${city.adminCode}\\d{2}$`).test(c.code)) throw new Error(`county ${c.code} is not a division of ${city.adminCode}`);
  const hospital = firstHospital(city, counties[0]!);
  const [doctorId, nurseId] = hospital.practitionerIds as [string, string];
  // licences registered with the provincial commission (Shijiazhuang, 1301): the formats name the seed's prefectures
  const record = newRecord(now);
  const staff = [
    record(
      practitionerResource({
        id: doctorId,
        family: "王",
        given: "新",
        gender: "male",
        license: {
          type: "physician",
          value: makeLicense({ type: "physician", division: "130102", level: 1, category: 1, year: 2015, serial: 1 }),
        },
      }),
      [
        practitionerRoleResource({
          practitionerId: doctorId,
          n: 1,
          hospitalId: hospital.id,
          code: "doctor",
          department: "internal-medicine",
        }),
      ],
    ),
    record(
      practitionerResource({
        id: nurseId,
        family: "李",
        given: "安",
        gender: "female",
        license: { type: "nurse", value: makeLicense({ type: "nurse", prefecture: "1301", year: 2016, serial: 1 }) },
      }),
      [practitionerRoleResource({ practitionerId: nurseId, n: 1, hospitalId: hospital.id, code: "nurse" })],
    ),
  ];
  const records = [...[...cityJurisdictions(city, counties), ...facilitiesOf([hospital], allCities)].map((r) => record(r)), ...staff];
  await writeRegistry(ddb, tables, records, allCities);

  const credential = issueCredential(`${hospital.id}-seed`);
  const stored: CredentialRecord = {
    ...credential.stored,
    kind: "hospital",
    hospitalId: hospital.id,
    cityId: city.id,
    status: "active",
    issuedAt: now.toISOString(),
  };
  await batchWriteAll(tables.credentials, putRequests([stored]), ddb);
  const joined: NewCityHospital = {
    id: hospital.id,
    cityId: city.id,
    name: hospital.name,
    level: hospital.level,
    credential: credential.token,
    practitioners: hospital.practitionerIds,
  };
  const file = path.join(dataDir, CREDENTIALS_FILE);
  const credentials = JSON.parse(readFileSync(file, "utf8")) as LocalCredentials;
  credentials.hospitals = [...credentials.hospitals.filter((h) => h.id !== joined.id), joined];
  writeFileSync(`${file}.tmp`, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
  return [joined];
}
