/**
 * Claims table (city): every claim and cancellation a hospital submitted, recorded before the 202
 * and kept until the hub holds its ClaimResponse; the claim sweeper re-sends what is due.
 *   claimKey "<hospitalId>|<claimNumber>", action "submit" | "cancel"
 */

import { GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { documentClient } from "#shared/aws.ts";
import { conditionalWrite } from "./conditional-write.ts";
import { scanAll } from "./scan.ts";

export interface ClaimRecord {
  claimKey: string;
  action: "submit" | "cancel";
  /** sha-256 of the claim as submitted (canonical JSON): an unchanged resubmission has the same */
  hash: string;
  /** The settlement message exactly as sent, JSON */
  message: string;
  status: "pending" | "settled" | "parked";
  createdAt: string;
  attempts: number;
  nextAttemptAt: string;
}

export interface ClaimStore {
  get(claimKey: string, action: ClaimRecord["action"]): Promise<ClaimRecord | undefined>;
  /** false when the claim and action were already recorded */
  record(record: ClaimRecord): Promise<boolean>;
  markAttempt(record: ClaimRecord, nextAttemptAt: string, status: ClaimRecord["status"]): Promise<boolean>;
  markSettled(record: ClaimRecord): Promise<void>;
  listDue(now: string): Promise<ClaimRecord[]>;
}

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
