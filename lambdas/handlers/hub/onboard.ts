/**
 * POST /hospitals (operator): onboard a hospital.
 * Input: the hospital's FHIR Organization (type prov, partOf its county, its credit code).
 * Output: 201 with the stored Organization, its site Location and its first credential (shown once).
 * Primary course: validate, store the Organization through the registry (which checks the credit
 * code and the partOf chain), then issue the credential. A hospital that already has a working
 * credential is not onboarded twice (409: rotate instead).
 */
import type { APIGatewayProxyEvent } from "aws-lambda";
import type { CredentialStore } from "#adapters/credential-store.ts";
import { dynamoRegistryStore } from "#adapters/registry-store.ts";
import { BadRequestError, ConflictError } from "#domain/errors.ts";
import { isHospital } from "#domain/registry/organizations.ts";
import { PROVINCE } from "#lib/config/province.ts";
import { organizationSchema } from "#schemas/registry.ts";
import { tableName } from "#shared/env.ts";
import { type HttpResult, parseJsonBody } from "#shared/http.ts";
import { issueHospitalCredential } from "#use-cases/credentials.ts";
import { createOrganization } from "#use-cases/registry/facilities.ts";
import type { ApiKeys } from "../../ports/api-keys.ts";

const registry = dynamoRegistryStore(tableName("Registry"), tableName("RegistryIndex"));

export async function onboardHospital(credentials: CredentialStore, event: APIGatewayProxyEvent, apiKeys: ApiKeys): Promise<HttpResult> {
  const organization = parseJsonBody(event, organizationSchema);
  if (!organization.id || !/^[a-z0-9][a-z0-9-]{1,30}$/.test(organization.id)) {
    throw new BadRequestError("id: a hospital id is required, lower-case letters, digits and hyphens (e.g. bd073)", "id");
  }
  if (!isHospital(organization))
    throw new BadRequestError(
      "type: a hospital is an Organization of type prov (http://terminology.hl7.org/CodeSystem/organization-type)",
      "type",
    );
  const county = /^Organization\/county-(\d{6})$/.exec(organization.partOf?.reference ?? "")?.[1];
  const city = county ? PROVINCE.cities.find((c) => county.startsWith(c.adminCode)) : undefined;
  if (!county || !city)
    throw new BadRequestError("partOf: a hospital is partOf its county, Organization/county-<6-digit Hebei division code>", "partOf");
  const existing = (await credentials.listByHospital(organization.id)).filter((c) => c.status === "active");
  if (existing.length > 0) throw new ConflictError(`Hospital ${organization.id} is already onboarded; rotate its credential instead`);
  const stored = await createOrganization(registry, organization);
  const credential = await issueHospitalCredential(credentials, { hospitalId: organization.id, cityId: city.id }, new Date());
  await apiKeys.issue({ hospitalId: organization.id, cityId: city.id });
  return {
    statusCode: 201,
    body: { ...credential, cityId: city.id, organization: stored.resource, location: stored.location },
    headers: { "content-type": "application/json", location: `Organization/${organization.id}` },
  };
}
