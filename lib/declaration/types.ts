/**
 * The node declaration: every resource of a node (hub or city) declared once, as plain data.
 * The CDK stacks are built from it (lib/stacks) and so is the local province (local/), and
 * test/infra/parity.test.ts holds the synthesized templates and the local province to it.
 * No CDK import here: the local province loads this without constructing any CDK objects.
 */
/** "insurance": the reference insurance platform, a node of its own that may live in another account */
export type NodeKind = "hub" | "city" | "insurance";
export type Access = "read" | "write" | "readWrite";

export interface TableDeclaration {
  /** Logical id within the node, PascalCase: "Outbox" */
  id: string;
  partitionKey: string;
  sortKey?: string;
  description: string;
  /**
   * An attribute holding unix seconds after which an item may go: in AWS the table's TTL (DynamoDB
   * deletes expired items within days, never before), locally a sweeper on the province clock
   * (local/lifecycle.ts). Items without it stay.
   */
  timeToLiveAttribute?: string;
}

export interface QueueDeclaration {
  /** Logical id within the node, PascalCase: "Exchange" */
  id: string;
  fifo: boolean;
  /** Must be at least 6x the consumer's timeout, as AWS recommends for Lambda triggers */
  visibilityTimeoutSeconds: number;
  /** Receives before a message moves to the queue's DLQ (every queue has one) */
  maxReceiveCount: number;
  retentionDays: number;
  description: string;
}

export interface BucketDeclaration {
  id: string;
  description: string;
  /**
   * Objects under `prefix` are removed `days` after they were written (current and noncurrent
   * versions): in AWS the bucket's lifecycle rule, locally a sweeper on the province clock (local/lifecycle.ts)
   */
  expire?: { prefix: string; days: number }[];
  /** Storage classes by age and retention by document class (AWS lifecycle rules; nothing locally, where storage has no classes) */
  archive?: ArchiveRule[];
}

export interface ArchiveRule {
  /** The lifecycle rule's id */
  id: string;
  prefix: string;
  transitions: { days: number; storageClass: "STANDARD_IA" | "GLACIER_IR" | "GLACIER" | "DEEP_ARCHIVE" }[];
  /** Objects (current and noncurrent versions) are removed this many days after they were written; omitted: never */
  expireDays?: number;
}

/** Cross-node needs, resolved at run time through SSM (DESIGN.md decision 3, docs/adr/0002). */
export type Discovery =
  | "send-hub-exchange" // a city sends to the hub's inbound exchange queue
  | "send-hub-audit" // a city sends audit events to the hub's audit queue
  | "send-hub-settlement" // a city sends claims to the hub's Settlement FIFO queue
  | "send-city-push" // the hub sends to any city's push queue
  | "invoke-hub-internal-api" // a city calls the hub's IAM-authorized internal API
  | "invoke-city-internal-api" // a city calls the other cities' IAM-authorized routes (document bytes' presigned URLs)
  | "observe-queues" // reads the depth of every node's queues and DLQs (the operations summary)
  | "list-cities" // lists the cities' discovery parameters (which cities exist, their profiles), cities added later included
  | "manage-hospital-api-keys" // creates, enables and disables hospitals' API keys in their city's usage plan (onboarding)
  | "seal-page-tokens" // the hub seals its searches' page tokens under its own secret (an SSM SecureString it creates at first use)
  | "read-department-endpoints"; // reads each provincial department's message endpoint (the department exchange, hub)

export type Trigger =
  | {
      kind: "queue";
      queue: string;
      batchSize: number;
      maxBatchingWindowSeconds: number;
      /** The queue is the hub's (by its fixed name), not this node's: the insurance platform consumes the Settlement queue */
      node?: "hub";
    }
  | { kind: "schedule"; everyMinutes: number };

