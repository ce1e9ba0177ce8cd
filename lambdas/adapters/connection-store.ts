/** Connections table (hub): the latest heartbeat per hospital. */
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import type { LastHeartbeat } from "#domain/connections.ts";
import { documentClient } from "#shared/aws.ts";
import { scanAll } from "./scan.ts";

export interface ConnectionStore {
  /** Keeps the newest heartbeat: an older or repeated one changes nothing. Returns whether it applied. */
  recordHeartbeat(heartbeat: LastHeartbeat & { cityId: string; messageId: string }): Promise<boolean>;
  listHeartbeats(): Promise<LastHeartbeat[]>;
}

export const dynamoConnectionStore = (tableName: string): ConnectionStore => ({
  async recordHeartbeat(heartbeat) {
    try {
      await documentClient().send(
        new PutCommand({
          TableName: tableName,
          Item: heartbeat,
          ConditionExpression: "attribute_not_exists(lastSeen) OR lastSeen < :t",
          ExpressionAttributeValues: { ":t": heartbeat.lastSeen },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  },
  listHeartbeats: () =>
    scanAll<LastHeartbeat>({
      TableName: tableName,
      ProjectionExpression: "hospitalId, lastSeen, fepVersion, backlog, clockSkewSeconds",
    }),
});
