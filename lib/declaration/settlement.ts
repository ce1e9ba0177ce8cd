/**
 * One-Line Connect: claims, the insurance FIFO queue and settlements, spread into hub.ts and city.ts
 * (docs/settlement.md). The reference insurance platform is a node of its own (insurance.ts): it
 * consumes the hub's Settlement queue and answers on its SettlementResults queue, which admit the
 * insurance account when it is another one (lib/stacks/hub-stack.ts).
 */
import { HUB_CALLS, NODE_IDENTITY_TABLES } from "./calls.ts";
import type { DeclarationPart } from "./types.ts";

export const SETTLEMENT: DeclarationPart = {
  hubStack: "settlement",
  hubTables: [
    {
      id: "Settlements",
      partitionKey: "pk",
      sortKey: "sk",
      description: "ClaimResponses by claim and action, and each China Standard Time day's settlements for reconciliation",
    },
  ],
  hubQueues: [
    {
      id: "Settlement",
      fifo: true,
      visibilityTimeoutSeconds: 180,
      maxReceiveCount: 5,
      retentionDays: 14,
      description: "Insurance settlement, ordered per insured resident",
    },
    {
      id: "SettlementResults",
      fifo: false,
      visibilityTimeoutSeconds: 180,
      maxReceiveCount: 5,
      retentionDays: 14,
      description: "The insurance platform's adjudications, back to the hub",
    },
  ],
  hubFunctions: [
    {
      id: "SettlementResults",
      entry: "lambdas/handlers/hub/settlement-results.ts",
      description: "Stores the insurance platform's ClaimResponses and sends them to the hospitals' inboxes",
      timeoutSeconds: 30,
      memoryMb: 512,
      tables: { Settlements: "readWrite", Activity: "write" },
      discovery: ["send-city-push"],
      trigger: { kind: "queue", queue: "SettlementResults", batchSize: 10, maxBatchingWindowSeconds: 1 },
    },
    {
      id: "SettlementQuery",
      entry: "lambdas/handlers/hub/settlement-query.ts",
      description: "ClaimResponse search and read (internal, for a hospital's city) and the daily reconciliation (operator)",
      timeoutSeconds: 15,
      memoryMb: 512,
      tables: { Settlements: "read", ...NODE_IDENTITY_TABLES },
    },
  ],
  hubOperatorRoutes: [{ method: "GET", path: "/settlement/reconciliation", function: "SettlementQuery" }],
  hubInternalRoutes: [
    { method: "GET", path: "/internal/fhir/ClaimResponse", function: "SettlementQuery" },
    { method: "GET", path: "/internal/fhir/ClaimResponse/{id}", function: "SettlementQuery" },
  ],
  cityTables: [
    {
      id: "Claims",
      partitionKey: "claimKey",
      sortKey: "action",
      description: "Claims and cancellations recorded before the 202, until the hub holds their ClaimResponse",
    },
  ],
  cityFunctions: [
    {
      id: "Claims",
      entry: "lambdas/handlers/city/claims.ts",
      description:
        "Claim submission and cancellation (recorded, then sent to the hub's Settlement FIFO queue) and ClaimResponse search and read, audited",
      timeoutSeconds: 15,
      memoryMb: 256,
      tables: { Claims: "readWrite", AuditLog: "readWrite" },
      discovery: ["invoke-hub-internal-api", "send-hub-audit", "send-hub-settlement", "list-cities"],
      calls: [
        HUB_CALLS.practitionerCheck,
        HUB_CALLS.organizationRead,
        HUB_CALLS.pix,
        HUB_CALLS.claimResponses,
        HUB_CALLS.claimResponseRead,
        HUB_CALLS.traceCheck,
      ],
    },
    {
      id: "ClaimSweeper",
      entry: "lambdas/handlers/city/claim-sweeper.ts",
      description: "Re-sends claims the hub holds no ClaimResponse for yet, with backoff, bounded",
      timeoutSeconds: 60,
      memoryMb: 256,
      tables: { Claims: "readWrite" },
      discovery: ["invoke-hub-internal-api", "send-hub-settlement", "list-cities"],
      calls: [HUB_CALLS.claimResponses],
      trigger: { kind: "schedule", everyMinutes: 1 },
    },
  ],
  cityRoutes: [
    { method: "POST", path: "/fhir/Claim", function: "Claims" },
    { method: "GET", path: "/fhir/ClaimResponse", function: "Claims" },
    { method: "GET", path: "/fhir/ClaimResponse/{id}", function: "Claims" },
  ],
};
