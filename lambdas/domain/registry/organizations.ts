/**
 * Organization and Location builders for the facility registry (IHE mCSD): the province, its
 * cities and counties as jurisdictions (type govt + mCSD jurisdiction), hospitals as facilities
 * (type prov + mCSD facility, partOf their county) with their level and beds as extensions, and
 * one Location per hospital (its site, managed by the hospital). Pure.
 */
import type { CityId, CityProfile } from "#schemas/city.ts";
import {
  DIVISION_SYSTEM,
  HOSPITAL_BEDS_EXTENSION,
  HOSPITAL_LEVEL_EXTENSION,
  HOSPITAL_LEVEL_SYSTEM,
  HOSPITAL_LEVELS,
  LOCATION_PHYSICAL_TYPE_SYSTEM,
  MCSD_TYPE_SYSTEM,
  ORGANIZATION_TYPE_SYSTEM,
  ROLE_CODE_SYSTEM,
  USCC_SYSTEM,
} from "./codes.ts";
import { type Location, type Organization, referenceTo } from "./resources.ts";

export const PROVINCE_ORGANIZATION_ID = "hebei";
export const PROVINCE_NAME = "河北省";
export const cityOrganizationId = (cityId: string): string => `city-${cityId}`;
const CITY_ORGANIZATION_ID = /^city-([a-z]{2,20})$/;
export const countyOrganizationId = (divisionCode: string): string => `county-${divisionCode}`;
export const hospitalLocationId = (hospitalId: string): string => `loc-${hospitalId}`;

const JURISDICTION_TYPES = [
  { coding: [{ system: ORGANIZATION_TYPE_SYSTEM, code: "govt", display: "Government" }] },
  { coding: [{ system: MCSD_TYPE_SYSTEM, code: "jurisdiction", display: "Jurisdiction" }] },
];
const FACILITY_TYPES = [
  { coding: [{ system: ORGANIZATION_TYPE_SYSTEM, code: "prov", display: "Healthcare Provider" }] },
  { coding: [{ system: MCSD_TYPE_SYSTEM, code: "facility", display: "Facility" }] },
];

function jurisdiction(
  id: string,
  name: string,
  divisionCode: string,
  address: { city?: string; district?: string },
  partOf?: string,
): Organization {
  return {
    resourceType: "Organization",
    id,
    identifier: [{ system: DIVISION_SYSTEM, value: divisionCode }],
    active: true,
    type: JURISDICTION_TYPES,
    name,
    address: [{ state: PROVINCE_NAME, ...address, country: "CN" }],
    ...(partOf ? { partOf: { reference: referenceTo("Organization", partOf) } } : {}),
  };
}

export const provinceOrganization = (): Organization => jurisdiction(PROVINCE_ORGANIZATION_ID, PROVINCE_NAME, "130000", {});

export const cityOrganization = (city: CityProfile): Organization =>
  jurisdiction(cityOrganizationId(city.id), city.nameZh, `${city.adminCode}00`, { city: city.nameZh }, PROVINCE_ORGANIZATION_ID);

/** The city a city jurisdiction (as cityOrganization builds it) stands for, or undefined for any other Organization. */
export function cityOfJurisdiction(org: Pick<Organization, "id" | "name" | "identifier" | "partOf">): CityProfile | undefined {
  const id = CITY_ORGANIZATION_ID.exec(org.id)?.[1];
  const division = org.identifier?.find((i) => i.system === DIVISION_SYSTEM)?.value;
  if (!id || !division || !/^\d{4}00$/.test(division)) return undefined;
  if (org.partOf?.reference !== referenceTo("Organization", PROVINCE_ORGANIZATION_ID)) return undefined;
  return { id, nameZh: org.name, adminCode: division.slice(0, 4) };
}

export const countyOrganization = (city: Pick<CityProfile, "id" | "nameZh">, county: { code: string; nameZh: string }): Organization =>
  jurisdiction(
    countyOrganizationId(county.code),
    county.nameZh,
    county.code,
    { city: city.nameZh, district: county.nameZh },
    cityOrganizationId(city.id),
  );

