/**
 * Subscriptions table (hub): each hospital's Subscription resources under `hospital#<hospitalId>`,
 * and the match entries the matcher looks up: `empi#<empi>` (one resident) and `admitted#<hospitalId>`
 * (the hospital's admitted residents). Admissions table: each resident's encounters' latest status.
 * Single-item conditional writes only (dynalite has no transactions): see the use case for the order.
 */
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type UpdateCommandInput } from "@aws-sdk/lib-dynamodb";
import type { SubscriptionTarget } from "#domain/push/notification.ts";
import type { AdmissionStore, StoredSubscription, SubscriptionStore } from "#ports/push.ts";
import { documentClient } from "#shared/aws.ts";

const queryAll = async <T>(tableName: string, key: string, partitionName: string): Promise<T[]> => {
  const items: T[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: "#k = :k",
        ExpressionAttributeNames: { "#k": partitionName },
        ExpressionAttributeValues: { ":k": key },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...((page.Items ?? []) as T[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
};

export const hospitalKey = (hospitalId: string) => `hospital#${hospitalId}`;

export function dynamoSubscriptionStore(tableName: string): SubscriptionStore {
  const doc = documentClient();
  /** A conditional update of one hospital's record */
  const updateRecord = (
    hospitalId: string,
    subscriptionId: string,
    update: Pick<UpdateCommandInput, "UpdateExpression" | "ConditionExpression" | "ExpressionAttributeNames" | "ExpressionAttributeValues">,
  ) => doc.send(new UpdateCommand({ TableName: tableName, Key: { key: hospitalKey(hospitalId), subscriptionId }, ...update }));
  return {
    async putRecord(s) {
      await doc.send(new PutCommand({ TableName: tableName, Item: { key: hospitalKey(s.hospitalId), ...s } }));
    },
    async setStatus(hospitalId, subscriptionId, status) {
      await updateRecord(hospitalId, subscriptionId, {
        UpdateExpression: "SET #s = :s, #r.#s = :rs",
        ConditionExpression: "attribute_exists(subscriptionId)",
        ExpressionAttributeNames: { "#s": "status", "#r": "resource" },
        ExpressionAttributeValues: { ":s": status, ":rs": status === "active" ? "active" : "off" },
      });
    },
    async getRecord(hospitalId, subscriptionId) {
      const out = await doc.send(
        new GetCommand({ TableName: tableName, Key: { key: hospitalKey(hospitalId), subscriptionId }, ConsistentRead: true }),
      );
      return out.Item as StoredSubscription | undefined;
    },
    listRecords: (hospitalId) => queryAll<StoredSubscription>(tableName, hospitalKey(hospitalId), "key"),
    async deleteRecord(hospitalId, subscriptionId) {
      await doc.send(new DeleteCommand({ TableName: tableName, Key: { key: hospitalKey(hospitalId), subscriptionId } }));
    },
    async lapse(hospitalId, subscriptionId, error, at) {
      try {
        await updateRecord(hospitalId, subscriptionId, {
          UpdateExpression: "SET #s = :lapsed, #r.#s = :off, #r.#e = :e, #r.#m = :m",
          ConditionExpression: "#s = :active",
          ExpressionAttributeNames: { "#s": "status", "#r": "resource", "#e": "error", "#m": "meta" },
          ExpressionAttributeValues: { ":lapsed": "lapsed", ":off": "off", ":e": error, ":m": { lastUpdated: at }, ":active": "active" },
        });
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },
    async putMatchEntry(matchKey, target) {
      await doc.send(new PutCommand({ TableName: tableName, Item: { key: matchKey, ...target } }));
    },
    async deleteMatchEntry(matchKey, subscriptionId) {
      await doc.send(new DeleteCommand({ TableName: tableName, Key: { key: matchKey, subscriptionId } }));
    },
    matchEntries: async (matchKey) =>
      (await queryAll<SubscriptionTarget & { key?: string }>(tableName, matchKey, "key")).map(({ key: _key, ...t }) => t),
  };
}

export function dynamoAdmissionStore(tableName: string): AdmissionStore {
  const doc = documentClient();
  return {
    async recordEncounter(empi, hospitalId, encounterId, status, recordedAt) {
      try {
        await doc.send(
          new PutCommand({
            TableName: tableName,
            Item: { empi, encounterKey: `${hospitalId}#${encounterId}`, hospitalId, status, recordedAt },
            ConditionExpression: "attribute_not_exists(recordedAt) OR recordedAt <= :t",
            ExpressionAttributeValues: { ":t": recordedAt },
          }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    },
    encounters: (empi) => queryAll<{ hospitalId: string; status: string }>(tableName, empi, "empi"),
  };
}
