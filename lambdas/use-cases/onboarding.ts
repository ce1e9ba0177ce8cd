/**
 * Onboard a hospital (POST /hospitals, operator).
 * Input: the hospital's FHIR Organization (type prov, partOf its county, its credit code) and the hub's clock.
 * Output: the stored Organization, its site Location, its city and its first credential (shown once).
 * Primary course: check the id, the type and the county (which names the city), refuse a hospital that
 * already has a working credential (409: rotate instead), store the Organization through the registry
 * (which checks the credit code and the partOf chain), then issue the credential.
 */
import { BadRequestError, ConflictError } from "#domain/errors.ts";
import { isHospital } from "#domain/registry/organizations.ts";
import type { Location, Organization } from "#domain/registry/resources.ts";
import type { CityDirectory } from "#ports/province.ts";
import type { RegistryStore } from "#ports/registry.ts";
import type { OrganizationInput } from "#schemas/registry.ts";
import { type CredentialDeps, type IssuedHospitalCredential, issueHospitalCredential } from "./credentials.ts";
import { createOrganization } from "./registry/facilities.ts";

export interface OnboardingDeps extends CredentialDeps {
  registry: RegistryStore;
  cities: CityDirectory;
}

export interface OnboardedHospital extends IssuedHospitalCredential {
  cityId: string;
  organization: Organization;
  location: Location | undefined;
}

const HOSPITAL_ID = /^[a-z0-9][a-z0-9-]{1,30}$/;

export async function onboardHospital(deps: OnboardingDeps, organization: OrganizationInput, now: Date): Promise<OnboardedHospital> {
  const hospitalId = organization.id;
  if (!hospitalId || !HOSPITAL_ID.test(hospitalId)) {
    throw new BadRequestError("id: a hospital id is required, lower-case letters, digits and hyphens (e.g. bd073)", "id");
  }
  if (!isHospital(organization))
    throw new BadRequestError(
      "type: a hospital is an Organization of type prov (http://terminology.hl7.org/CodeSystem/organization-type)",
      "type",
    );
  const county = /^Organization\/county-(\d{6})$/.exec(organization.partOf?.reference ?? "")?.[1];
  const city = county ? (await deps.cities.list()).find((c) => county.startsWith(c.adminCode)) : undefined;
  if (!county || !city)
    throw new BadRequestError("partOf: a hospital is partOf its county, Organization/county-<6-digit Hebei division code>", "partOf");
  const existing = (await deps.credentials.listByHospital(hospitalId)).filter((c) => c.status === "active");
  if (existing.length > 0) throw new ConflictError(`Hospital ${hospitalId} is already onboarded; rotate its credential instead`, "id");
  const stored = await createOrganization(deps.registry, organization);
  const credential = await issueHospitalCredential(deps, { hospitalId, cityId: city.cityId }, now);
  return { ...credential, cityId: city.cityId, organization: stored.resource, location: stored.location };
}