/** What the registry knows of a hospital (the seed's hospitals carry these, and their staff's ids). */
export interface HospitalFacts {
  id: string;
  cityId: CityId;
  /** GB/T 2260 code of the county-level division the hospital stands in */
  countyCode: string;
  countyName: string;
  name: string;
  level: 2 | 3;
  /** Unified social credit code (GB 32100) */
  uscc: string;
  beds: number;
}

/** A hospital's Organization; `city` is the hospital's city (its name goes in the address). */
export function hospitalOrganization(h: HospitalFacts, city: Pick<CityProfile, "id" | "nameZh">): Organization {
  if (city.id !== h.cityId) throw new Error(`hospital ${h.id} is in ${h.cityId}, not ${city.id}`);
  const level = String(h.level) as keyof typeof HOSPITAL_LEVELS;
  return {
    resourceType: "Organization",
    id: h.id,
    extension: [
      { url: HOSPITAL_LEVEL_EXTENSION, valueCoding: { system: HOSPITAL_LEVEL_SYSTEM, code: level, display: HOSPITAL_LEVELS[level] } },
      { url: HOSPITAL_BEDS_EXTENSION, valueInteger: h.beds },
    ],
    identifier: [{ use: "official", system: USCC_SYSTEM, value: h.uscc }],
    active: true,
    type: FACILITY_TYPES,
    name: h.name,
    address: [{ use: "work", state: PROVINCE_NAME, city: city.nameZh, district: h.countyName, country: "CN" }],
    partOf: { reference: referenceTo("Organization", countyOrganizationId(h.countyCode)) },
  };
}

const hasCoding = (org: { type?: Organization["type"] }, system: string, code: string): boolean =>
  (org.type ?? []).some((t) => t.coding?.some((c) => c.system === system && c.code === code));

/** A hospital: an Organization of type prov (http://terminology.hl7.org/CodeSystem/organization-type). */
export const isHospital = (org: { type?: Organization["type"] }): boolean => hasCoding(org, ORGANIZATION_TYPE_SYSTEM, "prov");

/** The city a hospital belongs to, by the city named in its first address, among the province's `cities`. */
export function cityOfOrganization(
  org: Pick<Organization, "address">,
  cities: readonly Pick<CityProfile, "id" | "nameZh">[],
): CityId | undefined {
  const name = org.address?.[0]?.city;
  return cities.find((c) => c.nameZh === name)?.id;
}

/** The hospital's level and beds, read from its extensions. */
export function hospitalProfile(org: Organization): { level?: 2 | 3; beds?: number } {
  const level = org.extension?.find((e) => e.url === HOSPITAL_LEVEL_EXTENSION)?.valueCoding?.code;
  const beds = org.extension?.find((e) => e.url === HOSPITAL_BEDS_EXTENSION)?.valueInteger;
  return { ...(level === "2" || level === "3" ? { level: Number(level) as 2 | 3 } : {}), ...(beds === undefined ? {} : { beds }) };
}

/** The site of a hospital (mCSD facility Location), managed by the hospital's Organization. */
export function hospitalLocation(org: Organization): Location {
  const address = org.address?.[0];
  return {
    resourceType: "Location",
    id: hospitalLocationId(org.id),
    status: org.active === false ? "inactive" : "active",
    name: org.name,
    mode: "instance",
    type: [
      { coding: [{ system: MCSD_TYPE_SYSTEM, code: "facility", display: "Facility" }] },
      { coding: [{ system: ROLE_CODE_SYSTEM, code: "HOSP", display: "Hospital" }] },
    ],
    ...(address ? { address: { ...address, use: "work" as const } } : {}),
    physicalType: { coding: [{ system: LOCATION_PHYSICAL_TYPE_SYSTEM, code: "si", display: "Site" }] },
    managingOrganization: { reference: referenceTo("Organization", org.id) },
  };
}

/** A facility (mCSD): a hospital, or any Organization typed mCSD facility; it gets a site Location. */
export const isFacility = (org: { type?: Organization["type"] }): boolean =>
  isHospital(org) || hasCoding(org, MCSD_TYPE_SYSTEM, "facility");
