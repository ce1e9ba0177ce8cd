import { NODE_IDENTITY_TABLES } from "./calls.ts";
import { MPI_HUB_FUNCTIONS, MPI_HUB_INTERNAL_ROUTES, MPI_HUB_OPERATOR_ROUTES, MPI_HUB_QUEUES, MPI_HUB_TABLES } from "./mpi.ts";
import { HUB_PARTS } from "./parts.ts";
import type { ApiDeclaration, DeclarationPart, HubStackId, NodeDeclaration, RouteDeclaration } from "./types.ts";

/** The audit trail is append-only: its write routes answer 405 */
const AUDIT_APPEND_ONLY = "the audit trail is append-only (IHE BALP): 405";

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

/**
 * The hub's core (HebeiHealth-Hub): registries, credentials, connection board, audit repository and
 * its queue, the MPI, the activity counters, and the two REST APIs the other hub stacks add routes to.
 */
export const HUB_CORE: DeclarationPart = {
  hubStack: "core",
  hubTables: [
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
    {
      id: "Activity",
      partitionKey: "metric",
      sortKey: "minute",
      description: "Province-wide activity per metric and minute (aggregates only)",
    },
  ],
  hubQueues: [
    {
      id: "Audit",
      fifo: false,
      visibilityTimeoutSeconds: 180,
      maxReceiveCount: 5,
      retentionDays: 14,
      description: "Audit events from every city, on their own path",
    },
    ...MPI_HUB_QUEUES,
  ],
  hubFunctions: [
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
      tables: { Credentials: "read", Registry: "read", ...NODE_IDENTITY_TABLES },
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
      description: "mCSD searches and reads of the registry; the operator's search of roles awaiting approval, audited",
      timeoutSeconds: 15,
      memoryMb: 512,
      // AuditEvents: the operator's search of roles awaiting approval is audited (and refused to hospitals)
      tables: { Registry: "read", RegistryIndex: "read", AuditEvents: "write" },
      // its page tokens are sealed for the caller and the query (docs/fhir-clients.md#paging)
      discovery: ["seal-page-tokens"],
    },
    {
      id: "RegistryWrite",
      entry: "lambdas/handlers/hub/registry-write.ts",
      description: "Facilities (operator) and staff (hospitals, through their city) written to the registry",
      timeoutSeconds: 15,
      memoryMb: 512,
      tables: { Registry: "readWrite", RegistryIndex: "readWrite", AuditEvents: "write" },
    },
    {
      id: "HospitalOnboarding",
      entry: "lambdas/handlers/hub/hospital-onboarding.ts",
      description: "Onboards hospitals and issues, rotates and revokes their credentials and API keys",
      timeoutSeconds: 15,
      memoryMb: 256,
      tables: { Credentials: "readWrite", Registry: "readWrite", RegistryIndex: "readWrite" },
      discovery: ["list-cities", "manage-hospital-api-keys"],
    },
    {
      id: "AuditSearch",
      entry: "lambdas/handlers/hub/audit-search.ts",
      description: "AuditEvent search and the per-resident access report (operator); refuses changes",
      timeoutSeconds: 15,
      memoryMb: 512,
      tables: { AuditEvents: "readWrite" },
      discovery: ["seal-page-tokens"],
    },
    {
      id: "AuditConsumer",
      entry: "lambdas/handlers/hub/audit-consumer.ts",
      description: "Stores the cities' audit events in the audit repository, marks hospitals exchanging, and acknowledges them",
      timeoutSeconds: 30,
      memoryMb: 512,
      // RegistryIndex: the hospitals an event names must be of the city that signed it (docs/node-identity.md)
      tables: { AuditEvents: "readWrite", Connections: "readWrite", Activity: "write", RegistryIndex: "read" },
      discovery: ["send-city-push"],
      trigger: { kind: "queue", queue: "Audit", batchSize: 10, maxBatchingWindowSeconds: 1 },
    },
    ...MPI_HUB_FUNCTIONS,
  ],
  hubOperatorRoutes: [
    { method: "GET", path: "/health", function: "Health", auth: { kind: "none" } },
    { method: "GET", path: "/fhir/metadata", function: "Metadata", auth: { kind: "none" } },
    { method: "GET", path: "/connections", function: "Connections" },
    ...registryReadRoutes("RegistrySearch"),
    { method: "POST", path: "/fhir/Organization", function: "RegistryWrite" },
    { method: "PUT", path: "/fhir/Organization/{id}", function: "RegistryWrite" },
    { method: "POST", path: "/fhir/Location", function: "RegistryWrite" },
    { method: "PUT", path: "/fhir/Location/{id}", function: "RegistryWrite" },
    { method: "PUT", path: "/fhir/Practitioner/{id}", function: "RegistryWrite" },
    { method: "POST", path: "/fhir/PractitionerRole/{id}/$approve", function: "RegistryWrite" },
    { method: "POST", path: "/fhir/PractitionerRole/{id}/$reject", function: "RegistryWrite" },
    { method: "POST", path: "/hospitals", function: "HospitalOnboarding" },
    { method: "POST", path: "/hospitals/{hospitalId}/credentials", function: "HospitalOnboarding" },
    { method: "DELETE", path: "/hospitals/{hospitalId}/credentials", function: "HospitalOnboarding" },
    { method: "GET", path: "/fhir/AuditEvent", function: "AuditSearch" },
    { method: "POST", path: "/fhir/AuditEvent", function: "AuditSearch", refuses: AUDIT_APPEND_ONLY },
    { method: "GET", path: "/fhir/AuditEvent/{id}", function: "AuditSearch" },
    { method: "PUT", path: "/fhir/AuditEvent/{id}", function: "AuditSearch", refuses: AUDIT_APPEND_ONLY },
    { method: "DELETE", path: "/fhir/AuditEvent/{id}", function: "AuditSearch", refuses: AUDIT_APPEND_ONLY },
    { method: "GET", path: "/audit/access-report", function: "AuditSearch" },
    ...MPI_HUB_OPERATOR_ROUTES,
  ],
  hubInternalRoutes: [
    { method: "POST", path: "/internal/authenticate", function: "Authenticate" },
    { method: "POST", path: "/internal/practitioner-check", function: "Authenticate" },
    ...registryReadRoutes("RegistrySearch", "/internal"),
    ...staffWriteRoutes("RegistryWrite", "/internal"),
    ...MPI_HUB_INTERNAL_ROUTES,
  ],
};

