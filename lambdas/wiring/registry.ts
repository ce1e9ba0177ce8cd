/** The hub's registry (Registry and RegistryIndex tables), for the registry, onboarding and authentication handlers. */
import { dynamoAuditRepository } from "#adapters/audit-repository.ts";
import { dynamoFacilityStore } from "#adapters/facility-store.ts";
import { dynamoRegistryStore } from "#adapters/registry-store.ts";
import type { AuditRepository } from "#ports/audit.ts";
import type { FacilityStore, RegistryStore } from "#ports/registry.ts";
import { tableName } from "#shared/env.ts";
import type { RegistrySearchDeps } from "#use-cases/registry/search.ts";
import { pageKeyOfNode } from "./page-tokens.ts";

export const registryStore = (): RegistryStore => dynamoRegistryStore(tableName("Registry"), tableName("RegistryIndex"));

export const facilityStore = (): FacilityStore => dynamoFacilityStore(tableName("RegistryIndex"));

/** The registry's searches, with the audit repository the operator's own searches are recorded in */
export const registrySearchWiring = (): RegistrySearchDeps & { audit: AuditRepository } => ({
  store: registryStore(),
  audit: dynamoAuditRepository(tableName("AuditEvents")),
  pageKey: pageKeyOfNode(),
});

/** The registry's writes, with the audit repository their staff and practitioner decisions are recorded in */
export const registryWriteWiring = (): { store: RegistryStore; auditRepository: AuditRepository } => ({
  store: registryStore(),
  auditRepository: dynamoAuditRepository(tableName("AuditEvents")),
});
