/**
 * The hub's record locator and EHR timeline (RecordLocator table): per resident (`empi`) one item
 * per document or encounter (`entry` = `<type>/<id>`), holding its highest revision. Written only by
 * conditional puts, so a re-delivered or out-of-order message changes nothing.
 * Each encounter written is also filed under the China Standard Time day it began (`empi` =
 * `visits#<day>`, `entry` = its id, overwritten by later revisions): the day's encounters for the
 * health card's visit rate (encounterVisits), read without a scan.
 */

import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { cstDay } from "#domain/settlement/claim-response.ts";
import { allShardKeys, shardKey, VISIT_DAY_SHARDS } from "#domain/sharding.ts";
import type { LocatorWrite, RecordLocator } from "#ports/connections.ts";
import type { EncounterVisits } from "#ports/health-card.ts";
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
        if (entry.resourceType === "Encounter") await db.send(new PutCommand({ TableName: tableName, Item: visitItem(entry) }));
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

/** When an encounter began: Encounter.period.start when it is an instant, else when the hub recorded it */
const startOf = (entry: LocatorEntry): string => {
  const start = entry.date && entry.date.length > 10 ? Date.parse(entry.date) : Number.NaN;
  return Number.isNaN(start) ? entry.recordedAt : new Date(start).toISOString();
};

const visitItem = (entry: LocatorEntry) => {
  const start = startOf(entry);
  return {
    // the day's encounters spread over VISIT_DAY_SHARDS keys by entry (a hot key at 10× the peak otherwise: docs/capacity.md)
    empi: shardKey(`visits#${cstDay(start)}`, entry.id, VISIT_DAY_SHARDS),
    entry: entry.id,
    resident: entry.empi,
    hospitalId: entry.hospitalId,
    cityId: entry.cityId,
    status: entry.status,
    start,
  };
};

/** The encounters that began on a China Standard Time day, as the record locator filed them */
export function encounterVisits(tableName: string): EncounterVisits {
  return {
    async on(date) {
      const shards = await Promise.all(
        allShardKeys(`visits#${date}`, VISIT_DAY_SHARDS).map((day) =>
          queryAll<ReturnType<typeof visitItem>>({
            TableName: tableName,
            KeyConditionExpression: "empi = :day",
            ExpressionAttributeValues: { ":day": day },
          }),
        ),
      );
      return shards
        .flat()
        .filter((i) => i.status !== "cancelled" && i.status !== "entered-in-error")
        .map(({ resident, hospitalId, cityId, start }) => ({ empi: resident, hospitalId, cityId, start }));
    },
  };
}
