/**
 * Claims table (city): every claim and cancellation a hospital submitted, recorded before the 202
 * and kept until the hub holds its ClaimResponse; the claim sweeper re-sends what is due.
 *   claimKey "<hospitalId>|<claimNumber>", action "submit" | "cancel"
 */

import { GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { ClaimRecord, ClaimStore } from "#ports/settlement.ts";
import { documentClient } from "#shared/aws.ts";
import { conditionalWrite } from "./conditional-write.ts";
import { scanAll } from "./scan.ts";

export const dynamoClaimStore = (tableName: string): ClaimStore => ({
  async get(claimKey, action) {
    const out = await documentClient().send(new GetCommand({ TableName: tableName, Key: { claimKey, action }, ConsistentRead: true }));
    return out.Item as ClaimRecord | undefined;
  },
  async record(record) {
    return conditionalWrite(() =>
      documentClient().send(new PutCommand({ TableName: tableName, Item: record, ConditionExpression: "attribute_not_exists(claimKey)" })),
    );
  },
  async markAttempt(record, nextAttemptAt, status) {
    return conditionalWrite(() =>
      documentClient().send(
        new UpdateCommand({
          TableName: tableName,
          Key: { claimKey: record.claimKey, action: record.action },
          UpdateExpression: "SET attempts = :next, nextAttemptAt = :at, #status = :status",
          ConditionExpression: "attempts = :prev AND #status = :pending",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: {
            ":next": record.attempts + 1,
            ":prev": record.attempts,
            ":at": nextAttemptAt,
            ":status": status,
            ":pending": "pending",
          },
        }),
      ),
    );
  },
  async markSettled(record) {
    await documentClient().send(
      new UpdateCommand({
        TableName: tableName,
        Key: { claimKey: record.claimKey, action: record.action },
        UpdateExpression: "SET #status = :settled",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":settled": "settled" },
      }),
    );
  },
  listDue: (now) =>
    scanAll<ClaimRecord>({
      TableName: tableName,
      FilterExpression: "#status = :pending AND nextAttemptAt <= :now",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: { ":pending": "pending", ":now": now },
    }),
});
