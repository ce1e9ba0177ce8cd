/**
 * The hub sends each drug catalogue version to the insurance platform (docs/drugs-devices.md#claims-and-the-catalogue),
 * which keeps its own copy and never calls the hub.
 * Input: a version, the catalogue, the send to the hub's DrugCatalogueVersions queue. Output: the
 * version's parts sent (each drug the version changed, with its category and validity, and the
 * insurance codes it withdrew), then the version marked published. A version not marked (the send
 * failed, the import stopped) is sent again by the next import, whole: the copy's writes are idempotent.
 */
import { codeKey } from "#domain/drugs/catalogue.ts";
import { cstDay } from "#domain/settlement/claim-response.ts";
import type { DrugCatalogueStore } from "#ports/drugs.ts";
import type { CatalogueVersionMessageV1 } from "#schemas/drugs.ts";

/** Entries per message: about 130 bytes each, far below SQS's 256 KiB */
export const ENTRIES_PER_PART = 500;

export type SendCatalogueVersion = (message: CatalogueVersionMessageV1) => Promise<void>;

export async function publishVersion(catalogue: DrugCatalogueStore, send: SendCatalogueVersion, version: number): Promise<number> {
  const log = await catalogue.versionLog(version);
  if (!log || log.published) return 0;
  const records = await catalogue.byKeys(log.drugs.map((drug) => codeKey("national", drug)));
  // a drug a later version changed again travels with that version
  const entries = [...records.values()]
    .filter((r) => r.version === version)
    .map(({ entry }) => ({
      insuranceCode: entry.insuranceCode,
      nationalDrugCode: entry.nationalDrugCode,
      category: entry.category,
      validFrom: entry.validFrom,
      validTo: entry.validTo,
    }));
  const withdrawn = log.withdrawn ?? [];
  const parts = Math.max(1, Math.ceil(entries.length / ENTRIES_PER_PART));
  const inForceFrom = log.inForceFrom ?? cstDay(log.lastUpdated);
  for (let part = 0; part < parts; part++)
    await send({
      type: "catalogue-version",
      version: 1,
      catalogueVersion: version,
      inForceFrom,
      part,
      parts,
      entries: entries.slice(part * ENTRIES_PER_PART, (part + 1) * ENTRIES_PER_PART),
      withdrawn: part === 0 ? withdrawn : [],
    });
  await catalogue.markPublished(version);
  return parts;
}
