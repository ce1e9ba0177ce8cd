import { UPLOAD_EXPIRY_DAYS, UPLOAD_PREFIX } from "#schemas/documents.ts";
import { HUB_CALLS } from "./calls.ts";
import { COMMON_FUNCTIONS, registryReadRoutes, staffWriteRoutes } from "./hub.ts";
import { MPI_CITY_FUNCTIONS, MPI_CITY_ROUTES } from "./mpi.ts";
import { fromParts } from "./parts.ts";
import { documentArchiveRules } from "./retention.ts";
import type { NodeDeclaration } from "./types.ts";

/** A city node: the hospital-facing API, the document store, the outboxes and the push queue. */
export const CITY_DECLARATION: NodeDeclaration = {
  kind: "city",
  tables: [
    { id: "Outbox", partitionKey: "messageId", description: "Exchange messages recorded before the 2xx, until the hub acknowledges them" },
    {
      id: "AuditLog",
      partitionKey: "messageId",
      description: "Audit events of this node, recorded before the answer, until the hub's audit repository acknowledges them",
    },
    ...fromParts("cityTables"),
  ],
  queues: [
    {
      id: "Push",
      fifo: false,
      visibilityTimeoutSeconds: 180,
      maxReceiveCount: 5,
      retentionDays: 14,
      description: "Messages the hub pushes to this city",
    },
    ...fromParts("cityQueues"),
  ],
  buckets: [
    {
      id: "Documents",
      description: "Clinical documents of this city's hospitals",
      // uploads nobody published (published bytes are copied to docs/<class>/<sha256>)
      expire: [{ prefix: UPLOAD_PREFIX, days: UPLOAD_EXPIRY_DAYS }],
      // published bytes: cheaper storage as they age, kept for their record's legal period (retention.ts)
      archive: documentArchiveRules(),
    },
    ...fromParts("cityBuckets"),
  ],
  functions: [
    { ...COMMON_FUNCTIONS.health },
    { ...COMMON_FUNCTIONS.metadata },
    {
      id: "HospitalAuthorizer",
      entry: "lambdas/handlers/city/hospital-authorizer.ts",
      description: "Admits a hospital of this city by its credential (verified by the hub)",
      timeoutSeconds: 10,
      memoryMb: 256,
      discovery: ["invoke-hub-internal-api"],
      calls: [HUB_CALLS.authenticate],
    },
    {
      id: "FepHeartbeat",
      entry: "lambdas/handlers/city/fep-heartbeat.ts",
      description: "Records a front-end processor heartbeat and forwards it to the hub; a refused practitioner is audited",
      timeoutSeconds: 10,
      memoryMb: 256,
      tables: { Outbox: "readWrite", AuditLog: "readWrite" },
      discovery: ["send-hub-exchange", "invoke-hub-internal-api", "send-hub-audit"],
      calls: [HUB_CALLS.practitionerCheck],
    },
    {
      id: "RegistryProxy",
      entry: "lambdas/handlers/city/registry-proxy.ts",
      description: "Registry searches, and a hospital's own staff, through the hub's internal API; a refused practitioner is audited",
      timeoutSeconds: 15,
      memoryMb: 256,
      tables: { AuditLog: "readWrite" },
      discovery: ["invoke-hub-internal-api", "send-hub-audit"],
      calls: [HUB_CALLS.practitionerCheck, ...HUB_CALLS.registryReads, ...HUB_CALLS.staffWrites],
    },
    {
      id: "PushConsumer",
      entry: "lambdas/handlers/city/push-consumer.ts",
      description: "Applies messages the hub pushes to this city (acknowledgements, FEP inbox deliveries)",
      timeoutSeconds: 30,
      memoryMb: 256,
      tables: { Outbox: "readWrite", AuditLog: "readWrite", Inbox: "readWrite" },
      trigger: { kind: "queue", queue: "Push", batchSize: 10, maxBatchingWindowSeconds: 1 },
    },
    {
      id: "OutboxSweeper",
      entry: "lambdas/handlers/city/outbox-sweeper.ts",
      description: "Re-sends exchange messages and audit events the hub has not acknowledged",
      timeoutSeconds: 60,
      memoryMb: 256,
      tables: { Outbox: "readWrite", AuditLog: "readWrite" },
      discovery: ["send-hub-exchange", "send-hub-audit"],
      trigger: { kind: "schedule", everyMinutes: 1 },
    },
    ...MPI_CITY_FUNCTIONS,
    ...fromParts("cityFunctions"),
  ],
  apis: [
    {
      id: "Hospital",
      description: "The API hospital front-end processors call",
      defaultAuth: { kind: "lambda", authorizer: "HospitalAuthorizer" },
      throttle: { rateLimit: 20, burstLimit: 40 },
      // GET /fhir/Binary/{id} answers a document's exact bytes, whatever their type
      binaryMediaTypes: ["*/*"],
      // each hospital's API key, named by the authorizer: the usage plan throttles hospitals one by one (ADR 3)
      callerKeys: true,
      routes: [
        { method: "GET", path: "/health", function: "Health", auth: { kind: "none" } },
        { method: "GET", path: "/fhir/metadata", function: "Metadata", auth: { kind: "none" } },
        { method: "POST", path: "/fep/heartbeat", function: "FepHeartbeat" },
        ...registryReadRoutes("RegistryProxy"),
        ...staffWriteRoutes("RegistryProxy"),
        ...MPI_CITY_ROUTES,
        ...fromParts("cityRoutes"),
      ],
    },
  ],
};
