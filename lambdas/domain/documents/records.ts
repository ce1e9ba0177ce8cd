/**
 * A resident's record as the city and the hub keep it (record locator, EHR timeline), pure: locator
 * entries of documents and encounters, the searches over them (ITI-67), and their FHIR rendering
 * for the asking node (the attachment pointing at its own Binary endpoint).
 */
import { createHash } from "node:crypto";
import { BadRequestError } from "#domain/errors.ts";
import { boundQuery, PAGE_TOKEN, type PageLimits, pageCount, pageTokenOf } from "#domain/paging.ts";
import type { LocatorEntry } from "#schemas/documents.ts";
import { EMPI_SYSTEM, parseToken } from "#schemas/identifiers.ts";

/** `<cityId>-e<31 hex>` from the hospital's encounter identifier */
export const encounterIdOf = (cityId: string, identifier: { system: string; value: string }): string =>
  `${cityId}-e${createHash("sha256").update(`${identifier.system}|${identifier.value}`).digest("hex").slice(0, 31)}`;

/** `<cityId>-u<32 hex>` */
export const uploadIdOf = (cityId: string, random: string): string => `${cityId}-u${random}`;

export const typeTokensOf = (type: unknown): string[] =>
  (((type as { coding?: { system?: string; code?: string }[] } | undefined)?.coding ?? []) as { system?: string; code?: string }[])
    .filter((c) => c.code)
    .map((c) => `${c.system ?? ""}|${c.code}`);

/** The subject as the stored resources name it: the resident by EMPI */
export const residentSubject = (empi: string) => ({ reference: `Patient/${empi}`, identifier: { system: EMPI_SYSTEM, value: empi } });

/** The timeline's order: newest first, then by id */
const timelineOrder = (a: { date: string; id: string }, b: { date: string; id: string }): number =>
  b.date.localeCompare(a.date) || a.id.localeCompare(b.id);

/** An entry's position in the timeline (a page token holds the last one of a page) */
export const timelineKey = (e: LocatorEntry): string => JSON.stringify([e.date ?? "", e.id]);

/** Whether an entry comes after the position `key` (a timelineKey) in the timeline's order */
export function comesAfter(e: LocatorEntry, key: string): boolean {
  const [date, id] = JSON.parse(key) as [string, string];
  return timelineOrder({ date: e.date ?? "", id: e.id }, { date, id }) > 0;
}

/** Highest revision per resource, from several sources (own city's index at once, the hub's after the exchange) */
export function mergeEntries(...lists: LocatorEntry[][]): LocatorEntry[] {
  const byKey = new Map<string, LocatorEntry>();
  for (const e of lists.flat()) {
    const key = `${e.resourceType}/${e.id}`;
    const known = byKey.get(key);
    if (!known || known.revision < e.revision) byKey.set(key, e);
  }
  return [...byKey.values()].sort((a, b) => timelineOrder({ date: a.date ?? "", id: a.id }, { date: b.date ?? "", id: b.id }));
}

type Comparator = "eq" | "ge" | "le" | "gt" | "lt";
export interface RecordSearch {
  identifier: { system: string; value: string };
  types: string[];
  dates: { op: Comparator; value: string }[];
  statuses: string[];
  /** `_id`: these resources only (a read by id is this search) */
  ids?: string[];
  /** The page: `_count` results after the position the page token holds (docs/fhir-clients.md#paging) */
  page?: { count: number; token?: string | undefined; query: [string, string][] };
}

/** `_count` of DocumentReference and Encounter searches: 100 unless given, at most 500 */
export const RECORD_PAGE: PageLimits = { default: 100, max: 500 };

const one = (params: Record<string, string[] | undefined>, name: string): string | undefined => {
  const values = params[name];
  if (values && values.length > 1) throw new BadRequestError(`${name}: give it once`, name);
  return values?.[0];
};

/**
 * `patient.identifier=<system>|<value>` (required) `[&type=][&date=][&status=]` for DocumentReference
 * (default status current) and Encounter; other parameters are refused, naming them.
 */
