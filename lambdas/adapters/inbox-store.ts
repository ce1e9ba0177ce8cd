/**
 * Inbox table (city): each hospital's FEP inbox. A pending Communication lives under its hospital's
 * id, with the time it is next visible; an acknowledged one leaves a tombstone under
 * `acked#<hospitalId>` so that a redelivered notification is not stored again. Both expire.
 * Conditional single-item writes only: a Communication is stored once, and handed to one poll at a time.
 */

import { DeleteCommand, GetCommand, PutCommand, paginateQuery, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { InboxCommunication } from "#schemas/messages.ts";
import { documentClient } from "#shared/aws.ts";
import { clock } from "#shared/clock.ts";
import { tableName } from "#shared/env.ts";
import { ENV } from "#shared/env-names.ts";
import type { InboxDeps } from "#use-cases/push/inbox.ts";
import { conditionalWrite } from "./conditional-write.ts";
import { scanAll } from "./scan.ts";

export interface InboxItem {
  hospitalId: string;
  communicationId: string;
  communication: InboxCommunication;
  /** ISO time from which a poll may take it */
  visibleAt: string;
  receiveCount: number;
  deliveredAt: string;
  expiresAt: string;
}

export interface InboxStore {
  /** Stores it unless it is there or was acknowledged; returns whether it was new. */
  put(item: InboxItem): Promise<boolean>;
  /** Pending items visible at `now` (oldest first is the caller's business) */
  visible(hospitalId: string, now: string): Promise<InboxItem[]>;
  /** Takes an item for a poll: moves visibleAt from `seen` to `until`; false if another poll took it first. */
  take(item: InboxItem, until: string): Promise<boolean>;
  /** Acknowledges: tombstone, then the pending item goes. False when neither exists (unknown id). */
  acknowledge(hospitalId: string, communicationId: string, now: string): Promise<boolean>;
  /** Deletes everything expired at `now`; returns how many */
  sweep(now: string): Promise<number>;
}

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
    async acknowledge(hospitalId, communicationId, now) {
      const pending = (await get(hospitalId, communicationId)) as InboxItem | undefined;
      if (!pending) return Boolean(await get(ackedKey(hospitalId), communicationId));
      await doc.send(
        new PutCommand({
          TableName: tableName,
          Item: { hospitalId: ackedKey(hospitalId), communicationId, ackedAt: now, expiresAt: pending.expiresAt },
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

/** The city handlers' inbox wiring: the Inbox table, the visibility period (env, default 60 s), 14 days' retention. */
export function cityInboxDeps(): InboxDeps {
  const raw = process.env[ENV.inboxVisibilitySeconds];
  const visibilitySeconds = raw === undefined || raw === "" ? 60 : Number(raw);
  if (!Number.isInteger(visibilitySeconds) || visibilitySeconds <= 0 || visibilitySeconds > 43_200)
    throw new Error(`${ENV.inboxVisibilitySeconds} must be a whole number of seconds, 1 to 43200`);
  return {
    store: dynamoInboxStore(tableName("Inbox")),
    visibilitySeconds,
    retentionDays: INBOX_RETENTION_DAYS,
    now: clock.now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}
