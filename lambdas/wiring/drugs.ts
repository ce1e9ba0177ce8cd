/**
 * Composition of drugs and devices: the hub's drug catalogue (its DrugCatalogue table) and the
 * activity counter its resolutions add to (the dashboard's "drug codes resolved").
 */
import { dynamoActivityCounter } from "#adapters/activity.ts";
import { dynamoAuditRepository } from "#adapters/audit-repository.ts";
import { dynamoImplantIndex, dynamoRecallStore } from "#adapters/device-implants.ts";
import { dynamoDeviceRegistry } from "#adapters/device-registry.ts";
import { dynamoDrugCatalogue } from "#adapters/drug-catalogue.ts";
import { inboxSender } from "#adapters/inbox-sender.ts";
import { sendMessage } from "#adapters/queue-sender.ts";
import { dynamoTraceRegistry } from "#adapters/trace-registry.ts";
import type { DeviceRegistryStore } from "#ports/drugs.ts";
import { EMPI_SYSTEM } from "#schemas/patient.ts";
import { clock } from "#shared/clock.ts";
import { discovery } from "#shared/discovery.ts";
import { nodeEnv, queueUrl, tableName } from "#shared/env.ts";
import { recordHubAccess } from "#use-cases/audit.ts";
import type { SendCatalogueVersion } from "#use-cases/drugs/publish.ts";
import type { RecallDeps } from "#use-cases/drugs/recall.ts";

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

/** Residents named per AuditEvent of a recall (each event is stored once per resident it names: kept small) */
export const RECALL_AUDIT_GROUP = 50;

/** Device recalls: the implants' index, the recalls issued, the hospitals' inboxes, the audit repository */
export function hubRecalls(registry: DeviceRegistryStore): { deps: RecallDeps; auditRepository: ReturnType<typeof dynamoAuditRepository> } {
  const table = tableName("DeviceImplants");
  const auditRepository = dynamoAuditRepository(tableName("AuditEvents"));
  const activity = dynamoActivityCounter(tableName("Activity"));
  const audit: RecallDeps["audit"] = async (empis, access) => {
    for (let i = 0; i === 0 || i < empis.length; i += RECALL_AUDIT_GROUP)
      await recordHubAccess(auditRepository, {
        action: access === "query" ? "R" : "C",
        interaction: access === "query" ? "search" : "operation",
        node: "hub",
        operator: true,
        resource: access === "query" ? "devices/recall" : "Communication",
        patients: empis.slice(i, i + RECALL_AUDIT_GROUP).map((value) => ({ system: EMPI_SYSTEM, value })),
        result: "success",
      });
  };
  return {
    auditRepository,
    deps: {
      implants: dynamoImplantIndex(table),
      recalls: dynamoRecallStore(table),
      registry,
      inbox: inboxSender(discovery(nodeEnv().ssmPrefix)),
      now: () => clock.now(),
      audit,
      countRecall: () => activity.add("deviceRecalls", clock.now()),
    },
  };
}
