/**
 * The hub's record locator and EHR timeline (RecordLocator table): per resident (`empi`) one item
 * per document or encounter (`entry` = `<type>/<id>`), holding its highest revision. Written only by
 * conditional puts, so a re-delivered or out-of-order message changes nothing.
 */

import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { LocatorWrite, RecordLocator } from "#ports/connections.ts";
import type { LocatorEntry } from "#schemas/documents.ts";
import { documentClient } from "#shared/aws.ts";
import { clock } from "#shared/clock.ts";
import { queryAll } from "./scan.ts";

export function recordLocator(tableName: string): RecordLocator {
  const db = documentClient();
  return {
    async put(entry: LocatorEntry): Promise<LocatorWrite> {
      const key = { empi: entry.empi, entry: `${entry.resourceType}/${entry.id}` };
      try {
        await db.send(
          new PutCommand({
            TableName: tableName,
            // indexedAt − value.recordedAt: how long the city → hub exchange took (bench/documents.ts)
            Item: { ...key, revision: entry.revision, value: entry, indexedAt: clock.isoNow() },
            ConditionExpression: "attribute_not_exists(empi) OR revision < :rev",
            ExpressionAttributeValues: { ":rev": entry.revision },
          }),
        );
        return "written";
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        const held = await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
        return held.Item?.revision === entry.revision ? "same" : "older";
      }
    },
    async list(empi: string, resourceType?: LocatorEntry["resourceType"]): Promise<LocatorEntry[]> {
      // one type: its entries only, by the sort key's prefix (`<type>/<id>`)
      const items = await queryAll<{ value: LocatorEntry }>({
        TableName: tableName,
        KeyConditionExpression: resourceType ? "empi = :e AND begins_with(#entry, :t)" : "empi = :e",
        ...(resourceType ? { ExpressionAttributeNames: { "#entry": "entry" } } : {}),
        ExpressionAttributeValues: { ":e": empi, ...(resourceType ? { ":t": `${resourceType}/` } : {}) },
        ConsistentRead: true,
      });
      return items.map((item) => item.value);
    },
  };
}
