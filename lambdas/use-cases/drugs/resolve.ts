/**
 * Resolve any of a drug's codes to its one catalogue entry (docs/drugs-devices.md#resolution).
 * Input: the `code` search parameter ("[system|]value"), the catalogue, today (YYYY-MM-DD).
 * Output: a searchset Bundle of the MedicationKnowledge (none for an unknown valid code).
 * Primary course: name the code (400 naming `code` when malformed or its check digit is wrong),
 * read it under its key, build the resource.
 */
import { codeKey, medicationKnowledge, namedCode } from "#domain/drugs/catalogue.ts";
import { BadRequestError } from "#domain/errors.ts";
import type { DrugCatalogueStore } from "#ports/drugs.ts";

export async function resolveDrugCode(catalogue: DrugCatalogueStore, code: string | undefined, today: string) {
  if (!code) throw new BadRequestError("code: required (any of a drug's codes: national drug code, insurance drug code, GTIN)", "code");
  const named = namedCode(code);
  if (!named.ok) throw new BadRequestError(`code: ${named.problem}`, "code");
  const record = await catalogue.byKey(codeKey(named.kind, named.value));
  const entry = record
    ? [
        {
          resource: medicationKnowledge(record.entry, { version: record.version, lastUpdated: record.lastUpdated, today }),
          search: { mode: "match" as const },
        },
      ]
    : [];
  return { resourceType: "Bundle" as const, type: "searchset" as const, total: entry.length, entry };
}

/**
 * The entries changed after an instant (`_lastUpdated=gt<instant>`, or `ge`), at their current version.
 * Primary course: walk the version logs down from the current version while they are after the instant,
 * read each named drug once. A malformed `_lastUpdated` → 400 naming it.
 */
export async function changedSince(catalogue: DrugCatalogueStore, lastUpdated: string | undefined, today: string) {
  const m = /^(gt|ge)(\d{4}-\d{2}-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:\d{2}))?)$/.exec(lastUpdated ?? "");
  const since = m ? Date.parse(m[2]!) : Number.NaN;
  if (!m || Number.isNaN(since))
    throw new BadRequestError("_lastUpdated: gt or ge and a FHIR instant or date, e.g. gt2026-12-01T00:00:00Z", "_lastUpdated");
  const after = (t: string) => (m[1] === "gt" ? Date.parse(t) > since : Date.parse(t) >= since);
  const drugs = new Set<string>();
  for (let version = await catalogue.currentVersion(); version > 0; version--) {
    const log = await catalogue.versionLog(version);
    if (!log || !after(log.lastUpdated)) break;
    for (const drug of log.drugs) drugs.add(drug);
  }
  const records = await catalogue.byKeys([...drugs].map((drug) => codeKey("national", drug)));
  const entry = [...records.values()]
    .sort((a, b) => a.entry.nationalDrugCode.localeCompare(b.entry.nationalDrugCode))
    .map((record) => ({
      resource: medicationKnowledge(record.entry, { version: record.version, lastUpdated: record.lastUpdated, today }),
      search: { mode: "match" as const },
    }));
  return { resourceType: "Bundle" as const, type: "searchset" as const, total: entry.length, entry };
}
