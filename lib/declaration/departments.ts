/**
 * The department exchange (issue 16, docs/departments.md), spread into hub.ts through parts.ts: the
 * provincial departments' edge at the hub. Its outbox (DepartmentOutbox) and delivery queue carry
 * outbound messages to each department's endpoint; DepartmentExchange holds access requests and the
 * inbound messages answered; Evidence is the evidence log (its key, archive bucket and alarm:
 * lib/constructs/evidence-archive.ts); the member authorizer admits the departments' credentials. In the core
 * stack: the routes need an authorizer of their own, and the core creates the APIs' authorizers.
 */
import { MPI_HUB_TABLES } from "./mpi.ts";
import type { DeclarationPart, FunctionDeclaration } from "./types.ts";

/**
 * What a hub function that sends through `DepartmentExchange` (ports/departments.ts, wired by
 * lambdas/wiring/departments.ts `departmentExchange()`) is granted: spread into its declaration.
 */
export const DEPARTMENT_EXCHANGE_GRANTS = {
  tables: { DepartmentOutbox: "readWrite", DepartmentExchange: "read" },
  sendsTo: ["DepartmentDelivery"],
} as const satisfies Pick<FunctionDeclaration, "tables" | "sendsTo">;

/** The evidence log's functions: the sealer signs (and writes the archive), the reader reads the public key (docs/departments.md#evidence-log) */
export const EVIDENCE_SEALER = "EvidenceSealer";
export const EVIDENCE_READER = "EvidenceReader";

export const DEPARTMENTS: DeclarationPart = {
  hubStack: "core",
  hubTables: [
    {
      id: "DepartmentOutbox",
      partitionKey: "messageId",
      description: "Department messages owed, one per message and department (`<messageId>|<member>`), until the department answers",
    },
    {
      id: "DepartmentExchange",
      partitionKey: "pk",
      sortKey: "sk",
      description: "Access requests to conditional services and their decisions; inbound messages applied and their answers",
    },
    {
      id: "Evidence",
      partitionKey: "pk",
      sortKey: "sk",
      description: "The evidence log: every message in and out (hashes, parties, service, times), pending then chained into signed batches",
    },
  ],
  hubQueues: [
    {
      id: "DepartmentDelivery",
      fifo: false,
      visibilityTimeoutSeconds: 120,
      maxReceiveCount: 5,
      retentionDays: 14,
      description: "Outbound department messages, one per department, to its endpoint",
    },
    {
      id: "ResidentEvents",
      fifo: false,
      visibilityTimeoutSeconds: 180,
      maxReceiveCount: 5,
      retentionDays: 14,
      description: "Residents' vital changes (a death marked or retracted in the MPI), whose consumer runs the cascade",
    },
  ],
  hubFunctions: [
    {
      id: "MemberAuthorizer",
      entry: "lambdas/handlers/hub/member-authorizer.ts",
      description: "Admits the provincial departments' member credentials and the operator's",
      timeoutSeconds: 10,
      memoryMb: 256,
      tables: { Credentials: "read" },
    },
    {
      id: "DepartmentCatalogue",
      entry: "lambdas/handlers/hub/department-exchange.ts",
      description: "The department exchange's members, service catalogue, access requests and deaths' reconciliation, audited",
      timeoutSeconds: 15,
      memoryMb: 256,
      tables: { DepartmentExchange: "readWrite", AuditEvents: "write" },
    },
    {
      id: "DepartmentSweeper",
      entry: "lambdas/handlers/hub/department-sweeper.ts",
      description: "Re-enqueues department messages still owed (bounded retries)",
      timeoutSeconds: 60,
      memoryMb: 256,
      ...DEPARTMENT_EXCHANGE_GRANTS,
      trigger: { kind: "schedule", everyMinutes: 1 },
    },
    {
      id: "DepartmentMessages",
      entry: "lambdas/handlers/hub/department-messages.ts",
      description: "Inbound department messages (household deaths and registrations, their voids), applied once each, audited",
      timeoutSeconds: 20,
      memoryMb: 1024,
      // the MPI, read: a household death's resident by resident ID number, a registered newborn's EMPI; the
      // newborn's number goes to the MPI's own function (ResidentIdRegistrations), which re-places its record
      tables: {
        DepartmentExchange: "readWrite",
        ...Object.fromEntries(MPI_HUB_TABLES.map((t) => [t.id, "read" as const])),
        AuditEvents: "write",
        Evidence: "readWrite",
      },
      sendsTo: ["ResidentEvents", "ResidentIdRegistrations"],
    },
    {
      id: EVIDENCE_SEALER,
      entry: "lambdas/handlers/hub/evidence-sealer.ts",
      description: "Seals the evidence log's pending entries into hash-chained batches, signs each head, archives them",
      timeoutSeconds: 60,
      memoryMb: 512,
      // signs with the evidence key and writes the archive bucket: granted by lib/constructs/evidence-archive.ts
      tables: { Evidence: "readWrite" },
      trigger: { kind: "schedule", everyMinutes: 1 },
    },
    {
      id: EVIDENCE_READER,
      entry: "lambdas/handlers/hub/evidence.ts",
      description: "The evidence of a message (operator, its parties) and the sealed batches to verify, audited",
      timeoutSeconds: 30,
      memoryMb: 512,
      // the evidence key's public half: granted by lib/constructs/evidence-archive.ts
      tables: { Evidence: "read", AuditEvents: "write" },
    },
  ],
  hubOperatorRoutes: [
    { method: "POST", path: "/xchg/messages", function: "DepartmentMessages", auth: { kind: "lambda", authorizer: "MemberAuthorizer" } },
    { method: "GET", path: "/xchg/services", function: "DepartmentCatalogue", auth: { kind: "lambda", authorizer: "MemberAuthorizer" } },
    {
      method: "GET",
      path: "/xchg/services/{serviceId}/allowed",
      function: "DepartmentCatalogue",
      auth: { kind: "lambda", authorizer: "MemberAuthorizer" },
    },
    {
      method: "POST",
      path: "/xchg/access-requests",
      function: "DepartmentCatalogue",
      auth: { kind: "lambda", authorizer: "MemberAuthorizer" },
    },
    { method: "GET", path: "/xchg/access-requests", function: "DepartmentCatalogue" },
    {
      method: "GET",
      path: "/xchg/evidence/{messageId}",
      function: EVIDENCE_READER,
      auth: { kind: "lambda", authorizer: "MemberAuthorizer" },
    },
    { method: "GET", path: "/xchg/evidence", function: EVIDENCE_READER },
    { method: "GET", path: "/xchg/reconciliation", function: "DepartmentCatalogue" },
    { method: "POST", path: "/xchg/access-requests/{id}/decision", function: "DepartmentCatalogue" },
  ],
};

