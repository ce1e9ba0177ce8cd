/**
 * InsuranceCatalogue table (insurance platform): its own copy of the hub's drug catalogue, one item per
 * insurance drug code and catalogue version that changed it (`code`, `version` zero-padded), with the
 * day that version is in force from and the drug's category and validity (none: the version withdrew
 * the code). A code's versions are one Query; the seed writes the same items (copyItem).
 */
import type { CatalogueCopyEntry } from "#domain/settlement/catalogue-items.ts";
import type { InsuranceCatalogue } from "#ports/settlement.ts";
import { batchWriteAll, putRequests, queryAllItems } from "./batch-write.ts";

/** The table's item for one code at one version (flat, no nulls: an open validity has no validTo) */
export const copyItem = ({ insuranceCode, validTo, ...rest }: CatalogueCopyEntry & { insuranceCode: string }) => ({
  code: insuranceCode,
  version: String(rest.version).padStart(10, "0"),
  catalogueVersion: rest.version,
  ...(rest.inForceFrom ? { inForceFrom: rest.inForceFrom } : {}),
  ...(rest.category ? { category: rest.category } : {}),
  ...(rest.validFrom ? { validFrom: rest.validFrom } : {}),
  ...(validTo ? { validTo } : {}),
});

const entryOf = (item: Record<string, unknown>): CatalogueCopyEntry => ({
  version: item.catalogueVersion as number,
  inForceFrom: item.inForceFrom as string,
  ...(typeof item.category === "string" ? { category: item.category } : {}),
  ...(typeof item.validFrom === "string" ? { validFrom: item.validFrom, validTo: (item.validTo as string | undefined) ?? null } : {}),
});

export const dynamoInsuranceCatalogue = (tableName: string): InsuranceCatalogue => ({
  async history(insuranceCode) {
    const items = await queryAllItems({
      TableName: tableName,
      KeyConditionExpression: "code = :c",
      ExpressionAttributeValues: { ":c": insuranceCode },
    });
    return items.map(entryOf);
  },
  async apply(entries) {
    await batchWriteAll(tableName, putRequests(entries.map(copyItem)));
  },
});
