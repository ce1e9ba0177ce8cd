/**
 * BatchWriteItem (and BatchGetItem) over any number of requests: 25 a call, unprocessed items retried with
 * exponential backoff, bounded attempts (then it throws: the caller's write is incomplete and its
 * retry — every batch here is idempotent puts or deletes — completes it).
 */
import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
} from "@aws-sdk/lib-dynamodb";
import { documentClient } from "#shared/aws.ts";

export type WriteRequest = { PutRequest: { Item: Record<string, unknown> } } | { DeleteRequest: { Key: Record<string, unknown> } };

const MAX_ATTEMPTS = 9;

export async function batchWriteAll(
  tableName: string,
  requests: WriteRequest[],
  client: DynamoDBDocumentClient = documentClient(),
): Promise<void> {
  for (let i = 0; i < requests.length; i += 25) await batchWriteTables({ [tableName]: requests.slice(i, i + 25) }, client);
}

/**
 * One BatchWriteItem over several tables (at most 25 requests in all: one round trip when nothing is left
 * unprocessed), what DynamoDB leaves unprocessed sent again with backoff, bounded attempts (then it throws)
 */
export async function batchWriteTables(
  requestItems: Record<string, WriteRequest[]>,
  client: DynamoDBDocumentClient = documentClient(),
): Promise<void> {
  let pending = Object.fromEntries(Object.entries(requestItems).filter(([, r]) => r.length > 0));
  const count = Object.values(pending).reduce((n, r) => n + r.length, 0);
  if (count > 25) throw new Error(`batchWriteTables: ${count} writes, more than one BatchWriteItem's 25`);
  for (let attempt = 0; Object.keys(pending).length > 0; attempt++) {
    if (attempt >= MAX_ATTEMPTS) throw new Error(`writes to ${Object.keys(pending).join(", ")} stayed unprocessed`);
    if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 20 * 2 ** attempt)));
    const out = await client.send(new BatchWriteCommand({ RequestItems: pending }));
    pending = Object.fromEntries(Object.entries(out.UnprocessedItems ?? {}).filter(([, r]) => (r?.length ?? 0) > 0)) as typeof pending;
  }
}

export const putRequests = (items: object[]): WriteRequest[] =>
  items.map((Item) => ({ PutRequest: { Item: Item as Record<string, unknown> } }));

/** BatchGetItem of the items keyed `keyName` = each of `values` (100 a call, unprocessed keys retried likewise); absent ones absent */
export async function batchGetAll(tableName: string, keyName: string, values: string[]): Promise<Record<string, unknown>[]> {
  return batchGetKeys(
    tableName,
    [...new Set(values)].map((value) => ({ [keyName]: value })),
  );
}

/** BatchGetItem of the items with these (whole, distinct) keys, 100 a call, unprocessed keys retried likewise; absent ones absent */
export async function batchGetKeys(
  tableName: string,
  keys: readonly Record<string, unknown>[],
  options: { projection?: string; names?: Record<string, string> } = {},
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < keys.length; i += 100) {
    let pending: Record<string, unknown>[] = keys.slice(i, i + 100);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= MAX_ATTEMPTS) throw new Error(`${pending.length} reads of ${tableName} stayed unprocessed`);
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 20 * 2 ** attempt)));
      const request = {
        Keys: pending,
        ...(options.projection ? { ProjectionExpression: options.projection, ExpressionAttributeNames: options.names } : {}),
      };
      const got = await documentClient().send(new BatchGetCommand({ RequestItems: { [tableName]: request } }));
      out.push(...((got.Responses?.[tableName] ?? []) as Record<string, unknown>[]));
      pending = (got.UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, unknown>[];
    }
  }
  return out;
}

/** Every item a Query finds, page after page */
export async function queryAllItems(input: Omit<QueryCommandInput, "ExclusiveStartKey">): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}
