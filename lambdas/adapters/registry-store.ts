/**
 * Registry and RegistryIndex tables (hub): the health-resources database and its search entries
 * (docs/adr/0007). A record is one item keyed by resourceKey ("Organization/bd001"; a Practitioner
 * with its roles); a write is a conditional put on the record's version, then its entries, then
 * the removal of the entries it no longer has. The record lists the entries it owns (and, until the
 * index is settled, the ones it retires), so a write interrupted half-way is completed by the next.
 */
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { BatchGetCommand, GetCommand, PutCommand, paginateQuery, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { entryId, type IndexEntry, parseEntryId } from "#domain/registry/index-entries.ts";
import type { PractitionerRole, RegistryResource } from "#domain/registry/resources.ts";
import { type IndexHit, RecordConflictError, type RegistryRecord, type RegistryStore, type StoredRecord } from "#ports/registry.ts";
import { documentClient } from "#shared/aws.ts";
import { batchWriteAll } from "./batch-write.ts";

type Item = Record<string, unknown>;

/** The Registry item of a record owning `entries` (also what the local seed writes). */
export function registryItem(record: RegistryRecord, entries: IndexEntry[]): Item {
  return {
    resourceKey: record.key,
    version: record.version,
    resourceType: record.resource.resourceType,
    resource: JSON.stringify(record.resource),
    ...(record.roles.length > 0 ? { roles: JSON.stringify(record.roles) } : {}),
    indexEntries: entries.map(entryId),
  };
}

/** The RegistryIndex item of an entry. */
export const indexItem = (entry: IndexEntry): Item => ({ ...entry });

function fromItem(item: Item): StoredRecord {
  const retired = (item.retiredEntries as string[] | undefined) ?? [];
  return {
    key: item.resourceKey as string,
    version: item.version as number,
    resource: JSON.parse(item.resource as string) as RegistryResource,
    roles: item.roles ? (JSON.parse(item.roles as string) as PractitionerRole[]) : [],
    // entries a previous write meant to retire but may not have: the next write retires them again
    entries: [...((item.indexEntries as string[] | undefined) ?? []), ...retired],
  };
}

const pause = (attempt: number) => new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));

/** Reads one index partition (strongly consistent, all pages). */
export async function queryIndex(indexTable: string, read: { indexKey: string; beginsWith?: string }): Promise<IndexHit[]> {
  const hits: IndexHit[] = [];
  const pages = paginateQuery(
    { client: documentClient() },
    {
      TableName: indexTable,
      ConsistentRead: true,
      KeyConditionExpression: read.beginsWith ? "indexKey = :k AND begins_with(sortKey, :p)" : "indexKey = :k",
      ExpressionAttributeValues: { ":k": read.indexKey, ...(read.beginsWith ? { ":p": read.beginsWith } : {}) },
      ProjectionExpression: "sortKey, cityId",
    },
  );
  for await (const page of pages) hits.push(...((page.Items ?? []) as IndexHit[]));
  return hits;
}

export const dynamoRegistryStore = (registryTable: string, indexTable: string): RegistryStore => ({
  async get(key) {
    const out = await documentClient().send(new GetCommand({ TableName: registryTable, Key: { resourceKey: key }, ConsistentRead: true }));
    return out.Item ? fromItem(out.Item) : undefined;
  },

  async getMany(keys) {
    const records: StoredRecord[] = [];
    const unique = [...new Set(keys)];
    for (let i = 0; i < unique.length; i += 100) {
      let pending: Item[] = unique.slice(i, i + 100).map((resourceKey) => ({ resourceKey }));
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 8) throw new Error(`${pending.length} registry reads stayed unprocessed`);
        if (attempt > 0) await pause(attempt);
        const out = await documentClient().send(
          new BatchGetCommand({ RequestItems: { [registryTable]: { Keys: pending, ConsistentRead: true } } }),
        );
        records.push(...(out.Responses?.[registryTable] ?? []).map(fromItem));
        pending = (out.UnprocessedKeys?.[registryTable]?.Keys ?? []) as Item[];
      }
    }
    return records;
  },

  async put(record, entries, previous) {
    const owned = new Set(entries.map(entryId));
    const retired = [...new Set(previous?.entries ?? [])].filter((id) => !owned.has(id));
    try {
      await documentClient().send(
        new PutCommand({
          TableName: registryTable,
          // indexPending until the entries are settled below: a record read with it retires `retired` again
          Item: { ...registryItem(record, entries), ...(retired.length > 0 ? { retiredEntries: retired } : {}), indexPending: true },
          ConditionExpression: previous ? "#v = :previous" : "attribute_not_exists(resourceKey)",
          ExpressionAttributeNames: previous ? { "#v": "version" } : undefined,
          ExpressionAttributeValues: previous ? { ":previous": previous.version } : undefined,
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new RecordConflictError(record.key);
      throw error;
    }
    await batchWriteAll(
      indexTable,
      entries.map((e) => ({ PutRequest: { Item: indexItem(e) } })),
    );
    await batchWriteAll(
      indexTable,
      retired.map((id) => ({ DeleteRequest: { Key: parseEntryId(id) } })),
    );
    try {
      await documentClient().send(
        new UpdateCommand({
          TableName: registryTable,
          Key: { resourceKey: record.key },
          UpdateExpression: "REMOVE retiredEntries, indexPending",
          ConditionExpression: "#v = :version",
          ExpressionAttributeNames: { "#v": "version" },
          ExpressionAttributeValues: { ":version": record.version },
        }),
      );
    } catch (error) {
      // a newer write took over (and with it the entries to retire)
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  },

  query: (read) => queryIndex(indexTable, read),
});
