/**
 * Push down: subscriptions at the hub, the Notify queue of new clinical resources, and each city's
 * FEP inbox, spread into hub.ts and city.ts. docs/push.md describes the endpoints.
 */
import { HUB_CALLS, NODE_IDENTITY_TABLES, RELATIONSHIP_TABLES } from "./calls.ts";
import { MPI_HUB_TABLES } from "./mpi.ts";
import type { DeclarationPart } from "./types.ts";

const MPI_READ = Object.fromEntries(MPI_HUB_TABLES.map((t) => [t.id, "read" as const]));

export const PUSH: DeclarationPart = {
  hubStack: "exchange",
  hubTables: [
    {
      id: "Subscriptions",
      partitionKey: "key",
      sortKey: "subscriptionId",
      description: "Hospitals' Subscriptions (hospital#<id>) and their match entries (empi#<empi>, admitted#<hospitalId>)",
    },
    {
      id: "Admissions",
      partitionKey: "empi",
      sortKey: "encounterKey",
      description: "Latest status of each resident's encounters per hospital, from the Notify queue (who is admitted where)",
    },
  ],
  hubQueues: [
    {
      id: "Notify",
      fifo: false,
      visibilityTimeoutSeconds: 180,
      maxReceiveCount: 5,
      retentionDays: 14,
      description: "New documents and encounters recorded at the hub, to be matched against subscriptions",
    },
  ],
  hubFunctions: [
    {
      id: "Subscriptions",
      entry: "lambdas/handlers/hub/subscriptions.ts",
      description: "Internal: a hospital's Subscriptions (create, read, delete), patients resolved at the MPI",
      timeoutSeconds: 15,
      memoryMb: 512,
      // RecordLocator and HealthCards: the encounters and registrations by card that make a treatment relationship (with the MPI's feeds)
      tables: { Subscriptions: "readWrite", ...RELATIONSHIP_TABLES, ...MPI_READ, ...NODE_IDENTITY_TABLES },
      // its page tokens are sealed for the hospital and the query (docs/fhir-clients.md#paging)
      discovery: ["seal-page-tokens"],
    },
    {
      id: "SubscriptionMatcher",
      entry: "lambdas/handlers/hub/subscription-matcher.ts",
      description:
        "Matches new documents and encounters against subscriptions and delivers Communications to FEP inboxes; lapses a subscription whose treatment relationship is gone",
      timeoutSeconds: 30,
      memoryMb: 512,
      // readWrite on Subscriptions: a lapsed subscription is switched off and its match entry deleted;
      // RecordLocator and HealthCards: the encounters and registrations by card that keep a treatment relationship (with the MPI's feeds)
      tables: { Subscriptions: "readWrite", Admissions: "readWrite", ...RELATIONSHIP_TABLES, ...MPI_READ },
      discovery: ["send-city-push"],
      trigger: { kind: "queue", queue: "Notify", batchSize: 10, maxBatchingWindowSeconds: 1 },
    },
  ],
  hubInternalRoutes: [
    { method: "POST", path: "/internal/fhir/Subscription", function: "Subscriptions" },
    { method: "GET", path: "/internal/fhir/Subscription", function: "Subscriptions" },
    { method: "GET", path: "/internal/fhir/Subscription/{id}", function: "Subscriptions" },
    { method: "DELETE", path: "/internal/fhir/Subscription/{id}", function: "Subscriptions" },
  ],
  cityTables: [
    {
      id: "Inbox",
      partitionKey: "hospitalId",
      sortKey: "communicationId",
      description:
        "FEP inboxes: Communications pushed to each hospital until acknowledged (acked#<hospitalId>: tombstones), bounded retention",
    },
  ],
  cityFunctions: [
    {
      id: "FepInbox",
      entry: "lambdas/handlers/city/fep-inbox.ts",
      description: "A hospital's FEP inbox: long-poll of Communications (audited when it hands some over), acknowledgements",
      // a long poll waits up to 20 s; API Gateway answers within 29 s
      timeoutSeconds: 28,
      memoryMb: 256,
      tables: { Inbox: "readWrite", AuditLog: "readWrite" },
      discovery: ["invoke-hub-internal-api", "send-hub-audit"],
      calls: [HUB_CALLS.practitionerCheck],
    },
    {
      id: "InboxSweeper",
      entry: "lambdas/handlers/city/inbox-sweeper.ts",
      description: "Deletes inbox items and tombstones past their retention",
      timeoutSeconds: 300,
      memoryMb: 256,
      tables: { Inbox: "readWrite" },
      trigger: { kind: "schedule", everyMinutes: 60 },
    },
    {
      id: "SubscriptionProxy",
      entry: "lambdas/handlers/city/subscription-proxy.ts",
      description: "A hospital's Subscriptions, kept at the hub through its internal API; creation audited when it names a patient",
      timeoutSeconds: 15,
      memoryMb: 256,
      tables: { AuditLog: "readWrite" },
      discovery: ["invoke-hub-internal-api", "send-hub-audit"],
      calls: [HUB_CALLS.practitionerCheck, ...HUB_CALLS.subscriptions],
    },
  ],
  cityRoutes: [
    { method: "GET", path: "/fep/inbox", function: "FepInbox" },
    { method: "POST", path: "/fep/inbox/{communicationId}/ack", function: "FepInbox" },
    { method: "GET", path: "/fhir/Communication/{id}", function: "FepInbox" },
    { method: "POST", path: "/fhir/Subscription", function: "SubscriptionProxy" },
    { method: "GET", path: "/fhir/Subscription", function: "SubscriptionProxy" },
    { method: "GET", path: "/fhir/Subscription/{id}", function: "SubscriptionProxy" },
    { method: "DELETE", path: "/fhir/Subscription/{id}", function: "SubscriptionProxy" },
  ],
};
