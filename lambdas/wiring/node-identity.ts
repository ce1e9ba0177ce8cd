/** The hub's check of who acts as whom on its internal API: the facility registry's hospitals, the audit repository. */
import { dynamoAuditRepository } from "#adapters/audit-repository.ts";
import { dynamoHospitalCities } from "#adapters/facility-store.ts";
import { tableName } from "#shared/env.ts";
import type { NodeIdentityDeps } from "#use-cases/node-identity.ts";

export const nodeIdentityDeps = (): NodeIdentityDeps => ({
  hospitals: dynamoHospitalCities(tableName("RegistryIndex")),
  audit: dynamoAuditRepository(tableName("AuditEvents")),
});
