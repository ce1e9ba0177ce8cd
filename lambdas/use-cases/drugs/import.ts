/**
 * Apply a daily delta to the drug catalogue (docs/drugs-devices.md#the-daily-delta).
 * Input: the delta's entries (schema-checked), the catalogue, the time.
 * Output: the catalogue's version after it and how many entries changed (0: nothing applied, the same version).
 * Primary course: check every entry's codes and validity (400 naming `entries.<i>.<field>`, nothing
 * applied); keep those that differ from the catalogue; refuse a code another drug holds (409 naming it);
 * claim the next version, log the drugs it changes, then write them and drop the codes they no longer carry.
 * Importing the same delta again changes nothing. An import interrupted after its claim is completed by
 * the next one (its entries still differ, or carry a version above the current one's). Each version is
 * then sent to the insurance platform (publish.ts); one whose sending failed is sent by the next import.
 */
import { codeKey, entryKeys, entryProblems, keyValue } from "#domain/drugs/catalogue.ts";
import { BadRequestError, ConflictError } from "#domain/errors.ts";
import { cstDay } from "#domain/settlement/claim-response.ts";
import type { CatalogueRecord, DrugCatalogueStore } from "#ports/drugs.ts";
import type { CatalogueDelta, CatalogueEntry } from "#schemas/drugs.ts";
import { publishVersion, type SendCatalogueVersion } from "./publish.ts";

const FIELD_OF_KIND = { national: "nationalDrugCode", insurance: "insuranceCode", gtin: "gtin" } as const;

export async function importDelta(catalogue: DrugCatalogueStore, delta: CatalogueDelta, now: string, send: SendCatalogueVersion) {
  const seen = new Map<string, number>();
  delta.entries.forEach((entry, i) => {
    const problem = entryProblems(entry)[0];
    if (problem) throw new BadRequestError(`entries.${i}.${problem.field}: ${problem.problem}`, `entries.${i}.${problem.field}`);
    for (const key of entryKeys(entry)) {
      const other = seen.get(key);
      const field = FIELD_OF_KIND[key.slice(0, key.indexOf("|")) as keyof typeof FIELD_OF_KIND];
      if (other !== undefined)
        throw new BadRequestError(`entries.${i}.${field}: also the code of entries.${other}`, `entries.${i}.${field}`);
      seen.set(key, i);
    }
  });
  const current = await catalogue.currentVersion();
  // the current version's sending may have failed: it goes before any newer one
  if (current > 0) await publishVersion(catalogue, send, current);
  const stored = await catalogue.byKeys(delta.entries.flatMap(entryKeys));
  const same = (entry: CatalogueEntry, record: CatalogueRecord | undefined) =>
    record !== undefined && record.version <= current && JSON.stringify(record.entry) === JSON.stringify(entry);
  const changed = delta.entries
    .map((entry, i) => ({ entry, i, before: stored.get(codeKey("national", entry.nationalDrugCode)) }))
    .filter(({ entry, before }) => !same(entry, before));
  if (changed.length === 0) return { version: current, changed: 0, unchanged: delta.entries.length };
  for (const { entry, i } of changed)
    for (const key of entryKeys(entry)) {
      const holder = stored.get(key)?.entry.nationalDrugCode;
      const field = FIELD_OF_KIND[key.slice(0, key.indexOf("|")) as keyof typeof FIELD_OF_KIND];
      if (holder && holder !== entry.nationalDrugCode)
        throw new ConflictError(`entries.${i}.${field}: already the code of drug ${holder}`, `entries.${i}.${field}`);
    }
  const version = current + 1;
  if (!(await catalogue.claimVersion(current, now)))
    throw new ConflictError(`Another import applied version ${version} meanwhile; import the file again`, "entries");
  const staleKeys = changed.flatMap(({ entry, before }) => {
    const keys = new Set(entryKeys(entry));
    return before ? entryKeys(before.entry).filter((key) => !keys.has(key)) : [];
  });
  await catalogue.putVersionLog({
    version,
    lastUpdated: now,
    inForceFrom: cstDay(now),
    drugs: changed.map(({ entry }) => entry.nationalDrugCode),
    withdrawn: staleKeys.filter((key) => key.startsWith("insurance|")).map(keyValue),
  });
  await catalogue.putRecords(
    changed.map(({ entry }) => ({ entry, version, lastUpdated: now })),
    staleKeys,
  );
  await publishVersion(catalogue, send, version);
  return { version, changed: changed.length, unchanged: delta.entries.length - changed.length };
}
