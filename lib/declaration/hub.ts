import { MPI_HUB_FUNCTIONS, MPI_HUB_INTERNAL_ROUTES, MPI_HUB_OPERATOR_ROUTES, MPI_HUB_TABLES } from "./mpi.ts";
import type { NodeDeclaration } from "./types.ts";

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

/** The provincial hub: registries, connection board, exchange and settlement queues. */
export const HUB_DECLARATION: NodeDeclaration = {
  kind: "hub",
  tables: [
    { id: "Facilities", partitionKey: "hospitalId", description: "Health-resources registry: the province's level-II+ hospitals" },
    { id: "Credentials", partitionKey: "credentialId", description: "Per-hospital and operator credentials, salted hashes only" },
    { id: "Connections", partitionKey: "hospitalId", description: "Latest heartbeat per hospital (the connection board)" },
    ...MPI_HUB_TABLES,
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
      id: "Settlement",
      fifo: true,
      visibilityTimeoutSeconds: 180,
      maxReceiveCount: 5,
      retentionDays: 14,
      description: "Insurance settlement, ordered per insured resident",
    },
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
      description: "Internal: verifies a hospital or operator credential for the city authorizers",
      timeoutSeconds: 10,
      memoryMb: 256,
      tables: { Credentials: "read" },
    },
    {
      id: "Connections",
      entry: "lambdas/handlers/hub/connections.ts",
      description: "Province-wide connection board",
      timeoutSeconds: 15,
      memoryMb: 512,
      tables: { Facilities: "read", Connections: "read" },
    },
    {
      id: "ExchangeConsumer",
      entry: "lambdas/handlers/hub/exchange-consumer.ts",
      description: "Applies inbound exchange messages and acknowledges them to their city",
      timeoutSeconds: 30,
      memoryMb: 512,
      tables: { Connections: "readWrite" },
      discovery: ["send-city-push"],
      trigger: { kind: "queue", queue: "Exchange", batchSize: 10, maxBatchingWindowSeconds: 1 },
    },
    ...MPI_HUB_FUNCTIONS,
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
        ...MPI_HUB_OPERATOR_ROUTES,
      ],
    },
    {
      id: "Internal",
      description: "Hub API for the city nodes, IAM (SigV4) authorized",
      defaultAuth: { kind: "iam" },
      throttle: { rateLimit: 1000, burstLimit: 2000 },
      routes: [
        { method: "POST", path: "/internal/authenticate", function: "Authenticate" },
        ...MPI_HUB_INTERNAL_ROUTES,
      ],
    },
  ],
};
