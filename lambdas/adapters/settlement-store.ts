/**
 * Settlements table (hub): every ClaimResponse the insurance platform returned, by claim, and the
 * day's settlements for reconciliation (China Standard Time, by settlement time).
 *   pk "claim#<hospitalId>|<claimNumber>"  sk "<action>"                              the result and its ClaimResponse
 *   pk "day#<YYYY-MM-DD>#<shard>"          sk "<hospitalId>#<claimNumber>#<action>"   amounts of a settled claim or reversal
 *     (the day spread over SETTLEMENT_DAY_SHARDS keys by hospital: domain/sharding.ts)
 *   pk "response#<ClaimResponse id>"       sk "response"                              the claim it answers (a read by id)
 * Writes are idempotent puts of the same content (the platform answers a claim and action once).
 */

import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { claimResponseId, cstDay } from "#domain/settlement/claim-response.ts";
import { allShardKeys, SETTLEMENT_DAY_SHARDS, shardKey } from "#domain/sharding.ts";
import type { DayEntry, SettlementStore, StoredSettlement } from "#ports/settlement.ts";
import type { ClaimAdjudicatedMessageV1 } from "#schemas/settlement.ts";
import { documentClient } from "#shared/aws.ts";
import { queryAll } from "./scan.ts";

export function settlementStore(tableName: string): SettlementStore {
  return {
    async record(result: ClaimAdjudicatedMessageV1, claimResponse: Record<string, unknown>): Promise<void> {
      if (result.outcome === "complete") {
        const entry: DayEntry = {
          hospitalId: result.hospitalId,
          action: result.action,
          submittedFen: result.amounts.submittedFen,
          benefitFen: result.amounts.benefitFen,
        };
        await documentClient().send(
          new PutCommand({
            TableName: tableName,
            Item: {
              pk: shardKey(`day#${cstDay(result.settledAt)}`, result.hospitalId, SETTLEMENT_DAY_SHARDS),
              sk: `${result.hospitalId}#${result.claimNumber}#${result.action}`,
              ...entry,
            },
          }),
        );
      }
      // the pointer first: a settlement recorded is a settlement readable by id
      const { hospitalId, claimNumber, action } = result;
      await documentClient().send(
        new PutCommand({
          TableName: tableName,
          Item: { pk: `response#${claimResponseId(result)}`, sk: "response", hospitalId, claimNumber, action },
        }),
      );
      await documentClient().send(
        new PutCommand({
          TableName: tableName,
          Item: { pk: `claim#${result.hospitalId}|${result.claimNumber}`, sk: result.action, result, claimResponse },
        }),
      );
    },
    async byResponseId(id: string): Promise<StoredSettlement | undefined> {
      const get = async (pk: string, sk: string) =>
        (await documentClient().send(new GetCommand({ TableName: tableName, Key: { pk, sk }, ConsistentRead: true }))).Item;
      const pointer = (await get(`response#${id}`, "response")) as { hospitalId: string; claimNumber: string; action: string } | undefined;
      if (!pointer) return undefined;
      return (await get(`claim#${pointer.hospitalId}|${pointer.claimNumber}`, pointer.action)) as StoredSettlement | undefined;
    },
    async byClaim(hospitalId: string, claimNumber: string): Promise<StoredSettlement[]> {
      return queryAll({
        TableName: tableName,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": `claim#${hospitalId}|${claimNumber}` },
        ConsistentRead: true,
      });
    },
    async day(date: string, hospitalId?: string): Promise<DayEntry[]> {
      // a hospital's entries live in one shard; the whole day in all of them, in key order as one partition gave them
      const keys = hospitalId
        ? [shardKey(`day#${date}`, hospitalId, SETTLEMENT_DAY_SHARDS)]
        : allShardKeys(`day#${date}`, SETTLEMENT_DAY_SHARDS);
      const shards = await Promise.all(
        keys.map((pk) =>
          queryAll<DayEntry & { sk: string }>({
            TableName: tableName,
            KeyConditionExpression: hospitalId ? "pk = :pk AND begins_with(sk, :h)" : "pk = :pk",
            ExpressionAttributeValues: { ":pk": pk, ...(hospitalId ? { ":h": `${hospitalId}#` } : {}) },
            ConsistentRead: true,
          }),
        ),
      );
      return shards.flat().sort((a, b) => a.sk.localeCompare(b.sk));
    },
  };
}
