/**
 * DrugCatalogue table (hub): each drug under every code it carries (`code` = "<kind>|<value>"), the
 * entry as JSON with the catalogue version that last changed it, so a code resolves with one GetItem;
 * `meta|version` holds the current version (moved by a conditional update), `version|<n>` the drugs
 * version n changed. The seed writes the same items (drugCatalogueItems, versionItems).
 */
import { GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { entryKeys } from "#domain/drugs/catalogue.ts";
import type { CatalogueRecord, DrugCatalogueStore, VersionLog } from "#ports/drugs.ts";
import { catalogueEntrySchema } from "#schemas/drugs.ts";
import { documentClient } from "#shared/aws.ts";
import { batchGetAll, batchWriteAll, putRequests } from "./batch-write.ts";
import { conditionalWrite } from "./conditional-write.ts";

interface CatalogueItem {
  code: string;
  drugId: string;
  version: number;
  lastUpdated: string;
  entry: string;
}

const META = "meta|version";
const logKey = (version: number) => `version|${version}`;

/** The table's items for one drug at a version */
export const drugCatalogueItems = (record: CatalogueRecord): CatalogueItem[] =>
  entryKeys(record.entry).map((code) => ({
    code,
    drugId: record.entry.nationalDrugCode,
    version: record.version,
    lastUpdated: record.lastUpdated,
    entry: JSON.stringify(record.entry),
  }));

/** The items that make `log` the current version (the seed's first) */
export const versionItems = (log: VersionLog) => [
  { code: META, version: log.version, lastUpdated: log.lastUpdated },
  { code: logKey(log.version), ...log },
];

const recordOf = (item: CatalogueItem): CatalogueRecord => ({
  entry: catalogueEntrySchema.parse(JSON.parse(item.entry)),
  version: item.version,
  lastUpdated: item.lastUpdated,
});

export const dynamoDrugCatalogue = (tableName: string): DrugCatalogueStore => ({
  async byKey(key) {
    const got = await documentClient().send(new GetCommand({ TableName: tableName, Key: { code: key } }));
    return got.Item ? recordOf(got.Item as CatalogueItem) : undefined;
  },
  async byKeys(keys) {
    const items = (await batchGetAll(tableName, "code", keys)) as unknown as CatalogueItem[];
    return new Map(items.map((item) => [item.code, recordOf(item)]));
  },
  async currentVersion() {
    const got = await documentClient().send(new GetCommand({ TableName: tableName, Key: { code: META } }));
    return (got.Item?.version as number | undefined) ?? 0;
  },
  claimVersion: (previous, lastUpdated) =>
    conditionalWrite(() =>
      documentClient().send(
        new UpdateCommand({
          TableName: tableName,
          Key: { code: META },
          UpdateExpression: "SET version = :next, lastUpdated = :t",
          ConditionExpression: previous === 0 ? "attribute_not_exists(version)" : "version = :previous",
          ExpressionAttributeValues: { ":next": previous + 1, ":t": lastUpdated, ...(previous === 0 ? {} : { ":previous": previous }) },
        }),
      ),
    ),
  async putVersionLog(log) {
    await documentClient().send(new PutCommand({ TableName: tableName, Item: versionItems(log)[1] }));
  },
  async markPublished(version) {
    await documentClient().send(
      new UpdateCommand({
        TableName: tableName,
        Key: { code: logKey(version) },
        UpdateExpression: "SET published = :t",
        ExpressionAttributeValues: { ":t": true },
      }),
    );
  },
  async versionLog(version) {
    const got = await documentClient().send(new GetCommand({ TableName: tableName, Key: { code: logKey(version) } }));
    return got.Item as VersionLog | undefined;
  },
  async putRecords(records, staleKeys) {
    await batchWriteAll(tableName, [
      ...putRequests(records.flatMap(drugCatalogueItems)),
      ...staleKeys.map((code) => ({ DeleteRequest: { Key: { code } } })),
    ]);
  },
});
