/**
 * mCSD searches of the registry: parsing the query (unknown parameter, modifier or malformed value
 * → 400 naming it), planning the index reads that find candidates, and checking each hit against the
 * request (an index entry may be stale after a crash mid-write: docs/adr/0007). Pure.
 *
 *   string     name=保定 | name=baod | name:exact=…    case-insensitive starts-with, characters or pinyin
 *   token      identifier=system|value, |value, value; type=…; role=…
 *   reference  partof=Organization/x or x; organization=…; practitioner=…
 *   control    _id, _count (default 20, at most 100; 0 counts only), _summary=count, _pageToken (opened and
 *              sealed by the use case: lambdas/domain/paging.ts)
 * Repeated parameters must all match (AND); comma-separated values within one may (OR).
 */

import { BadRequestError, fieldName } from "#domain/errors.ts";
import { PAGE_TOKEN } from "#domain/paging.ts";
import { FHIR_ID } from "#schemas/fhir.ts";
import {
  allIndexKey,
  decodeRoleSortKey,
  decodeStringSortKey,
  decodeTokenSortKey,
  LISTABLE_TYPES,
  MAX_TEXT_CHARS,
  paramIndexKey,
  ROLE_INDEX_KEYS,
  roleIndexKey,
} from "./index-entries.ts";
import { type RegistryResource, type RegistryType, referenceTo } from "./resources.ts";
import { identifierSearchProblems, paramDef, SEARCH_PARAMS, type Token } from "./search-params.ts";
import { fold, hasHan, queryPrefixes, stringMatches } from "./text.ts";

export const DEFAULT_COUNT = 20;
export const MAX_COUNT = 100;
export { PAGE_TOKEN };

const CONTROL = new Set(["_count", "_summary", PAGE_TOKEN, "_format"]);

export type Criterion =
  | { param: string; kind: "string"; values: string[]; exact: boolean }
  /** system undefined: any system; "": no system */
  | { param: string; kind: "token"; values: Token[] }
  | { param: string; kind: "reference"; values: string[] };

export interface SearchRequest {
  type: RegistryType;
  criteria: Criterion[];
  count: number;
  /** _summary=count or _count=0: the total only */
  summaryCount: boolean;
  /** The last reference of the previous page (what the page token holds, once opened) */
  after?: string;
  /** The page token as sent */
  pageToken?: string;
  /** The request's own parameters, without the page token, in a stable order (for the self and next links) */
  query: [string, string][];
}

const bad = (param: string, diagnostics: string): BadRequestError =>
  new BadRequestError([{ code: "invalid", diagnostics, expression: fieldName(param) }]);

function parseToken(param: string, raw: string): Token {
  const at = raw.indexOf("|");
  const token = at < 0 ? { code: raw } : { system: raw.slice(0, at), code: raw.slice(at + 1) };
  if (!token.code) throw bad(param, `${param}: '${raw}' is not a token (system|code, |code or code)`);
  if (param === "identifier") {
    const problems = identifierSearchProblems(token);
    if (problems.length > 0) throw bad(param, `${param}: ${problems.join("; ")}`);
  }
  return token;
}

function parseReference(param: string, raw: string, target: RegistryType): string {
  const parts = raw.split("/");
  const id = parts.length === 1 ? parts[0]! : parts.at(-2) === target ? parts.at(-1)! : "";
  if (!FHIR_ID.test(id)) throw bad(param, `${param}: '${raw}' is not a reference to ${target} (${target}/<id> or <id>)`);
  return id;
}

function parseCount(raw: string): number {
  if (!/^\d+$/.test(raw)) throw bad("_count", `_count: '${raw}' is not a non-negative integer`);
  return Math.min(Number(raw), MAX_COUNT);
}

