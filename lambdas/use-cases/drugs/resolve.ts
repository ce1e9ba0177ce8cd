/**
 * Resolve any of a drug's codes to its one catalogue entry (docs/drugs-devices.md#resolution).
 * Input: the `code` search parameter ("[system|]value"), the catalogue, today (YYYY-MM-DD).
 * Output: a searchset Bundle of the MedicationKnowledge (none for an unknown valid code).
 * Primary course: name the code (400 naming `code` when malformed or its check digit is wrong),
 * read it under its key, build the resource.
 */
import { codeKey, medicationKnowledge, namedCode } from "#domain/drugs/catalogue.ts";
import { BadRequestError } from "#domain/errors.ts";
import {
  boundQuery,
  openPageToken,
  PAGE_TOKEN,
  type PageCaller,
  pageAfter,
  pageCount,
  pageTokenOf,
  sealPageToken,
} from "#domain/paging.ts";
import type { DrugCatalogueStore } from "#ports/drugs.ts";

export async function resolveDrugCode(
  catalogue: DrugCatalogueStore,
  code: string | undefined,
  today: string,
  /** Runs beside the read once the code is valid (the resolution is answered then): the hub's count */
  alongside: () => Promise<void> = async () => {},
) {
  if (!code) throw new BadRequestError("code: required (any of a drug's codes: national drug code, insurance drug code, GTIN)", "code");
  const named = namedCode(code);
  if (!named.ok) throw new BadRequestError(`code: ${named.problem}`, "code");
  const [record] = await Promise.all([catalogue.byKey(codeKey(named.kind, named.value)), alongside()]);
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

/** A change list's pages: 100 entries by default, at most 1,000 (docs/fhir-clients.md#paging) */
export const CHANGE_PAGE = { default: 100, max: 1000 } as const;
const OPERATOR: PageCaller = { hospitalId: "(operator)" };

/**
 * The entries changed after an instant (`_lastUpdated=gt<instant>`, or `ge`), at their current version,
 * in national drug code order, a page at a time (`_count`, a `next` link with a page token sealed under
 * the hub's secret for the operator and the query).
 * Primary course: walk the version logs down from the current version while they are after the instant,
 * collect the drugs they name once, read the page's. A malformed `_lastUpdated` → 400 naming it.
 */
export async function changedSince(
  catalogue: DrugCatalogueStore,
  params: Record<string, string[] | undefined>,
  today: string,
  pageKey: () => Promise<Buffer>,
) {
  const unknown = Object.keys(params).find((name) => name !== "_lastUpdated" && name !== "_count" && name !== PAGE_TOKEN);
  if (unknown) throw new BadRequestError(`${unknown}: the change list takes _lastUpdated, _count and ${PAGE_TOKEN}`, unknown);
  const lastUpdated = params._lastUpdated;
  const m = lastUpdated?.length === 1 ? /^(gt|ge)(\d{4}-\d{2}-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:\d{2}))?)$/.exec(lastUpdated[0]!) : null;
  const since = m ? Date.parse(m[2]!) : Number.NaN;
  if (!m || Number.isNaN(since))
    throw new BadRequestError("_lastUpdated: gt or ge and a FHIR instant or date, e.g. gt2026-12-01T00:00:00Z", "_lastUpdated");
  const count = pageCount(params, CHANGE_PAGE);
  const token = pageTokenOf(params);
  const query = boundQuery(params);
  const key = await pageKey();
  const position = token === undefined ? undefined : openPageToken(key, OPERATOR, query, token);
  const after = (t: string) => (m[1] === "gt" ? Date.parse(t) > since : Date.parse(t) >= since);
  const drugs = new Set<string>();
  for (let version = await catalogue.currentVersion(); version > 0; version--) {
    const log = await catalogue.versionLog(version);
    if (!log || !after(log.lastUpdated)) break;
    for (const drug of log.drugs) drugs.add(drug);
  }
  const ordered = [...drugs].sort();
  const { page, next } = pageAfter(
    ordered,
    (drug) => drug,
    count,
    typeof position === "string" ? position : undefined,
    (drug, last) => drug > last,
  );
  const records = await catalogue.byKeys(page.map((drug) => codeKey("national", drug)));
  const entry = page.flatMap((drug) => {
    const record = records.get(codeKey("national", drug));
    return record
      ? [
          {
            resource: medicationKnowledge(record.entry, { version: record.version, lastUpdated: record.lastUpdated, today }),
            search: { mode: "match" as const },
          },
        ]
      : [];
  });
  const link = (extra: [string, string][]) => `MedicationKnowledge?${new URLSearchParams([...query, ...extra]).toString()}`;
  return {
    resourceType: "Bundle" as const,
    type: "searchset" as const,
    total: ordered.length,
    link: [
      { relation: "self", url: link(token === undefined ? [] : [[PAGE_TOKEN, token]]) },
      ...(next ? [{ relation: "next", url: link([[PAGE_TOKEN, sealPageToken(key, OPERATOR, query, next)]]) }] : []),
    ],
    entry,
  };
}
