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
