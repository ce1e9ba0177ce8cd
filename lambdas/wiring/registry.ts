/** The hub's registry (Registry and RegistryIndex tables), for the registry, onboarding and authentication handlers. */
import { dynamoFacilityStore } from "#adapters/facility-store.ts";
import { dynamoRegistryStore } from "#adapters/registry-store.ts";
import type { FacilityStore, RegistryStore } from "#ports/registry.ts";
import { tableName } from "#shared/env.ts";

export const registryStore = (): RegistryStore => dynamoRegistryStore(tableName("Registry"), tableName("RegistryIndex"));

export const facilityStore = (): FacilityStore => dynamoFacilityStore(tableName("RegistryIndex"));
