/**
 * "Deploys" the declared resources of every node on the emulators: tables (kept across
 * restarts), queues with their DLQ and redrive policy (re-created on each start: the SQS
 * emulator is in memory) and buckets, then publishes the discovery parameters.
 */
import { CreateTableCommand, type DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { CreateBucketCommand, HeadBucketCommand, type S3Client } from "@aws-sdk/client-s3";
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { LocalNodeTopology } from "./topology.ts";

export interface NodeResources {
  tables: Map<string, string>;
  queues: Map<string, { url: string; arn: string; name: string }>;
  buckets: Map<string, string>;
}

async function listTables(ddb: DynamoDBClient): Promise<Set<string>> {
  const names = new Set<string>();
  let start: string | undefined;
  do {
    const out = await ddb.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
    for (const n of out.TableNames ?? []) names.add(n);
    start = out.LastEvaluatedTableName;
  } while (start);
  return names;
}

export async function createNodeResources(
  clients: { ddb: DynamoDBClient; sqs: SQSClient; s3: S3Client },
  nodes: LocalNodeTopology[],
): Promise<Map<string, NodeResources>> {
  const existing = await listTables(clients.ddb);
  const result = new Map<string, NodeResources>();
  for (const node of nodes) {
    const res: NodeResources = { tables: new Map(), queues: new Map(), buckets: new Map() };
    for (const table of node.tables) {
      const decl = node.declaration.tables.find((t) => t.id === table.id)!;
      if (!existing.has(table.name)) {
        const keys = [decl.partitionKey, ...(decl.sortKey ? [decl.sortKey] : [])];
        await clients.ddb.send(
          new CreateTableCommand({
            TableName: table.name,
            BillingMode: "PAY_PER_REQUEST",
            AttributeDefinitions: keys.map((k) => ({ AttributeName: k, AttributeType: "S" })),
            KeySchema: keys.map((k, i) => ({ AttributeName: k, KeyType: i === 0 ? "HASH" : "RANGE" })),
          }),
        );
      }
      res.tables.set(table.id, table.name);
    }
    // DLQs first, so each source queue can name its DLQ in its redrive policy
    for (const queue of [...node.queues].sort((a, b) => Number(Boolean(b.dlqOf)) - Number(Boolean(a.dlqOf)))) {
      const decl = node.declaration.queues.find((q) => q.id === (queue.dlqOf ?? queue.id))!;
      const attributes: Record<string, string> = {
        MessageRetentionPeriod: String(decl.retentionDays * 86400),
        VisibilityTimeout: String(decl.visibilityTimeoutSeconds),
        ...(queue.fifo ? { FifoQueue: "true" } : {}),
      };
      if (!queue.dlqOf) {
        const dlq = res.queues.get(`${queue.id}Dlq`)!;
        attributes.RedrivePolicy = JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: decl.maxReceiveCount });
      }
      const { QueueUrl } = await clients.sqs.send(new CreateQueueCommand({ QueueName: queue.name, Attributes: attributes }));
      const attrs = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
      res.queues.set(queue.id, { url: QueueUrl!, arn: attrs.Attributes!.QueueArn!, name: queue.name });
    }
    for (const bucket of node.buckets) {
      const exists = await clients.s3.send(new HeadBucketCommand({ Bucket: bucket.name })).then(
        () => true,
        () => false,
      );
      if (!exists) await clients.s3.send(new CreateBucketCommand({ Bucket: bucket.name }));
      res.buckets.set(bucket.id, bucket.name);
    }
    result.set(node.nodeId, res);
  }
  return result;
}
