/**
 * Composition of drugs and devices: the hub's drug catalogue (its DrugCatalogue table) and the
 * activity counter its resolutions add to (the dashboard's "drug codes resolved").
 */
import { dynamoActivityCounter } from "#adapters/activity.ts";
import { dynamoDeviceRegistry } from "#adapters/device-registry.ts";
import { dynamoDrugCatalogue } from "#adapters/drug-catalogue.ts";
import { sendMessage } from "#adapters/queue-sender.ts";
import { dynamoTraceRegistry } from "#adapters/trace-registry.ts";
import { queueUrl, tableName } from "#shared/env.ts";
import type { SendCatalogueVersion } from "#use-cases/drugs/publish.ts";

/** The hub's catalogue, the count of the cities' resolutions, and the insurance platform's queue of its versions */
export const hubDrugCatalogue = () => {
  const versions = queueUrl("DrugCatalogueVersions");
  const send: SendCatalogueVersion = (message) => sendMessage(versions, message);
  return { catalogue: dynamoDrugCatalogue(tableName("DrugCatalogue")), activity: dynamoActivityCounter(tableName("Activity")), send };
};

/** The hub's traceability codes: dispenses in force and the alerts of repeated ones */
export const hubTraceRegistry = () => dynamoTraceRegistry(tableName("TraceCodes"));

/** The hub's DeviceDefinition registry */
export const hubDeviceRegistry = () => dynamoDeviceRegistry(tableName("DeviceRegistry"));