/** The reference a page token holds, once opened: anything else is no page of this registry */
export function afterOf(position: unknown): string {
  if (typeof position === "string" && /^[A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/.test(position)) return position;
  throw bad(PAGE_TOKEN, `${PAGE_TOKEN}: not a page token of this registry (follow the Bundle's next link)`);
}

const single = (name: string, values: string[]): string => {
  if (values.length !== 1) throw bad(name, `${name} may be given once`);
  return values[0]!;
};

/** Parses the query of a search of `type`; `params` as API Gateway passes them (multi-value). */
export function parseSearch(type: RegistryType, params: Record<string, string[] | undefined>): SearchRequest {
  const criteria: Criterion[] = [];
  const query: [string, string][] = [];
  let count = DEFAULT_COUNT;
  let summaryCount = false;
  let pageToken: string | undefined;
  for (const [name, rawValues = []] of Object.entries(params).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (name !== PAGE_TOKEN) for (const v of rawValues) query.push([name, v]);
    if (CONTROL.has(name)) {
      const value = single(name, rawValues);
      if (name === "_count") count = parseCount(value);
      else if (name === PAGE_TOKEN) pageToken = value;
      else if (name === "_summary") {
        if (value !== "count" && value !== "false") throw bad(name, `_summary: only count (or false) is supported, not '${value}'`);
        summaryCount = value === "count";
      } else if (!["json", "application/json", "application/fhir+json"].includes(value))
        throw bad(name, `_format: only JSON is served, not '${value}'`);
      continue;
    }
    const [param = "", modifier, ...extra] = name.split(":");
    if (param === "_id") {
      if (modifier !== undefined) throw bad(name, `_id takes no modifier`);
      for (const raw of rawValues)
        criteria.push({ param, kind: "reference", values: raw.split(",").map((v) => parseReference(param, v, type)) });
      continue;
    }
    const def = paramDef(type, param);
    if (!def)
      throw bad(
        name,
        `Unknown search parameter '${param}' for ${type}; supported: ${["_id", ...Object.keys(SEARCH_PARAMS[type]), ...CONTROL].join(", ")}`,
      );
    if (extra.length > 0 || (modifier !== undefined && !(def.kind === "string" && modifier === "exact")))
      throw bad(
        name,
        `Modifier ':${[modifier, ...extra].join(":")}' is not supported for ${param}${def.kind === "string" ? " (only :exact)" : ""}`,
      );
    for (const raw of rawValues) {
      const values = raw.split(",").map((v) => v.trim());
      if (values.some((v) => !v)) throw bad(param, `${param}: empty value`);
      if (def.kind === "string") criteria.push({ param, kind: "string", values, exact: modifier === "exact" });
      else if (def.kind === "token") criteria.push({ param, kind: "token", values: values.map((v) => parseToken(param, v)) });
      else criteria.push({ param, kind: "reference", values: values.map((v) => parseReference(param, v, def.target)) });
    }
  }
  if (criteria.length === 0 && !LISTABLE_TYPES.has(type))
    throw new BadRequestError([
      {
        code: "required",
        diagnostics: `A search of ${type} needs a parameter: ${Object.keys(SEARCH_PARAMS[type]).join(", ")} or _id`,
        // the parameter it lacks: the first of those it may give
        expression: Object.keys(SEARCH_PARAMS[type])[0] ?? "_id",
      },
    ]);
  return { type, criteria, count, summaryCount: summaryCount || count === 0, ...(pageToken ? { pageToken } : {}), query };
}

/** One read of the index: a partition (and sort-key prefix), and what each entry it returns refers to, if it matches. */
export interface IndexRead {
  indexKey: string;
  beginsWith?: string;
  /** The reference ("Type/id") an entry stands for, or undefined when the entry does not match */
  select: (sortKey: string) => string | undefined;
}

/** How the candidates of one criterion are found: index reads, references named outright, and the roles of practitioners. */
export interface CriterionPlan {
  reads: IndexRead[];
  refs: string[];
  /** PractitionerRole?practitioner=: the roles stored with these practitioners */
  rolesOfPractitioners: string[];
}

const tokenMatches = (wanted: Token, system: string | undefined, code: string): boolean =>
  wanted.code === code && (wanted.system === undefined || wanted.system === (system ?? ""));

function textStartsWith(text: string, query: string, exact: boolean): boolean {
  if (exact) return text === query || (text.length === MAX_TEXT_CHARS && query.startsWith(text));
  const t = fold(text);
  const q = fold(query);
  return t.startsWith(q) || (text.length === MAX_TEXT_CHARS && q.startsWith(t));
}

function stringReads(type: RegistryType, param: string, value: string, exact: boolean): IndexRead[] {
  const han = hasHan(fold(value));
  return queryPrefixes(value).map((prefix) => ({
    indexKey: paramIndexKey(type, param, prefix.charAt(0)),
    beginsWith: prefix,
    select: (sortKey: string) => {
      const { key, ref, text } = decodeStringSortKey(sortKey);
      // pinyin queries match by key (begins_with did that); queries in characters, and :exact, by the text
      return exact || han ? (textStartsWith(text, value, exact) ? ref : undefined) : key.startsWith(fold(value)) ? ref : undefined;
    },
  }));
}

/** The index reads (and direct references) that find the candidates of one criterion. */
export function planCriterion(type: RegistryType, c: Criterion): CriterionPlan {
  const plan: CriterionPlan = { reads: [], refs: [], rolesOfPractitioners: [] };
  if (c.param === "_id") {
    if (c.kind === "reference") plan.refs.push(...c.values.map((id) => referenceTo(type, id)));
    return plan;
  }
  if (type === "PractitionerRole") return planRoleCriterion(c, plan);
  switch (c.kind) {
    case "string":
      for (const value of c.values) plan.reads.push(...stringReads(type, c.param, value, c.exact));
      break;
    case "token":
      for (const wanted of c.values) plan.reads.push(tokenRead(paramIndexKey(type, c.param, wanted.code), wanted, decodeTokenSortKey));
      break;
    case "reference":
      for (const id of c.values) plan.reads.push({ indexKey: paramIndexKey(type, c.param, id), select: (s) => s });
      break;
  }
  return plan;
}

function tokenRead(indexKey: string, wanted: Token, decode: (sortKey: string) => { system: string; ref: string }): IndexRead {
  return {
    indexKey,
    select: (s) => {
      const { system, ref } = decode(s);
      return tokenMatches(wanted, system, wanted.code) ? ref : undefined;
    },
  };
}

/** Roles: by role through the role entries, by organization through the role entries of every role code, by practitioner through the practitioner's record, by approval through the role's own token entries. */
function planRoleCriterion(c: Criterion, plan: CriterionPlan): CriterionPlan {
  if (c.param === "practitioner" && c.kind === "reference") plan.rolesOfPractitioners.push(...c.values);
  else if (c.param === "organization" && c.kind === "reference") {
    for (const id of c.values)
      for (const indexKey of ROLE_INDEX_KEYS) plan.reads.push({ indexKey, beginsWith: `${id}|`, select: (s) => decodeRoleSortKey(s).ref });
  } else if (c.param === "role" && c.kind === "token") {
    for (const wanted of c.values) plan.reads.push(tokenRead(roleIndexKey(wanted.code), wanted, decodeRoleSortKey));
  } else if (c.kind === "token") {
    // a role's own token entries (approval)
    for (const wanted of c.values)
      plan.reads.push(tokenRead(paramIndexKey("PractitionerRole", c.param, wanted.code), wanted, decodeTokenSortKey));
  }
  return plan;
}

/** The whole-type listing, for a search without criteria (Organization, Location). */
export const listAllRead = (type: RegistryType): IndexRead => ({ indexKey: allIndexKey(type), select: (s) => s });

/** Does the resource itself match the criterion? (Each hit is checked again after it is read.) */
export function matchesCriterion(resource: RegistryResource, c: Criterion): boolean {
  if (c.param === "_id") return c.kind === "reference" && c.values.includes(resource.id);
  const def = paramDef(resource.resourceType, c.param);
  if (!def) return false;
  switch (c.kind) {
    case "string": {
      const texts = def.kind === "string" ? def.texts(resource) : [];
      const surname = def.kind === "string" && def.surname === true;
      return c.values.some((q) => texts.some((t) => stringMatches(t, q, c.exact, surname)));
    }
    case "token": {
      const tokens = def.kind === "token" ? def.tokens(resource) : [];
      return c.values.some((wanted) => tokens.some((t) => tokenMatches(wanted, t.system, t.code)));
    }
    case "reference": {
      const ids = def.kind === "reference" ? def.ids(resource) : [];
      return c.values.some((id) => ids.includes(id));
    }
  }
}

export const matchesAll = (resource: RegistryResource, request: SearchRequest): boolean =>
  resource.resourceType === request.type && request.criteria.every((c) => matchesCriterion(resource, c));

/** The references of one page: sorted, after the previous page's last one. */
export function pageOf(refs: Iterable<string>, request: SearchRequest): { page: string[]; total: number; next?: string } {
  const sorted = [...refs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const start = request.after ? sorted.findIndex((r) => r > request.after!) : 0;
  const rest = start < 0 ? [] : sorted.slice(start);
  const page = request.summaryCount ? [] : rest.slice(0, request.count);
  const next = !request.summaryCount && rest.length > page.length && page.length > 0 ? page.at(-1) : undefined;
  return { page, total: sorted.length, ...(next ? { next } : {}) };
}

/**
 * A searchset Bundle; links and fullUrls are relative to the node's FHIR base, so a city can pass the
 * hub's answer on unchanged. `seal` makes the page token of the next page from its position.
 */
export function searchsetBundle(
  request: SearchRequest,
  total: number,
  resources: RegistryResource[],
  next: string | undefined,
  seal: (after: string) => string,
) {
  const link = (extra: [string, string][]) =>
    `${request.type}${request.query.length + extra.length ? "?" : ""}${new URLSearchParams([...request.query, ...extra]).toString()}`;
  return {
    resourceType: "Bundle" as const,
    type: "searchset" as const,
    total,
    link: [
      { relation: "self", url: link(request.pageToken ? [[PAGE_TOKEN, request.pageToken]] : []) },
      ...(next ? [{ relation: "next", url: link([[PAGE_TOKEN, seal(next)]]) }] : []),
    ],
    ...(resources.length > 0
      ? {
          entry: resources.map((resource) => ({
            fullUrl: referenceTo(resource.resourceType, resource.id),
            resource,
            search: { mode: "match" as const },
          })),
        }
      : {}),
  };
}
export type SearchsetBundle = ReturnType<typeof searchsetBundle>;