/**
 * The department exchange's consumers that act on the capabilities of the Exchange stack (the health
 * card, subscriptions, telemedicine, public health), in that stack: a stack may use what the stacks
 * deployed before it hold (core's queues and tables), never what comes after (docs/departments.md,
 * "Where each part lives"). The queues they consume are core's.
 */
export const DEPARTMENT_LISTENERS: DeclarationPart = {
  hubStack: "exchange",
  hubFunctions: [
    {
      id: "DepartmentDelivery",
      entry: "lambdas/handlers/hub/department-delivery.ts",
      description: "Delivers department messages to each department's endpoint and hands its answer to the sender's sink",
      timeoutSeconds: 20,
      memoryMb: 256,
      // CaseReports: disease control's answer to a case report (the public-health sink)
      tables: { DepartmentOutbox: "readWrite", Evidence: "readWrite", CaseReports: "readWrite" },
      discovery: ["read-department-endpoints"],
      trigger: { kind: "queue", queue: "DepartmentDelivery", batchSize: 10, maxBatchingWindowSeconds: 1 },
    },
    {
      id: "ResidentVitalEvents",
      entry: "lambdas/handlers/hub/resident-events.ts",
      description: "A death's cascade: the death-notification to the departments, and each capability's listener",
      timeoutSeconds: 30,
      memoryMb: 256,
      ...DEPARTMENT_EXCHANGE_GRANTS,
      // the listeners (lambdas/wiring/department-listeners.ts): the resident's health cards (found through the
      // MPI's records), subscriptions and open telemedicine Tasks, each party told in its FEP inbox
      tables: {
        ...DEPARTMENT_EXCHANGE_GRANTS.tables,
        HealthCards: "readWrite",
        Subscriptions: "readWrite",
        Telemedicine: "readWrite",
        ...Object.fromEntries(MPI_HUB_TABLES.map((t) => [t.id, "read" as const])),
        Registry: "read",
        RegistryIndex: "read",
        RecordLocator: "read",
      },
      discovery: ["send-city-push"],
      trigger: { kind: "queue", queue: "ResidentEvents", batchSize: 10, maxBatchingWindowSeconds: 1 },
    },
  ],
};