export interface FunctionDeclaration {
  /** Logical id within the node, PascalCase: "FepHeartbeat". Also the bundle name. */
  id: string;
  /** Handler source, relative to the repository root; exports `handler` */
  entry: string;
  description: string;
  timeoutSeconds: number;
  memoryMb: number;
  tables?: Record<string, Access>;
  /** Queues of the same node this function sends to */
  sendsTo?: string[];
  /** Queues of the hub (fixed names, possibly in another account) a function of another node sends to */
  sendsToHub?: string[];
  buckets?: Record<string, Access>;
  discovery?: Discovery[];
  /**
   * The IAM-authorized routes of other nodes this function calls, "<METHOD> <path>" as declared
   * ("POST /internal/authenticate": the hub's; "GET /internal/fhir/Binary/{id}": another city's).
   * Its role may invoke exactly these (CDK), and the local gateway refuses it any other (docs/node-identity.md).
   */
  calls?: string[];
  trigger?: Trigger;
}

export type ApiAuth =
  | { kind: "none" }
  | { kind: "lambda"; authorizer: string } // REQUEST authorizer on the Authorization header
  | { kind: "iam" };

export interface RouteDeclaration {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** API Gateway resource path: "/fep/heartbeat", "/fhir/metadata" */
  path: string;
  function: string;
  /** Omitted: the API's default auth */
  auth?: ApiAuth;
  /** Why the route exists only to refuse its method (405): no interaction the CapabilityStatement offers */
  refuses?: string;
}

export interface ApiDeclaration {
  /** "Hospital" (city, FEP-facing), "Operator" (hub), "Internal" (hub, IAM between nodes) */
  id: string;
  description: string;
  defaultAuth: ApiAuth;
  /** Per-caller throttling (API Gateway usage plan; locally the gateway's token bucket) */
  throttle: { rateLimit: number; burstLimit: number };
  /**
   * Media types API Gateway passes as bytes (base64 to the function, and back as bytes when the
   * function answers base64). `*\/*` lets a handler answer any content type as exact bytes (a clinical
   * document); request bodies then reach the function base64-encoded, which httpHandler decodes.
   */
  binaryMediaTypes?: string[];
  /**
   * The authorizer names each caller's API key (`usageIdentifierKey`, created at onboarding), and
   * every route it guards requires one: API Gateway then throttles each hospital by the usage plan.
   */
  callerKeys?: boolean;
  routes: RouteDeclaration[];
}

export interface NodeDeclaration {
  kind: NodeKind;
  tables: TableDeclaration[];
  queues: QueueDeclaration[];
  buckets: BucketDeclaration[];
  functions: FunctionDeclaration[];
  apis: ApiDeclaration[];
}

/**
 * The hub's CloudFormation stacks (docs/adr/0010-hub-stacks.md): "core" is HebeiHealth-Hub (registries,
 * credentials, MPI, audit, and the hub's two REST APIs); each other one holds a group of capabilities
 * and adds its routes to those APIs. In deploy order: a stack reads only what the stacks before it publish.
 */
export const HUB_STACK_IDS = ["core", "exchange", "settlement", "operations"] as const;
export type HubStackId = (typeof HUB_STACK_IDS)[number];

/**
 * One capability's share of the hub and city declarations (documents, push, settlement…), kept in
 * its own file and spread into hub.ts and city.ts, so that capabilities grow without editing each other.
 */
export interface DeclarationPart {
  /** The hub stack that holds this part's hub resources (tables, queues, functions, routes) */
  hubStack: HubStackId;
  hubTables?: TableDeclaration[];
  hubQueues?: QueueDeclaration[];
  hubFunctions?: FunctionDeclaration[];
  hubOperatorRoutes?: RouteDeclaration[];
  hubInternalRoutes?: RouteDeclaration[];
  cityTables?: TableDeclaration[];
  cityQueues?: QueueDeclaration[];
  cityBuckets?: BucketDeclaration[];
  cityFunctions?: FunctionDeclaration[];
  cityRoutes?: RouteDeclaration[];
}
