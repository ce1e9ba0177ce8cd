/**
 * DrugCatalogue table (hub): each drug under every code it carries (`code` = "<kind>|<value>"), the
 * entry as JSON with the catalogue version that last changed it. The seed writes the same items
 * (drugCatalogueItems), so a code resolves with one GetItem.
 */
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { entryKeys } from "#domain/drugs/catalogue.ts";
import type { CatalogueRecord, DrugCatalogueStore } from "#ports/drugs.ts";
import { catalogueEntrySchema } from "#schemas/drugs.ts";
import { documentClient } from "#shared/aws.ts";

interface CatalogueItem {
  code: string;
  drugId: string;
  version: number;
  lastUpdated: string;
  entry: string;
}

/** The table's items for one drug at a version */
export const drugCatalogueItems = (record: CatalogueRecord): CatalogueItem[] =>
  entryKeys(record.entry).map((code) => ({
    code,
    drugId: record.entry.nationalDrugCode,
    version: record.version,
    lastUpdated: record.lastUpdated,
    entry: JSON.stringify(record.entry),
  }));

export const dynamoDrugCatalogue = (tableName: string): DrugCatalogueStore => ({
  async byKey(key) {
    const got = await documentClient().send(new GetCommand({ TableName: tableName, Key: { code: key } }));
    const item = got.Item as CatalogueItem | undefined;
    if (!item) return undefined;
    return { entry: catalogueEntrySchema.parse(JSON.parse(item.entry)), version: item.version, lastUpdated: item.lastUpdated };
  },
});
