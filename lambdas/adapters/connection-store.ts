/**
 * Connections table (hub): the latest heartbeat and the latest patient-data exchange per hospital,
 * each written by a conditional update of its own attributes that only moves forward in time.
 */

import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { LastHeartbeat } from "#domain/connections.ts";
import type { ConnectionStore } from "#ports/connections.ts";
import { documentClient } from "#shared/aws.ts";
import { conditionalWrite } from "./conditional-write.ts";
import { scanAll } from "./scan.ts";

type ConnectionItem = Partial<LastHeartbeat> & { hospitalId: string; lastExchangedAt?: string };

export const dynamoConnectionStore = (tableName: string): ConnectionStore => {
  const scan = () =>
    scanAll<ConnectionItem>({
      TableName: tableName,
      ProjectionExpression: "hospitalId, lastSeen, fepVersion, backlog, clockSkewSeconds, lastExchangedAt",
    });
  const heartbeatsOf = (items: ConnectionItem[]): LastHeartbeat[] =>
    items.flatMap(({ lastExchangedAt: _, ...h }) => (h.lastSeen ? [h as LastHeartbeat] : []));
  return {
    recordHeartbeat: ({ hospitalId, ...heartbeat }) => {
      const fields = Object.keys(heartbeat) as (keyof typeof heartbeat)[];
      return conditionalWrite(() =>
        documentClient().send(
          new UpdateCommand({
            TableName: tableName,
            Key: { hospitalId },
            UpdateExpression: `SET ${fields.map((f) => `#${f} = :${f}`).join(", ")}`,
            ConditionExpression: "attribute_not_exists(lastSeen) OR lastSeen < :lastSeen",
            ExpressionAttributeNames: Object.fromEntries(fields.map((f) => [`#${f}`, f])),
            ExpressionAttributeValues: Object.fromEntries(fields.map((f) => [`:${f}`, heartbeat[f]])),
          }),
        ),
      );
    },
    recordExchange: ({ hospitalId, lastExchangedAt }) =>
      conditionalWrite(() =>
        documentClient().send(
          new UpdateCommand({
            TableName: tableName,
            Key: { hospitalId },
            UpdateExpression: "SET lastExchangedAt = :t",
            ConditionExpression: "attribute_not_exists(lastExchangedAt) OR lastExchangedAt < :t",
            ExpressionAttributeValues: { ":t": lastExchangedAt },
          }),
        ),
      ),
    async list() {
      const items = await scan();
      return {
        heartbeats: heartbeatsOf(items),
        exchanges: items.flatMap((i) => (i.lastExchangedAt ? [{ hospitalId: i.hospitalId, lastExchangedAt: i.lastExchangedAt }] : [])),
      };
    },
  };
};