export function parseRecordSearch(
  params: Record<string, string[] | undefined> | null,
  resourceType: "DocumentReference" | "Encounter",
): RecordSearch {
  const p = params ?? {};
  const allowed = ["patient.identifier", "type", "date", "status", "_id", "_count", PAGE_TOKEN];
  const extra = Object.keys(p).find((k) => !allowed.includes(k));
  if (extra) throw new BadRequestError(`${extra}: not a search parameter of ${resourceType} here (${allowed.join(", ")})`, extra);
  const token = one(p, "patient.identifier");
  if (!token) throw new BadRequestError("patient.identifier: required, as <system>|<value>", "patient.identifier");
  const identifier = parseToken(token);
  if (!identifier) throw new BadRequestError("patient.identifier: expected <system>|<value>", "patient.identifier");
  const types = (p.type ?? []).flatMap((t) => t.split(",")).filter(Boolean);
  const dates = (p.date ?? []).map((d) => {
    const m = /^(eq|ge|le|gt|lt)?(\d{4}(-\d{2}(-\d{2})?)?)$/.exec(d);
    if (!m) throw new BadRequestError("date: expected [eq|ge|le|gt|lt]YYYY[-MM[-DD]]", "date");
    return { op: (m[1] ?? "eq") as Comparator, value: m[2]! };
  });
  const statuses = (p.status ?? []).flatMap((s) => s.split(",")).filter(Boolean);
  const ids = (p._id ?? []).flatMap((s) => s.split(",")).filter(Boolean);
  return {
    identifier,
    types,
    dates,
    statuses: statuses.length || ids.length || resourceType === "Encounter" ? statuses : ["current"],
    ...(ids.length ? { ids } : {}),
    page: { count: pageCount(p, RECORD_PAGE), token: pageTokenOf(p), query: boundQuery(p) },
  };
}

function dateMatches(date: string | undefined, { op, value }: { op: Comparator; value: string }): boolean {
  if (!date) return false;
  const prefix = date.slice(0, value.length);
  switch (op) {
    case "eq":
      return prefix === value;
    case "ge":
      return prefix >= value;
    case "le":
      return prefix <= value;
    case "gt":
      return prefix > value;
    case "lt":
      return prefix < value;
  }
}

/** A type token matches `system|code`, `|code`… or a bare code */
const typeMatches = (tokens: string[], wanted: string): boolean =>
  tokens.some((t) => (wanted.includes("|") ? t === wanted || (wanted.startsWith("|") && t.endsWith(wanted)) : t.endsWith(`|${wanted}`)));

export function matchesSearch(entry: LocatorEntry, search: RecordSearch): boolean {
  if (search.ids && !search.ids.includes(entry.id)) return false;
  if (search.statuses.length && !search.statuses.includes(entry.status)) return false;
  if (search.types.length && !search.types.some((t) => typeMatches(entry.typeTokens, t))) return false;
  return search.dates.every((d) => dateMatches(entry.date, d));
}

/** The resource as the asking node answers it: a DocumentReference's content at `<base>/fhir/Binary/<id>` */
export function renderEntry(entry: LocatorEntry, base: string): Record<string, unknown> {
  if (entry.resourceType !== "DocumentReference") return entry.resource;
  const doc = entry.resource as { content: { attachment: Record<string, unknown> }[] };
  return {
    ...entry.resource,
    status: entry.status,
    content: doc.content.map((c) => ({ ...c, attachment: { ...c.attachment, url: `${base}/fhir/Binary/${entry.id}` } })),
  };
}

export const searchset = (
  resources: Record<string, unknown>[],
  base: string,
  now: Date,
  type: "searchset" | "collection" = "searchset",
  paged?: { total: number; link: { relation: string; url: string }[] },
) => ({
  resourceType: "Bundle",
  type,
  ...(type === "searchset" ? { total: paged?.total ?? resources.length } : {}),
  ...(paged ? { link: paged.link } : {}),
  timestamp: now.toISOString(),
  entry: resources.map((resource) => ({
    fullUrl: `${base}/fhir/${String(resource.resourceType)}/${String(resource.id)}`,
    resource,
    ...(type === "searchset" ? { search: { mode: "match" } } : {}),
  })),
});
