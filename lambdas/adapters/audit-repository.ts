/**
 * AuditEvents table (hub): the audit repository. Each event is stored once under
 * `event#<id>` and copied (immutable) under the partitions it is searched by: `patient#<system|value>`,
 * `agent#<id>` and `day#<YYYY-MM-DD>#<shard>` (the day spread over AUDIT_DAY_SHARDS keys by the
 * event's id: domain/sharding.ts), sorted by `<recorded>#<id>`. Writes are idempotent puts of the
 * same content, so a redelivered event changes nothing; nothing updates or deletes an event.
 */
import { GetCommand, paginateQuery } from "@aws-sdk/lib-dynamodb";
import { AUDIT_DAY_SHARDS, allShardKeys, shardKey } from "#domain/sharding.ts";
import type { AuditRepository, StoredAuditEvent } from "#ports/audit.ts";
import type { AuditIndex } from "#schemas/audit.ts";
import { documentClient } from "#shared/aws.ts";
import { batchWriteAll, putRequests } from "./batch-write.ts";

interface Item extends AuditIndex {
  pk: string;
  sk: string;
  id: string;
  event: string;
}

const toStored = (item: Item): StoredAuditEvent => ({
  id: item.id,
  recorded: item.recorded,
  patients: item.patients,
  agents: item.agents,
  outcome: item.outcome,
  node: item.node,
  event: JSON.parse(item.event) as Record<string, unknown>,
});

/** The items one event is stored as (also written by a health card verification beside its use: adapters/health-card-store.ts) */
export function auditEventItems(id: string, index: AuditIndex, event: Record<string, unknown>): Item[] {
  const body = { id, ...index, event: JSON.stringify(event) };
  const sk = `${index.recorded}#${id}`;
  return [
    { pk: `event#${id}`, sk: "event", ...body },
    ...index.patients.map((p) => ({ pk: `patient#${p}`, sk, ...body })),
    ...index.agents.map((a) => ({ pk: `agent#${a}`, sk, ...body })),
    { pk: shardKey(`day#${index.recorded.slice(0, 10)}`, id, AUDIT_DAY_SHARDS), sk, ...body },
  ];
}

export const dynamoAuditRepository = (tableName: string): AuditRepository => ({
  async store(id, index, event) {
    await batchWriteAll(tableName, putRequests(auditEventItems(id, index, event)));
  },
  async get(id) {
    const out = await documentClient().send(
      new GetCommand({ TableName: tableName, Key: { pk: `event#${id}`, sk: "event" }, ConsistentRead: true }),
    );
    return out.Item ? toStored(out.Item as Item) : undefined;
  },
  async query(partition, range, limit) {
    const base = `${partition.kind}#${partition.value}`;
    if (partition.kind !== "day") return queryNewest(tableName, base, range, limit);
    // the day's shards, newest first each: merged, the newest `limit` of all
    const shards = await Promise.all(allShardKeys(base, AUDIT_DAY_SHARDS).map((pk) => queryNewest(tableName, pk, range, limit)));
    return shards
      .flat()
      .sort((a, b) => (a.recorded === b.recorded ? b.id.localeCompare(a.id) : b.recorded.localeCompare(a.recorded)))
      .slice(0, limit);
  },
});

async function queryNewest(
  tableName: string,
  pk: string,
  range: { from?: string; to?: string },
  limit: number,
): Promise<StoredAuditEvent[]> {
  const from = range.from ?? "0000";
  const to = range.to ?? "9999";
  const found: StoredAuditEvent[] = [];
  const pages = paginateQuery(
    { client: documentClient(), pageSize: Math.min(limit, 500) },
    {
      TableName: tableName,
      KeyConditionExpression: "pk = :pk AND sk BETWEEN :from AND :to",
      ExpressionAttributeValues: { ":pk": pk, ":from": from, ":to": `${to}` },
      ScanIndexForward: false,
      ConsistentRead: true,
    },
  );
  for await (const page of pages) {
    for (const item of page.Items ?? []) {
      found.push(toStored(item as Item));
      if (found.length >= limit) return found;
    }
  }
  return found;
}
