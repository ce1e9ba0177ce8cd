import { MPI_HUB_FUNCTIONS, MPI_HUB_INTERNAL_ROUTES, MPI_HUB_OPERATOR_ROUTES, MPI_HUB_TABLES } from "./mpi.ts";
import { fromParts } from "./parts.ts";
import type { NodeDeclaration, RouteDeclaration } from "./types.ts";

const common = {
  health: {
    id: "Health",
    entry: "lambdas/handlers/common/health.ts",
    description: "Readiness of the node",
    timeoutSeconds: 5,
    memoryMb: 256,
  },
  metadata: {
    id: "Metadata",
    entry: "lambdas/handlers/common/metadata.ts",
    description: "FHIR R4 CapabilityStatement of the node",
    timeoutSeconds: 5,
    memoryMb: 256,
  },
} as const;
export const COMMON_FUNCTIONS = common;

/** Registry resources searchable at the hub and from every city node (IHE mCSD) */
export const REGISTRY_TYPES = ["Organization", "Location", "Practitioner", "PractitionerRole"] as const;

/** GET /fhir/<Type> and GET /fhir/<Type>/{id} for each registry type, under `prefix` */
export const registryReadRoutes = (fn: string, prefix = ""): RouteDeclaration[] =>
  REGISTRY_TYPES.flatMap((type) => [
    { method: "GET", path: `${prefix}/fhir/${type}`, function: fn },
    { method: "GET", path: `${prefix}/fhir/${type}/{id}`, function: fn },
  ]);

/** Practitioner identities and roles a hospital maintains for its own staff */
export const staffWriteRoutes = (fn: string, prefix = ""): RouteDeclaration[] => [
  { method: "POST", path: `${prefix}/fhir/Practitioner`, function: fn },
  { method: "POST", path: `${prefix}/fhir/PractitionerRole`, function: fn },
  { method: "PUT", path: `${prefix}/fhir/PractitionerRole/{id}`, function: fn },
];

