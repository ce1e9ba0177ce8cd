/**
 * Re-deriving the index's blocking keys from the residents it holds (docs/mpi.md, "Re-indexing after
 * an engine change"). A feed writes the keys of the record it places; keys the engine derives since
 * (`hh:`, `nc:`, `hm:` came in later rounds) are missing for residents no feed has touched since.
 * This walks the Residents table page by page and, for each resident answering for itself (a
 * survivor: its view holds the records of the residents merged into it, as a merge indexes them), adds
 * the key items its records give and ResidentKeys lacks. Only puts of absent (key, EMPI) items:
 * idempotent, safe beside live feeds (a key a feed has meanwhile made stale is read as stale entries
 * are, resident by resident), resumable from the cursor of any page.
 */
import { type BlockingOptions, INDEXED_KEY_PREFIXES, indexedKeys } from "#domain/mpi/blocking.ts";
import type { ResidentKeyItem, ResidentKeyScan } from "#ports/mpi.ts";
import { type MpiDeps, viewOf } from "./residents.ts";

export interface ReindexOptions extends BlockingOptions {
  /** only keys with these prefixes (INDEXED_KEY_PREFIXES when none) */
  prefixes?: readonly string[];
  /** count what is missing, write nothing */
  dryRun?: boolean;
  /** resume after the page this cursor ended (printed with each page) */
  cursor?: string;
  /** this run's segment of `segments` parallel ones (DynamoDB parallel scan): 0 of 1 by default */
  segment?: number;
  segments?: number;
  /** residents' items read per page (default 200) */
  pageSize?: number;
  /** residents re-indexed at once within a page (default 8) */
  concurrency?: number;
  /** after each page: the totals so far and the cursor to resume from */
  onPage?: (progress: ReindexReport) => void;
}

export interface ReindexReport {
  /** residents answering for themselves whose keys were derived */
  residents: number;
  /** items read that answer for no records of their own: merged away or emptied */
  skipped: number;
  /** key items derived */
  keys: number;
  /** of them, absent from ResidentKeys, per prefix */
  absent: Record<string, number>;
  /** key items written (0 on a dry run) */
  written: number;
  /** where the next page starts (none when the scan is through) */
  cursor?: string;
}

/** Prefixes as an operator types them ("hm", "hm:"), checked against INDEXED_KEY_PREFIXES */
export function parsePrefixes(raw: string): string[] {
  const prefixes = raw
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => (p.endsWith(":") ? p : `${p}:`));
  const unknown = prefixes.filter((p) => !(INDEXED_KEY_PREFIXES as readonly string[]).includes(p));
  if (unknown.length > 0 || prefixes.length === 0)
    throw new RangeError(`--keys ${raw}: each one of ${INDEXED_KEY_PREFIXES.map((p) => p.slice(0, -1)).join(", ")}`);
  return prefixes;
}

export async function reindexResidents(
  deps: Pick<MpiDeps, "residents">,
  scan: ResidentKeyScan,
  options: ReindexOptions,
): Promise<ReindexReport> {
  const segments = options.segments ?? 1;
  const segment = options.segment ?? 0;
  if (!Number.isInteger(segments) || segments < 1) throw new RangeError(`segments must be a positive integer, not ${segments}`);
  if (!Number.isInteger(segment) || segment < 0 || segment >= segments)
    throw new RangeError(`segment must be 0 to ${segments - 1}, not ${segment}`);
  const prefixes = options.prefixes ?? INDEXED_KEY_PREFIXES;
  const concurrency = options.concurrency ?? 8;
  const report: ReindexReport = { residents: 0, skipped: 0, keys: 0, absent: {}, written: 0 };
  let cursor = options.cursor;
  let previous: string | undefined;
  do {
    const page = await scan.page({ cursor, segment, segments, limit: options.pageSize ?? 200 });
    // a resident's versions are consecutive items: one that spans two pages is read once
    const empis = page.empis.filter((empi) => empi !== previous);
    previous = page.empis.at(-1) ?? previous;
    for (let i = 0; i < empis.length; i += concurrency) {
      const derived = await Promise.all(empis.slice(i, i + concurrency).map((empi) => keyItemsOf(deps, empi, options.today, prefixes)));
      const items = derived.flatMap((d) => d ?? []);
      report.residents += derived.filter((d) => d !== undefined).length;
      report.skipped += derived.filter((d) => d === undefined).length;
      report.keys += items.length;
      const lacking = items.length > 0 ? await scan.absent(items) : [];
      for (const item of lacking) {
        const prefix = item.key.slice(0, item.key.indexOf(":") + 1);
        report.absent[prefix] = (report.absent[prefix] ?? 0) + 1;
      }
      if (!options.dryRun) {
        const byEmpi = new Map<string, string[]>();
        for (const { key, empi } of lacking) byEmpi.set(empi, [...(byEmpi.get(empi) ?? []), key]);
        await Promise.all([...byEmpi].map(([empi, keys]) => deps.residents.addKeys(empi, keys)));
        report.written += lacking.length;
      }
    }
    cursor = page.cursor;
    report.cursor = cursor;
    options.onPage?.({ ...report, absent: { ...report.absent } });
  } while (cursor);
  return report;
}

/**
 * The key items of the resident answering for `empi` (its view: its records and its merged members'),
 * or undefined when it answers for no records of its own (merged away, emptied, or gone).
 */
async function keyItemsOf(
  deps: Pick<MpiDeps, "residents">,
  empi: string,
  today: string,
  prefixes: readonly string[],
): Promise<ResidentKeyItem[] | undefined> {
  const entry = await deps.residents.latest(empi);
  if (!entry || entry.mergedInto) return undefined;
  const view = await viewOf(deps, entry);
  if (view.records.length === 0) return undefined;
  return indexedKeys(view.records, { today }, prefixes).map((key) => ({ key, empi }));
}
