/**
 * The reference insurance platform (docs/settlement.md): a node of its own, deployable alone
 * (`HebeiHealth-Insurance`, possibly in another account) and always on in the local province. It
 * consumes the hub's Settlement FIFO queue and answers on the hub's SettlementResults queue, both by
 * their fixed names; its ledger is its own.
 */
import type { NodeDeclaration } from "./types.ts";

export const INSURANCE_DECLARATION: NodeDeclaration = {
  kind: "insurance",
  tables: [
    {
      id: "InsuranceLedger",
      partitionKey: "pk",
      sortKey: "sk",
      description:
        "Each claim's decision per action, and each resident's yearly fund totals (versioned, naming the decisions they include)",
    },
    {
      id: "InsuranceCatalogue",
      partitionKey: "code",
      sortKey: "version",
      description: "The platform's own copy of the drug catalogue: each insurance drug code's category and validity per catalogue version",
    },
  ],
  queues: [],
  buckets: [],
  functions: [
    {
      id: "InsuranceAdjudicator",
      entry: "lambdas/handlers/insurance/adjudicator.ts",
      description: "Adjudicates claims by the versioned policy table, in each resident's order, and answers the hub",
      timeoutSeconds: 30,
      memoryMb: 512,
      tables: { InsuranceLedger: "readWrite", InsuranceCatalogue: "read" },
      sendsToHub: ["SettlementResults"],
      trigger: { kind: "queue", queue: "Settlement", node: "hub", batchSize: 10, maxBatchingWindowSeconds: 1 },
    },
    {
      id: "InsuranceCatalogue",
      entry: "lambdas/handlers/insurance/catalogue.ts",
      description: "Keeps each drug catalogue version the hub sends, the copy adjudication reads (it never calls the hub)",
      timeoutSeconds: 30,
      memoryMb: 256,
      tables: { InsuranceCatalogue: "readWrite" },
      trigger: { kind: "queue", queue: "DrugCatalogueVersions", node: "hub", batchSize: 10, maxBatchingWindowSeconds: 1 },
    },
  ],
  apis: [],
};
