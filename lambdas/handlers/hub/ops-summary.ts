/** GET /ops/summary (operator): the province at a glance, aggregates only (the dashboard reads it). */
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { dynamoActivityCounter } from "#adapters/activity.ts";
import { dynamoConnectionStore } from "#adapters/connection-store.ts";
import { dynamoFacilityStore } from "#adapters/facility-store.ts";
import { queueDepth } from "#adapters/queue-observer.ts";
import { REVIEW_QUEUE } from "#adapters/resident-store.ts";
import { settlementStore } from "#adapters/settlement-store.ts";
import { cstDay, reconcile } from "#domain/settlement/claim-response.ts";
import { CITY_DECLARATION, HUB_DECLARATION } from "#lib/declaration/index.ts";
import { documentClient } from "#shared/aws.ts";
import { discovery } from "#shared/discovery.ts";
import { queuePhysicalName } from "#shared/discovery-names.ts";
import { nodeEnv, positiveIntEnv, tableName } from "#shared/env.ts";
import { ENV } from "#shared/env-names.ts";
import { httpHandler } from "#shared/http.ts";
import { loadConnectionBoard } from "#use-cases/connection-board.ts";
import { buildOpsSummary, type ObservedQueue } from "#use-cases/ops-summary.ts";

const { cities } = discovery(nodeEnv().ssmPrefix);
const board = {
  facilities: dynamoFacilityStore(tableName("RegistryIndex")),
  connections: dynamoConnectionStore(tableName("Connections")),
  windowSeconds: positiveIntEnv(ENV.connectedWindowSeconds),
  cities,
};
const keysTable = tableName("ResidentKeys");
const settlements = settlementStore(tableName("Settlements"));

const observed = (nodeId: string, queues: typeof HUB_DECLARATION.queues): ObservedQueue[] =>
  queues.map((q) => ({
    nodeId,
    queueId: q.id,
    name: queuePhysicalName(nodeId, q.id, { fifo: q.fifo }),
    dlqName: queuePhysicalName(nodeId, q.id, { fifo: q.fifo, dlq: true }),
  }));
const queues = async (): Promise<ObservedQueue[]> => [
  ...observed("hub", HUB_DECLARATION.queues),
  ...(await cities()).flatMap((c) => observed(c.id, CITY_DECLARATION.queues)),
];

async function reviewQueue(): Promise<number> {
  let count = 0;
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(
      new QueryCommand({
        TableName: keysTable,
        KeyConditionExpression: "#k = :k",
        ExpressionAttributeNames: { "#k": "key" },
        ExpressionAttributeValues: { ":k": REVIEW_QUEUE },
        Select: "COUNT",
        ExclusiveStartKey,
      }),
    );
    count += page.Count ?? 0;
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return count;
}

const deps = {
  board: () => loadConnectionBoard(board, new Date()),
  cities,
  activity: dynamoActivityCounter(tableName("Activity")),
  depth: queueDepth,
  reviewQueue,
  settlementToday: async (now: Date) => {
    const rows = reconcile(await settlements.day(cstDay(now.toISOString())));
    const sum = (k: "claims" | "reversals" | "submittedFen" | "fundFen" | "patientFen") => rows.reduce((n, r) => n + r[k], 0);
    return {
      claims: sum("claims"),
      reversals: sum("reversals"),
      submittedFen: sum("submittedFen"),
      fundFen: sum("fundFen"),
      patientFen: sum("patientFen"),
    };
  },
};

export const handler = httpHandler(async () => ({
  statusCode: 200,
  body: await buildOpsSummary({ ...deps, queues: await queues() }, new Date()),
  headers: { "content-type": "application/json", "cache-control": "no-store" },
}));
