/**
 * The insurance platform keeps its own copy of the drug catalogue (docs/drugs-devices.md#claims-and-the-catalogue).
 * Input: one part of a catalogue version the hub sent (its DrugCatalogueVersions queue). Output: the
 * copy holds each entry and withdrawal under its code and version. Idempotent: a part delivered again
 * writes the same items; parts in any order make the same copy.
 */
import type { InsuranceCatalogue } from "#ports/settlement.ts";
import type { CatalogueVersionMessageV1 } from "#schemas/drugs.ts";

export async function keepCatalogueVersion(copy: InsuranceCatalogue, message: CatalogueVersionMessageV1): Promise<number> {
  const at = { version: message.catalogueVersion, inForceFrom: message.inForceFrom };
  const entries = [
    ...message.entries.map((e) => ({
      ...at,
      insuranceCode: e.insuranceCode,
      category: e.category,
      validFrom: e.validFrom,
      validTo: e.validTo,
    })),
    ...message.withdrawn.map((insuranceCode) => ({ ...at, insuranceCode })),
  ];
  await copy.apply(entries);
  return entries.length;
}
