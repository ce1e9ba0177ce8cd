/**
 * SSM parameter names through which nodes find each other at run time (DESIGN.md decision 3).
 * The hub publishes its names, each city its own; nobody imports a CloudFormation export.
 */
export const discoveryNames = (prefix: string) => ({
  hubExchangeQueueUrl: `${prefix}/hub/exchange-queue-url`,
  hubExchangeQueueArn: `${prefix}/hub/exchange-queue-arn`,
  hubExchangeKeyArn: `${prefix}/hub/exchange-key-arn`,
  hubInternalApiUrl: `${prefix}/hub/internal-api-url`,
  hubInternalApiId: `${prefix}/hub/internal-api-id`,
  hubAuditQueueUrl: `${prefix}/hub/audit-queue-url`,
  hubAuditQueueArn: `${prefix}/hub/audit-queue-arn`,
  hubAuditKeyArn: `${prefix}/hub/audit-key-arn`,
  hubSettlementQueueUrl: `${prefix}/hub/settlement-queue-url`,
  hubSettlementQueueArn: `${prefix}/hub/settlement-queue-arn`,
  hubSettlementKeyArn: `${prefix}/hub/settlement-key-arn`,
  /** For the operator's commands (scripts/bootstrap-hub.ts, scripts/mpi-reindex.ts), not for the nodes */
  hubOpsTable: (tableId: HubOpsTableId) => `${prefix}/hub/ops/table-${tableId.toLowerCase()}`,
  cityPushQueueUrl: (cityId: string) => `${prefix}/cities/${cityId}/push-queue-url`,
  cityPushQueueArn: (cityId: string) => `${prefix}/cities/${cityId}/push-queue-arn`,
  cityPushKeyArn: (cityId: string) => `${prefix}/cities/${cityId}/push-key-arn`,
  cityApiUrl: (cityId: string) => `${prefix}/cities/${cityId}/api-url`,
  /** A city's profile (JSON of schemas/city.ts cityProfileSchema): how the other nodes learn that it exists */
  cityProfile: (cityId: string) => `${prefix}/cities/${cityId}/profile`,
  /**
   * The unique ids (AROA…) of the city's function roles that send to the hub's queues, comma-separated:
   * in AWS the hub's consumers accept a message naming the city only if SQS's SenderId is one of them
   */
  citySenderRoleIds: (cityId: string) => `${prefix}/cities/${cityId}/sender-role-ids`,
  /** A provincial department's message endpoint (the exchange's, issue 16), set when the department joins */
  departmentEndpoint: (memberId: string) => `${prefix}/departments/${memberId}/endpoint`,
  /** The path under which every city publishes its parameters (listed with GetParametersByPath) */
  citiesPath: `${prefix}/cities`,
  /** The usage plan of the city's Hospital API, which the hub adds each hospital's API key to at onboarding */
  cityUsagePlanId: (cityId: string) => `${prefix}/cities/${cityId}/usage-plan-id`,
});
export type DiscoveryNames = ReturnType<typeof discoveryNames>;

/** The hub tables whose names the core stack publishes for the operator's commands */
export const HUB_OPS_TABLES = ["Registry", "RegistryIndex", "Credentials", "Residents", "ResidentKeys"] as const;
export type HubOpsTableId = (typeof HUB_OPS_TABLES)[number];

const kebab = (id: string): string => id.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();

/** Prefix of a node's physical names: "hhc-hub", "hhc-insurance" or "hhc-city-<cityId>". */
export const nodeNamePrefix = (nodeId: string): string =>
  nodeId === "hub" || nodeId === "insurance" ? `hhc-${nodeId}` : `hhc-city-${nodeId}`;

/**
 * Physical queue names are fixed (in AWS and locally) so that IAM policies can name them
 * without a lookup: hhc-hub-exchange, hhc-city-baoding-push, hhc-hub-settlement-dlq.fifo.
 */
export const queuePhysicalName = (nodeId: string, queueId: string, opts: { fifo: boolean; dlq?: boolean }): string =>
  `${nodeNamePrefix(nodeId)}-${kebab(queueId)}${opts.dlq ? "-dlq" : ""}${opts.fifo ? ".fifo" : ""}`;

/** Local names of tables and buckets (in AWS CloudFormation names them; handlers get them from env). */
export const localResourceName = (nodeId: string, resourceId: string): string => `${nodeNamePrefix(nodeId)}-${kebab(resourceId)}`;

export const HUB_EXCHANGE_QUEUE_NAME = queuePhysicalName("hub", "Exchange", { fifo: false });
export const HUB_AUDIT_QUEUE_NAME = queuePhysicalName("hub", "Audit", { fifo: false });
export const HUB_SETTLEMENT_QUEUE_NAME = queuePhysicalName("hub", "Settlement", { fifo: true });
/** Matches every city push queue (the hub's send grant): cities added later are covered. */
export const CITY_PUSH_QUEUE_NAME_PATTERN = "hhc-city-*-push";
/** Every queue and DLQ of the province */
export const ALL_QUEUES_NAME_PATTERN = "hhc-*";

/**
 * The Secrets Manager secret the health cards derive from (docs/health-card.md): created by the hub's
 * Exchange stack in AWS, by the local province at its start locally; `hhc/health-card` for the prefix `/hhc`.
 */
export const healthCardSecretName = (ssmPrefix: string): string => `${ssmPrefix.replace(/^\//, "")}/health-card`;
