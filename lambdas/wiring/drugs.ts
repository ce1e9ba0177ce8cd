/**
 * Composition of drugs and devices: the hub's drug catalogue (its DrugCatalogue table) and the
 * activity counter its resolutions add to (the dashboard's "drug codes resolved").
 */
import { dynamoActivityCounter } from "#adapters/activity.ts";
import { dynamoDrugCatalogue } from "#adapters/drug-catalogue.ts";
import { dynamoTraceRegistry } from "#adapters/trace-registry.ts";
import { tableName } from "#shared/env.ts";

/** The hub's catalogue, and the count of the cities' resolutions */
export const hubDrugCatalogue = () => ({
  catalogue: dynamoDrugCatalogue(tableName("DrugCatalogue")),
  activity: dynamoActivityCounter(tableName("Activity")),
});

/** The hub's traceability codes: dispenses in force and the alerts of repeated ones */
export const hubTraceRegistry = () => dynamoTraceRegistry(tableName("TraceCodes"));
