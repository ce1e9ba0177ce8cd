/**
 * HealthCards table (hub, pk/sk): `card#<cardId>` / `card` the card with its status history;
 * `code#<HC1:…:nonce>` / `code` a dynamic code's first use (kept past its lifetime, `expiresAt`);
 * `use#<day>` / `<at>#<random>` each verification; `issued#<day>` / `<cardId>` the day's issues;
 * `registration#<empi>` / `<at>#<hospitalId>` dynamic-code registrations (treatment relationships).
 * Single-item conditional writes only (dynalite has no transactions): the use case orders them. A
 * verification's use, its registration and (asked by the city) its AuditEvent in the AuditEvents table
 * are one BatchWriteItem.
 */
import { randomUUID } from "node:crypto";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { cstDay } from "#domain/settlement/claim-response.ts";
import { allShardKeys, shardKey, USE_DAY_SHARDS } from "#domain/sharding.ts";
import type { CardUse, HealthCard, HealthCardStore } from "#ports/health-card.ts";
import { documentClient } from "#shared/aws.ts";
import { auditEventItems } from "./audit-repository.ts";
import { batchWriteTables, putRequests } from "./batch-write.ts";
import { conditionalWrite } from "./conditional-write.ts";
import { queryAll } from "./scan.ts";

const CARD = "card";

/** `auditTableName`: the audit repository, where a verification's AuditEvent is written with its use */
export function dynamoHealthCardStore(tableName: string, auditTableName?: string): HealthCardStore {
  const doc = documentClient();
  const query = <T>(pk: string): Promise<T[]> =>
    queryAll<T>({
      TableName: tableName,
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": pk },
      ConsistentRead: true,
    });
  const strip = <T>(item: Record<string, unknown>): T => {
    const { pk: _pk, sk: _sk, ...rest } = item;
    return rest as T;
  };
  const putCard = (card: HealthCard) =>
    conditionalWrite(() =>
      doc.send(
        new PutCommand({
          TableName: tableName,
          Item: { pk: `card#${card.cardId}`, sk: CARD, ...card },
          ...(card.version === 1
            ? { ConditionExpression: "attribute_not_exists(pk)" }
            : { ConditionExpression: "version = :previous", ExpressionAttributeValues: { ":previous": card.version - 1 } }),
        }),
      ),
    );
  return {
    async get(cardId) {
      const out = await doc.send(new GetCommand({ TableName: tableName, Key: { pk: `card#${cardId}`, sk: CARD }, ConsistentRead: true }));
      return out.Item ? strip<HealthCard>(out.Item) : undefined;
    },
    async issue(card, replaced) {
      if (replaced && !(await putCard(replaced))) return false;
      if (!(await putCard(card))) return false;
      await doc.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            pk: `issued#${cstDay(card.issuedAt)}`,
            sk: card.cardId,
            cardId: card.cardId,
            cityId: card.cityId,
            issuedBy: card.issuedBy,
          },
        }),
      );
      return true;
    },
    update: putCard,
    claimCode: (code, expiresAt) =>
      conditionalWrite(() =>
        doc.send(
          new PutCommand({
            TableName: tableName,
            Item: { pk: `code#${code}`, sk: "code", expiresAt },
            ConditionExpression: "attribute_not_exists(pk)",
          }),
        ),
      ),
    async recordUse(use, registration, audit) {
      const sk = `${use.at}#${randomUUID()}`;
      // the day's uses spread over USE_DAY_SHARDS keys (a hot key at 10× the peak otherwise: docs/capacity.md)
      const item = { pk: shardKey(`use#${cstDay(use.at)}`, sk, USE_DAY_SHARDS), sk, ...use };
      if (!registration && !audit) {
        await doc.send(new PutCommand({ TableName: tableName, Item: item }));
        return;
      }
      if (audit && !auditTableName) throw new Error("HealthCards: a verification's AuditEvent, but no audit table");
      const reg = registration && {
        pk: `registration#${registration.empi}`,
        sk: `${registration.at}#${registration.hospitalId}`,
        hospitalId: registration.hospitalId,
        at: registration.at,
      };
      // one round trip for all (a verification's answer waits on it): idempotent puts, what DynamoDB leaves unprocessed sent again
      await batchWriteTables({
        [tableName]: putRequests(reg ? [item, reg] : [item]),
        ...(audit && auditTableName ? { [auditTableName]: putRequests(auditEventItems(audit.id, audit.index, audit.event)) } : {}),
      });
    },
    usesOn: async (date) => {
      const shards = await Promise.all(allShardKeys(`use#${date}`, USE_DAY_SHARDS).map((pk) => query<Record<string, unknown>>(pk)));
      return shards
        .flat()
        .sort((a, b) => String(a.sk).localeCompare(String(b.sk)))
        .map((item) => strip<CardUse>(item));
    },
    issuedOn: async (date) =>
      (await query<HealthCard>(`issued#${date}`)).map(({ cardId, cityId, issuedBy }) => ({ cardId, cityId, issuedBy })),
    async registrationsOf(empis) {
      const found = await Promise.all(empis.map((empi) => query<{ hospitalId: string; at: string }>(`registration#${empi}`)));
      return found.flat().map(({ hospitalId, at }) => ({ hospitalId, at }));
    },
  };
}