/** The hub's two REST APIs, created by the core stack; every hub stack adds its parts' routes. */
const HUB_APIS = {
  Operator: {
    id: "Operator",
    description: "Provincial operator API",
    defaultAuth: { kind: "lambda", authorizer: "OperatorAuthorizer" },
    throttle: { rateLimit: 50, burstLimit: 100 },
  },
  Internal: {
    id: "Internal",
    description: "Hub API for the city nodes, IAM (SigV4) authorized",
    defaultAuth: { kind: "iam" },
    throttle: { rateLimit: 1000, burstLimit: 2000 },
  },
} as const satisfies Record<string, Omit<ApiDeclaration, "routes">>;

/**
 * Paths of the hub's APIs that the core stack creates and publishes (SSM) for the other hub stacks to
 * add their routes under ("" is the API's root). A route of another stack hangs below the longest one
 * that prefixes it, by a path segment no other stack uses there (lib/constructs/api-routes.ts).
 */
export const HUB_API_MOUNTS: Record<keyof typeof HUB_APIS, string[]> = {
  Operator: ["", "/fhir"],
  Internal: ["", "/internal", "/internal/fhir"],
};

/** The hub's declaration made of `parts` (all of them: the whole hub, as the local province runs it) */
function hubDeclaration(parts: DeclarationPart[]): NodeDeclaration {
  const all = <K extends keyof DeclarationPart>(key: K) =>
    parts.flatMap((part): unknown[] => (part[key] as unknown[] | undefined) ?? []) as NonNullable<DeclarationPart[K]>;
  return {
    kind: "hub",
    tables: all("hubTables"),
    queues: all("hubQueues"),
    buckets: [],
    functions: all("hubFunctions"),
    apis: [
      { ...HUB_APIS.Operator, routes: all("hubOperatorRoutes") },
      { ...HUB_APIS.Internal, routes: all("hubInternalRoutes") },
    ],
  };
}

const ALL_HUB_PARTS = [HUB_CORE, ...HUB_PARTS];

/** The provincial hub, one node: registries, credentials, connection board, audit repository, exchange, push, settlement, operations. */
export const HUB_DECLARATION: NodeDeclaration = hubDeclaration(ALL_HUB_PARTS);

/**
 * The share of the hub declaration each hub stack holds (by the part each resource comes from), in
 * deploy order. Its APIs carry only that stack's routes; the core stack creates the APIs themselves.
 */
export const hubStackDeclaration = (stack: HubStackId): NodeDeclaration =>
  hubDeclaration(ALL_HUB_PARTS.filter((part) => part.hubStack === stack));