/** The provincial hub: registries, credentials, connection board, audit repository, exchange queues (settlement: settlement.ts). */
export const HUB_DECLARATION: NodeDeclaration = {
  kind: "hub",
  tables: [
    {
      id: "Registry",
      partitionKey: "resourceKey",
      description: "Health-resources database: Organization, Location, Practitioner, PractitionerRole (mCSD)",
    },
    {
      id: "RegistryIndex",
      partitionKey: "indexKey",
      sortKey: "sortKey",
      description: "Search entries of the registry, written after their resource",
    },
    { id: "Credentials", partitionKey: "credentialId", description: "Per-hospital and operator credentials, salted hashes only" },
    {
      id: "Connections",
      partitionKey: "hospitalId",
      description: "Latest heartbeat and latest patient-data exchange per hospital (the connection board)",
    },
    {
      id: "AuditEvents",
      partitionKey: "pk",
      sortKey: "sk",
      description: "Audit repository (BALP AuditEvent), append-only, with its search entries",
    },
    ...MPI_HUB_TABLES,
    ...fromParts("hubTables"),
  ],
  queues: [
    {
      id: "Exchange",
      fifo: false,
      visibilityTimeoutSeconds: 180,
      maxReceiveCount: 5,
      retentionDays: 14,
      description: "Inbound exchange from every city (messages carry their city)",
    },
    {
      id: "Audit",
      fifo: false,
      visibilityTimeoutSeconds: 180,
      maxReceiveCount: 5,
      retentionDays: 14,
      description: "Audit events from every city, on their own path",
    },
    ...fromParts("hubQueues"),
  ],
  buckets: [],
  functions: [
    { ...common.health },
    { ...common.metadata },
    {
      id: "OperatorAuthorizer",
      entry: "lambdas/handlers/hub/operator-authorizer.ts",
      description: "Admits the provincial operator credential",
      timeoutSeconds: 10,
      memoryMb: 256,
      tables: { Credentials: "read" },
    },
    {
      id: "Authenticate",
      entry: "lambdas/handlers/hub/authenticate.ts",
      description: "Internal: verifies a credential, and a practitioner of the calling hospital",
      timeoutSeconds: 10,
      memoryMb: 256,
      tables: { Credentials: "read", Registry: "read", RegistryIndex: "read" },
    },
    {
      id: "Connections",
      entry: "lambdas/handlers/hub/connections.ts",
      description: "Province-wide connection board",
      timeoutSeconds: 15,
      memoryMb: 512,
      tables: { RegistryIndex: "read", Connections: "read" },
      discovery: ["list-cities"],
    },
    {
      id: "RegistrySearch",
      entry: "lambdas/handlers/hub/registry-search.ts",
      description: "mCSD searches and reads of the registry",
      timeoutSeconds: 15,
      memoryMb: 512,
      tables: { Registry: "read", RegistryIndex: "read" },
    },
    {
      id: "RegistryWrite",
      entry: "lambdas/handlers/hub/registry-write.ts",
      description: "Facilities (operator) and staff (hospitals, through their city) written to the registry",
      timeoutSeconds: 15,
      memoryMb: 512,
      tables: { Registry: "readWrite", RegistryIndex: "readWrite" },
    },
    {
      id: "HospitalOnboarding",
      entry: "lambdas/handlers/hub/hospital-onboarding.ts",
      description: "Onboards hospitals and issues, rotates and revokes their credentials",
      timeoutSeconds: 15,
      memoryMb: 256,
      tables: { Credentials: "readWrite", Registry: "readWrite", RegistryIndex: "readWrite" },
      discovery: ["list-cities"],
    },
    {
      id: "AuditSearch",
      entry: "lambdas/handlers/hub/audit-search.ts",
      description: "AuditEvent search and the per-resident access report (operator); refuses changes",
      timeoutSeconds: 15,
      memoryMb: 512,
      tables: { AuditEvents: "readWrite" },
    },
    {
      id: "AuditConsumer",
      entry: "lambdas/handlers/hub/audit-consumer.ts",
      description: "Stores the cities' audit events in the audit repository, marks hospitals exchanging, and acknowledges them",
      timeoutSeconds: 30,
      memoryMb: 512,
      tables: { AuditEvents: "readWrite", Connections: "readWrite", Activity: "write" },
      discovery: ["send-city-push"],
      trigger: { kind: "queue", queue: "Audit", batchSize: 10, maxBatchingWindowSeconds: 1 },
    },
    {
      id: "ExchangeConsumer",
      entry: "lambdas/handlers/hub/exchange-consumer.ts",
      description: "Applies inbound exchange messages and acknowledges them to their city",
      timeoutSeconds: 30,
      memoryMb: 512,
      tables: { Connections: "readWrite", RecordLocator: "readWrite", Activity: "write" },
      sendsTo: ["Notify"],
      discovery: ["send-city-push"],
      trigger: { kind: "queue", queue: "Exchange", batchSize: 10, maxBatchingWindowSeconds: 1 },
    },
    ...MPI_HUB_FUNCTIONS,
    ...fromParts("hubFunctions"),
  ],
  apis: [
    {
      id: "Operator",
      description: "Provincial operator API",
      defaultAuth: { kind: "lambda", authorizer: "OperatorAuthorizer" },
      throttle: { rateLimit: 50, burstLimit: 100 },
      routes: [
        { method: "GET", path: "/health", function: "Health", auth: { kind: "none" } },
        { method: "GET", path: "/fhir/metadata", function: "Metadata", auth: { kind: "none" } },
        { method: "GET", path: "/connections", function: "Connections" },
        ...registryReadRoutes("RegistrySearch"),
        { method: "POST", path: "/fhir/Organization", function: "RegistryWrite" },
        { method: "PUT", path: "/fhir/Organization/{id}", function: "RegistryWrite" },
        { method: "POST", path: "/fhir/Location", function: "RegistryWrite" },
        { method: "PUT", path: "/fhir/Location/{id}", function: "RegistryWrite" },
        { method: "POST", path: "/hospitals", function: "HospitalOnboarding" },
        { method: "POST", path: "/hospitals/{hospitalId}/credentials", function: "HospitalOnboarding" },
        { method: "DELETE", path: "/hospitals/{hospitalId}/credentials", function: "HospitalOnboarding" },
        { method: "GET", path: "/fhir/AuditEvent", function: "AuditSearch" },
        { method: "POST", path: "/fhir/AuditEvent", function: "AuditSearch" },
        { method: "GET", path: "/fhir/AuditEvent/{id}", function: "AuditSearch" },
        { method: "PUT", path: "/fhir/AuditEvent/{id}", function: "AuditSearch" },
        { method: "DELETE", path: "/fhir/AuditEvent/{id}", function: "AuditSearch" },
        { method: "GET", path: "/audit/access-report", function: "AuditSearch" },
        ...MPI_HUB_OPERATOR_ROUTES,
        ...fromParts("hubOperatorRoutes"),
      ],
    },
    {
      id: "Internal",
      description: "Hub API for the city nodes, IAM (SigV4) authorized",
      defaultAuth: { kind: "iam" },
      throttle: { rateLimit: 1000, burstLimit: 2000 },
      routes: [
        { method: "POST", path: "/internal/authenticate", function: "Authenticate" },
        { method: "POST", path: "/internal/practitioner-check", function: "Authenticate" },
        ...registryReadRoutes("RegistrySearch", "/internal"),
        ...staffWriteRoutes("RegistryWrite", "/internal"),
        ...MPI_HUB_INTERNAL_ROUTES,
        ...fromParts("hubInternalRoutes"),
      ],
    },
  ],
};
