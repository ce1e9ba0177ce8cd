/**
 * Outbox table (city): each exchange message is recorded here before the city answers 2xx and
 * stays until the hub acknowledges it (docs/adr/0004). The sweeper re-sends what is due.
 */

import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { OutboxRecord, OutboxStore } from "#ports/outbox.ts";
import { documentClient } from "#shared/aws.ts";
import { batchWriteAll } from "./batch-write.ts";
import { conditionalWrite } from "./conditional-write.ts";
import { scanAll } from "./scan.ts";

export const dynamoOutboxStore = (tableName: string): OutboxStore => ({
  record: (record) =>
    conditionalWrite(() =>
      documentClient().send(new PutCommand({ TableName: tableName, Item: record, ConditionExpression: "attribute_not_exists(messageId)" })),
    ),
  async markAttempt(messageId, previousAttempts, nextAttemptAt, status) {
    // acknowledged (deleted) meanwhile, or another sweeper took it
    return conditionalWrite(() =>
      documentClient().send(
        new UpdateCommand({
          TableName: tableName,
          Key: { messageId },
          UpdateExpression: "SET attempts = :next, nextAttemptAt = :at, #status = :status",
          ConditionExpression: "attempts = :prev",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: { ":next": previousAttempts + 1, ":prev": previousAttempts, ":at": nextAttemptAt, ":status": status },
        }),
      ),
    );
  },
  listDue: (now) =>
    scanAll<OutboxRecord>({
      TableName: tableName,
      FilterExpression: "#status = :pending AND nextAttemptAt <= :now",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: { ":pending": "pending", ":now": now },
    }),
  async get(messageId) {
    const out = await documentClient().send(new GetCommand({ TableName: tableName, Key: { messageId }, ConsistentRead: true }));
    return out.Item as OutboxRecord | undefined;
  },
  async remove(messageId) {
    await documentClient().send(new DeleteCommand({ TableName: tableName, Key: { messageId } }));
  },
  async removeAll(messageIds) {
    // one request per key: BatchWriteItem refuses a key twice in one call
    await batchWriteAll(
      tableName,
      [...new Set(messageIds)].map((messageId) => ({ DeleteRequest: { Key: { messageId } } })),
    );
  },
});
