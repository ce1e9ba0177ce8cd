/** The hub's check of who acts as whom on its internal API: the facility registry's hospitals, the audit repository. */
import { dynamoAuditRepository } from "#adapters/audit-repository.ts";
import { cachedHospitalCities, dynamoHospitalCities } from "#adapters/facility-store.ts";
import { tableName } from "#shared/env.ts";
import type { SignatureChecks } from "#shared/sqs.ts";
import type { NodeIdentityDeps } from "#use-cases/node-identity.ts";

/** The registry's hospitals and their cities: what signed queue messages are checked against (lambdas/shared/sqs.ts) */
export const messageSignatureChecks = (): SignatureChecks => ({ hospitals: dynamoHospitalCities(tableName("RegistryIndex")) });

/** How long a warm function remembers a hospital's city (a registry correction is seen within it) */
const HOSPITAL_CITY_TTL_MS = 5 * 60_000;

export const nodeIdentityDeps = (): NodeIdentityDeps => ({
  hospitals: cachedHospitalCities(dynamoHospitalCities(tableName("RegistryIndex")), HOSPITAL_CITY_TTL_MS),
  audit: dynamoAuditRepository(tableName("AuditEvents")),
});
