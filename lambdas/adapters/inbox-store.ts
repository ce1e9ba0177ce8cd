/**
 * Inbox table (city): each hospital's FEP inbox. A pending Communication lives under its hospital's
 * id, with the time it is next visible; an acknowledged one leaves a tombstone under
 * `acked#<hospitalId>` so that a redelivered notification is not stored again. Both expire.
 * Conditional single-item writes only: a Communication is stored once, and handed to one poll at a time.
 */

import { DeleteCommand, GetCommand, PutCommand, paginateQuery, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { InboxItem, InboxStore } from "#ports/push.ts";
import { documentClient } from "#shared/aws.ts";
import { conditionalWrite } from "./conditional-write.ts";
import { scanAll } from "./scan.ts";

/** Retention of inbox items (and of tombstones): as long as SQS keeps a message */
export const INBOX_RETENTION_DAYS = 14;

export const ackedKey = (hospitalId: string) => `acked#${hospitalId}`;

export function dynamoInboxStore(tableName: string): InboxStore {
  const doc = documentClient();
  const get = async (hospitalId: string, communicationId: string) =>
    (await doc.send(new GetCommand({ TableName: tableName, Key: { hospitalId, communicationId }, ConsistentRead: true }))).Item;
  return {
    async put(item) {
      if (await get(ackedKey(item.hospitalId), item.communicationId)) return false;
      return conditionalWrite(() =>
        doc.send(new PutCommand({ TableName: tableName, Item: item, ConditionExpression: "attribute_not_exists(communicationId)" })),
      );
    },
    async visible(hospitalId, now) {
      const items: InboxItem[] = [];
      const pages = paginateQuery(
        { client: doc },
        {
          TableName: tableName,
          KeyConditionExpression: "hospitalId = :h",
          FilterExpression: "visibleAt <= :now",
          ExpressionAttributeValues: { ":h": hospitalId, ":now": now },
          ConsistentRead: true,
        },
      );
      for await (const page of pages) items.push(...((page.Items ?? []) as InboxItem[]));
      return items;
    },
    take: (item, until) =>
      conditionalWrite(() =>
        doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { hospitalId: item.hospitalId, communicationId: item.communicationId },
            UpdateExpression: "SET visibleAt = :until, receiveCount = receiveCount + :one",
            ConditionExpression: "visibleAt = :seen",
            ExpressionAttributeValues: { ":until": until, ":seen": item.visibleAt, ":one": 1 },
          }),
        ),
      ),
    async read(hospitalId, communicationId) {
      const item = ((await get(hospitalId, communicationId)) ?? (await get(ackedKey(hospitalId), communicationId))) as
        | Pick<InboxItem, "communication">
        | undefined;
      return item?.communication;
    },
    async acknowledge(hospitalId, communicationId, now) {
      const pending = (await get(hospitalId, communicationId)) as InboxItem | undefined;
      if (!pending) return Boolean(await get(ackedKey(hospitalId), communicationId));
      await doc.send(
        new PutCommand({
          TableName: tableName,
          // the Communication stays readable by id (GET /fhir/Communication/{id}) until it expires
          Item: {
            hospitalId: ackedKey(hospitalId),
            communicationId,
            ackedAt: now,
            expiresAt: pending.expiresAt,
            communication: pending.communication,
          },
        }),
      );
      await doc.send(new DeleteCommand({ TableName: tableName, Key: { hospitalId, communicationId } }));
      return true;
    },
    async sweep(now) {
      const expired = await scanAll<{ hospitalId: string; communicationId: string }>({
        TableName: tableName,
        ProjectionExpression: "hospitalId, communicationId",
        FilterExpression: "expiresAt < :now",
        ExpressionAttributeValues: { ":now": now },
      });
      for (const key of expired) await doc.send(new DeleteCommand({ TableName: tableName, Key: key }));
      return expired.length;
    },
  };
}
