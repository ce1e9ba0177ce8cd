/**
 * Clinical documents and encounters (IHE MHD publish, find, retrieve; the hub's record locator and
 * EHR timeline), spread into hub.ts and city.ts. docs/documents.md describes the endpoints and the design.
 */
import { CITY_CALLS, HUB_CALLS } from "./calls.ts";
import type { DeclarationPart, FunctionDeclaration } from "./types.ts";

const cityFunction = (
  fn: Omit<FunctionDeclaration, "memoryMb" | "timeoutSeconds"> & Partial<FunctionDeclaration>,
): FunctionDeclaration => ({
  timeoutSeconds: 30,
  memoryMb: 1024,
  ...fn,
});

export const DOCUMENTS: DeclarationPart = {
  hubStack: "exchange",
  hubTables: [
    {
      id: "RecordLocator",
      partitionKey: "empi",
      sortKey: "entry",
      description: "Record locator and EHR timeline: per resident, each document and encounter of every city at its highest revision",
    },
  ],
  hubFunctions: [
    {
      id: "RecordLocator",
      entry: "lambdas/handlers/hub/record-locator.ts",
      description: "Internal: a resident's documents and encounters from the record locator",
      timeoutSeconds: 15,
      memoryMb: 512,
      tables: { RecordLocator: "read" },
    },
  ],
  hubInternalRoutes: [{ method: "GET", path: "/internal/record-locator/{empi}", function: "RecordLocator" }],
  cityTables: [
    {
      id: "DocumentIndex",
      partitionKey: "pk",
      sortKey: "sk",
      description: "This city's documents and encounters (versioned records), per resident listings, and upload grants",
    },
  ],
  cityFunctions: [
    cityFunction({
      id: "DocumentPublish",
      entry: "lambdas/handlers/city/document-publish.ts",
      description: "MHD publish (ITI-65), upload URLs and withdrawals; recorded, then exchanged through the outbox; audited",
      timeoutSeconds: 60,
      tables: { DocumentIndex: "readWrite", Outbox: "readWrite", AuditLog: "readWrite" },
      buckets: { Documents: "readWrite" },
      discovery: ["invoke-hub-internal-api", "send-hub-exchange", "send-hub-audit"],
      calls: [HUB_CALLS.practitionerCheck, HUB_CALLS.pix],
    }),
    cityFunction({
      id: "DocumentQuery",
      entry: "lambdas/handlers/city/document-query.ts",
      description: "MHD find and retrieve (ITI-67/68), encounters and $everything from the whole province; audited",
      tables: { DocumentIndex: "read", AuditLog: "readWrite" },
      buckets: { Documents: "read" },
      discovery: ["invoke-hub-internal-api", "invoke-city-internal-api", "send-hub-audit"],
      calls: [
        HUB_CALLS.practitionerCheck,
        HUB_CALLS.pix,
        HUB_CALLS.recordLocator,
        HUB_CALLS.privacyContext,
        CITY_CALLS.binaryLocation,
        CITY_CALLS.encounterSubject,
      ],
    }),
    cityFunction({
      id: "EncounterRecord",
      entry: "lambdas/handlers/city/encounter-record.ts",
      description: "Encounters for the EHR timeline, recorded, then exchanged through the outbox; audited",
      timeoutSeconds: 15,
      memoryMb: 256,
      tables: { DocumentIndex: "readWrite", Outbox: "readWrite", AuditLog: "readWrite" },
      discovery: ["invoke-hub-internal-api", "send-hub-exchange", "send-hub-audit"],
      calls: [HUB_CALLS.practitionerCheck, HUB_CALLS.pix, HUB_CALLS.caseExpectations],
    }),
    cityFunction({
      id: "DocumentLocation",
      entry: "lambdas/handlers/city/document-location.ts",
      description:
        "Internal: a presigned URL of a document this city stores, and the resident of an encounter it stores, for the other cities",
      timeoutSeconds: 10,
      memoryMb: 256,
      tables: { DocumentIndex: "read" },
      buckets: { Documents: "read" },
    }),
  ],
  cityRoutes: [
    { method: "POST", path: "/fhir", function: "DocumentPublish" },
    { method: "POST", path: "/fhir/Binary/$upload-url", function: "DocumentPublish" },
    { method: "PUT", path: "/fhir/DocumentReference/{id}", function: "DocumentPublish" },
    { method: "GET", path: "/fhir/DocumentReference", function: "DocumentQuery" },
    { method: "GET", path: "/fhir/DocumentReference/{id}", function: "DocumentQuery" },
    { method: "GET", path: "/fhir/Binary/{id}", function: "DocumentQuery" },
    { method: "GET", path: "/fhir/Encounter", function: "DocumentQuery" },
    { method: "GET", path: "/fhir/Encounter/{id}", function: "DocumentQuery" },
    { method: "GET", path: "/fhir/Patient/{id}/$everything", function: "DocumentQuery" },
    { method: "POST", path: "/fhir/Encounter", function: "EncounterRecord" },
    { method: "GET", path: "/internal/fhir/Binary/{id}", function: "DocumentLocation", auth: { kind: "iam" } },
    { method: "GET", path: "/internal/fhir/Encounter/{id}", function: "DocumentLocation", auth: { kind: "iam" } },
  ],
};
