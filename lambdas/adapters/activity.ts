/**
 * Province-wide activity counters for the operations summary (never patient data): per metric and
 * per minute (UTC), incremented where the work is applied at the hub. Table Activity
 * (pk "<metric>#<shard>", sk minute "YYYY-MM-DDTHH:MM": each increment goes to one of ACTIVITY_SHARDS keys
 * at random, and a reader sums them, so no metric's minute is one hot item: domain/sharding.ts). A redelivered message may count twice: the counters
 * are a gauge for people watching the province, not a ledger (the ledgers are the records themselves).
 */
import { QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { ACTIVITY_SHARDS, allShardKeys } from "#domain/sharding.ts";
import type { ActivityCounter, ReadVolume } from "#ports/activity.ts";
import { documentClient } from "#shared/aws.ts";
import { logger } from "#shared/logger.ts";

export const minuteOf = (at: Date): string => at.toISOString().slice(0, 16);

export function dynamoActivityCounter(tableName: string): ActivityCounter {
  const ddb = documentClient();
  return {
    async add(metric, at, count = 1) {
      try {
        await ddb.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { metric: `${metric}#${Math.floor(Math.random() * ACTIVITY_SHARDS)}`, minute: minuteOf(at) },
            UpdateExpression: "ADD #c :n",
            ExpressionAttributeNames: { "#c": "count" },
            ExpressionAttributeValues: { ":n": count },
          }),
        );
      } catch (error) {
        logger.warn("activity counter not incremented", { metric, error: error as Error });
      }
    },
    async recent(metric, now, minutes) {
      const current = Date.parse(`${minuteOf(now)}:00.000Z`);
      const keys = Array.from({ length: minutes }, (_, i) => minuteOf(new Date(current - (minutes - i) * 60_000)));
      const byMinute = new Map<string, number>();
      const shards = await Promise.all(
        allShardKeys(metric, ACTIVITY_SHARDS).map((pk) =>
          ddb.send(
            new QueryCommand({
              TableName: tableName,
              KeyConditionExpression: "#m = :m AND #t BETWEEN :from AND :to",
              ExpressionAttributeNames: { "#m": "metric", "#t": "minute" },
              ExpressionAttributeValues: { ":m": pk, ":from": keys[0], ":to": keys[keys.length - 1] },
            }),
          ),
        ),
      );
      for (const out of shards)
        for (const i of out.Items ?? []) byMinute.set(String(i.minute), (byMinute.get(String(i.minute)) ?? 0) + Number(i.count));
      return keys.map((k) => byMinute.get(k) ?? 0);
    },
  };
}

export const hourOf = (at: Date): string => at.toISOString().slice(0, 13);

/**
 * Reads per practitioner per hour in the Activity table: `reads#<hospitalId>#<practitionerId>` / hour,
 * and the alerts of practitioners past the threshold under `read-volume` / `<hour>#<hospitalId>#<practitionerId>`.
 * Gauges, like the activity counters: a redelivered audit event may count twice.
 */
export function dynamoReadVolume(tableName: string): ReadVolume {
  const ddb = documentClient();
  return {
    async count(practitionerId, hospitalId, at) {
      try {
        const out = await ddb.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { metric: `reads#${hospitalId}#${practitionerId}`, minute: hourOf(at) },
            UpdateExpression: "ADD #c :one",
            ExpressionAttributeNames: { "#c": "count" },
            ExpressionAttributeValues: { ":one": 1 },
            ReturnValues: "UPDATED_NEW",
          }),
        );
        return Number(out.Attributes?.count ?? 0);
      } catch (error) {
        logger.warn("read volume not counted", { error: error as Error });
        return 0;
      }
    },
    async alert(a) {
      await ddb.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { metric: "read-volume", minute: `${a.hour}#${a.hospitalId}#${a.practitionerId}` },
          UpdateExpression: "SET #r = :r, #p = :p, #h = :h",
          ExpressionAttributeNames: { "#r": "reads", "#p": "practitionerId", "#h": "hospitalId" },
          ExpressionAttributeValues: { ":r": a.reads, ":p": a.practitionerId, ":h": a.hospitalId },
        }),
      );
    },
    async alerts(since, now) {
      const out = await ddb.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: "#m = :m AND #t BETWEEN :from AND :to",
          ExpressionAttributeNames: { "#m": "metric", "#t": "minute" },
          ExpressionAttributeValues: { ":m": "read-volume", ":from": hourOf(since), ":to": `${hourOf(now)}~` },
          ScanIndexForward: false,
        }),
      );
      return (out.Items ?? []).map((i) => ({
        practitionerId: String(i.practitionerId),
        hospitalId: String(i.hospitalId),
        hour: String(i.minute).slice(0, 13),
        reads: Number(i.reads),
      }));
    },
  };
}
