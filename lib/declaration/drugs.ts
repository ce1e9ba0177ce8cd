/**
 * Drugs and devices (docs/drugs-devices.md): the hub's drug catalogue, resolved from every city;
 * the cities' UDI parsing. Spread into hub.ts and city.ts; held by the hub's settlement stack, beside
 * the insurance flow the catalogue serves.
 */
import { HUB_CALLS, NODE_IDENTITY_TABLES } from "./calls.ts";
import type { DeclarationPart } from "./types.ts";

/**
 * The implants' index, in the hub's exchange stack: the exchange consumer writes it as encounters
 * arrive, and the later settlement stack's DeviceRegistry reads it for recalls (a later stack may use
 * an earlier one's tables, never the reverse).
 */
export const DEVICE_IMPLANTS: DeclarationPart = {
  hubStack: "exchange",
  hubTables: [
    {
      id: "DeviceImplants",
      partitionKey: "pk",
      sortKey: "sk",
      description: "Implanted devices by UDI-DI (sharded) and lot, with resident, hospital and encounter; the device recalls issued",
    },
  ],
};

export const DRUGS: DeclarationPart = {
  hubStack: "settlement",
  hubTables: [
    {
      id: "TraceCodes",
      partitionKey: "pk",
      sortKey: "sk",
      description: "Traceability codes: the dispense in force per code, and the alerts of repeated dispenses",
    },
    {
      id: "DeviceRegistry",
      partitionKey: "di",
      description: "The DeviceDefinition registry: each device type under its UDI-DI",
    },
    {
      id: "DrugCatalogue",
      partitionKey: "code",
      description: "The drug catalogue: each drug under every code it carries (national, insurance, GTIN), with its version",
    },
  ],
  hubQueues: [
    {
      id: "DrugCatalogueVersions",
      fifo: false,
      visibilityTimeoutSeconds: 180,
      maxReceiveCount: 5,
      retentionDays: 14,
      description: "Each drug catalogue version, in parts, to the insurance platform's own copy",
    },
  ],
  hubFunctions: [
    {
      id: "TraceRegistry",
      entry: "lambdas/handlers/hub/trace-registry.ts",
      description: "Traceability codes: each dispense in force, a repeat anywhere flagged to the operator, a return releasing it",
      timeoutSeconds: 10,
      memoryMb: 256,
      tables: { TraceCodes: "readWrite", ...NODE_IDENTITY_TABLES },
    },
    {
      id: "DeviceRegistry",
      entry: "lambdas/handlers/hub/device-registry.ts",
      description: "The DeviceDefinition registry by UDI-DI: the operator's import, the cities' reads for their hospitals' UDIs",
      timeoutSeconds: 30,
      memoryMb: 256,
      // DeviceImplants: the recall's residents and the recalls issued; AuditEvents: the recall reads patient data
      tables: { DeviceRegistry: "readWrite", DeviceImplants: "readWrite", AuditEvents: "write", Activity: "write" },
      discovery: ["send-city-push"],
    },
    {
      id: "DrugCatalogue",
      entry: "lambdas/handlers/hub/drug-catalogue.ts",
      description:
        "Resolves any of a drug's codes to its catalogue entry (MedicationKnowledge); the operator's daily delta and change list",
      timeoutSeconds: 60,
      memoryMb: 512,
      tables: { DrugCatalogue: "readWrite", Activity: "write" },
      sendsTo: ["DrugCatalogueVersions"],
      discovery: ["seal-page-tokens"],
    },
  ],
  hubOperatorRoutes: [
    { method: "POST", path: "/devices/import", function: "DeviceRegistry" },
    { method: "GET", path: "/fhir/MedicationKnowledge", function: "DrugCatalogue" },
    { method: "POST", path: "/drugs/import", function: "DrugCatalogue" },
    { method: "GET", path: "/drugs/trace-alerts", function: "TraceRegistry" },
    { method: "GET", path: "/devices/recall", function: "DeviceRegistry" },
    { method: "POST", path: "/devices/recall", function: "DeviceRegistry" },
  ],
  hubInternalRoutes: [
    { method: "GET", path: "/internal/fhir/MedicationKnowledge", function: "DrugCatalogue" },
    { method: "POST", path: "/internal/drugs/trace-scan", function: "TraceRegistry" },
    { method: "POST", path: "/internal/drugs/trace-check", function: "TraceRegistry" },
    { method: "GET", path: "/internal/devices/definition", function: "DeviceRegistry" },
  ],
  cityFunctions: [
    {
      id: "DrugsDevices",
      entry: "lambdas/handlers/city/drugs-devices.ts",
      description: "Drug code resolution through the hub's catalogue, and UDI parsing; a refused practitioner is audited",
      timeoutSeconds: 10,
      memoryMb: 256,
      tables: { AuditLog: "readWrite" },
      discovery: ["invoke-hub-internal-api", "send-hub-audit"],
      calls: [HUB_CALLS.practitionerCheck, HUB_CALLS.drugCatalogue, HUB_CALLS.traceScan, HUB_CALLS.deviceDefinition],
    },
  ],
  cityRoutes: [
    { method: "GET", path: "/fhir/MedicationKnowledge", function: "DrugsDevices" },
    { method: "POST", path: "/fhir/Device/$parse-udi", function: "DrugsDevices" },
    { method: "POST", path: "/fhir/$trace-scan", function: "DrugsDevices" },
  ],
};
