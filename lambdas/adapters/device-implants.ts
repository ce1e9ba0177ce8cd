/**
 * DeviceImplants table (hub): `di|<DI>#<shard>` / `<lot>|<encounterId>|<deviceId>` holds each implant,
 * so one Query (per shard) reads a DI, and `begins_with(sk, "<lot>|")` a DI and lot. A DI implanted
 * province-wide (a coronary stent) is a hot key: its implants spread over IMPLANT_DI_SHARDS keys by
 * the implant's identity (an encounter re-sent lands on the same item); a recall reads them in
 * parallel. `recall|<DI>` / `<lot>` (or `*`: every lot) holds each recall, created conditionally.
 */
import { GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { allShardKeys, shardKey } from "#domain/sharding.ts";
import type { ImplantIndex, ImplantRecord, Recall, RecallStore } from "#ports/devices.ts";
import { documentClient } from "#shared/aws.ts";
import { batchWriteAll, putRequests, queryAllItems } from "./batch-write.ts";
import { conditionalWrite } from "./conditional-write.ts";

/** Implants per DI: a few hundred a day at most even for a stent; 8 keys keep a recall's reads parallel */
export const IMPLANT_DI_SHARDS = 8;

const implantKeys = (r: ImplantRecord) => ({
  pk: shardKey(`di|${r.di}`, `${r.encounterId}|${r.deviceId}`, IMPLANT_DI_SHARDS),
  sk: `${r.lot ?? ""}|${r.encounterId}|${r.deviceId}`,
});
const recallKey = (di: string, lot: string | undefined) => ({ pk: `recall|${di}`, sk: lot ?? "*" });

const queryDi = async (tableName: string, pk: string, lotPrefix: string | undefined): Promise<ImplantRecord[]> =>
  (
    await queryAllItems({
      TableName: tableName,
      KeyConditionExpression: lotPrefix === undefined ? "pk = :pk" : "pk = :pk AND begins_with(sk, :lot)",
      ExpressionAttributeValues: { ":pk": pk, ...(lotPrefix === undefined ? {} : { ":lot": lotPrefix }) },
    })
  ).map((item) => item.implant as ImplantRecord);

export const dynamoImplantIndex = (tableName: string): ImplantIndex => ({
  async put(records) {
    if (records.length > 0) await batchWriteAll(tableName, putRequests(records.map((implant) => ({ ...implantKeys(implant), implant }))));
  },
  async byDi(di, lot) {
    const shards = await Promise.all(
      allShardKeys(`di|${di}`, IMPLANT_DI_SHARDS).map((pk) => queryDi(tableName, pk, lot === undefined ? undefined : `${lot}|`)),
    );
    return shards.flat();
  },
});

export const dynamoRecallStore = (tableName: string): RecallStore => ({
  async get(di, lot) {
    const got = await documentClient().send(new GetCommand({ TableName: tableName, Key: recallKey(di, lot), ConsistentRead: true }));
    return got.Item?.recall as Recall | undefined;
  },
  create: (recall) =>
    conditionalWrite(() =>
      documentClient().send(
        new PutCommand({
          TableName: tableName,
          Item: { ...recallKey(recall.di, recall.lot), recall },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      ),
    ),
  async markSent(di, lot) {
    await documentClient().send(
      new UpdateCommand({
        TableName: tableName,
        Key: recallKey(di, lot),
        UpdateExpression: "SET recall.sent = :t",
        ExpressionAttributeValues: { ":t": true },
      }),
    );
  },
});
