/**
 * BatchWriteItem over any number of requests: 25 a call, unprocessed items retried with
 * exponential backoff, bounded attempts (then it throws: the caller's write is incomplete and its
 * retry — every batch here is idempotent puts or deletes — completes it).
 */
import { BatchWriteCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { documentClient } from "#shared/aws.ts";

export type WriteRequest = { PutRequest: { Item: Record<string, unknown> } } | { DeleteRequest: { Key: Record<string, unknown> } };

const MAX_ATTEMPTS = 9;

export async function batchWriteAll(
  tableName: string,
  requests: WriteRequest[],
  client: DynamoDBDocumentClient = documentClient(),
): Promise<void> {
  for (let i = 0; i < requests.length; i += 25) {
    let pending = requests.slice(i, i + 25);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= MAX_ATTEMPTS) throw new Error(`${pending.length} writes to ${tableName} stayed unprocessed`);
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 20 * 2 ** attempt)));
      const out = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = (out.UnprocessedItems?.[tableName] ?? []) as WriteRequest[];
    }
  }
}

export const putRequests = (items: object[]): WriteRequest[] =>
  items.map((Item) => ({ PutRequest: { Item: Item as Record<string, unknown> } }));
