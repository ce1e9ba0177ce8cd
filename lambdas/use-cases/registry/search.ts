/**
 * Searching and reading the registry (mCSD "Find Matching Care Services", "Retrieve Care Services Resource").
 * Input: a type, and the query parameters as received (or an id). Output: a searchset Bundle (or the resource).
 * Primary course: parse the query (400 naming a bad parameter); for each criterion read its index
 * partitions and keep the references its entries stand for; intersect; sort and cut the page after
 * the page token; read the page's records and keep the resources that still match (docs/adr/0007).
 * The page token is sealed for the caller and the query (lambdas/domain/paging.ts): the operator's,
 * or the hospital's its city names; another caller's or another query's is a 400.
 * A search naming an operator-only parameter (PractitionerRole `approval`: the roles awaiting the
 * operator) is the operator's alone: refused to a hospital (403), and recorded as one AuditEvent at
 * the hub either way (searchRegistryAs).
 */

import { ForbiddenError, NotFoundError } from "#domain/errors.ts";
import { openPageToken, type PageCaller, sealPageToken } from "#domain/paging.ts";
import type { RegistryResource, RegistryType } from "#domain/registry/resources.ts";
import {
  afterOf,
  type CriterionPlan,
  listAllRead,
  matchesAll,
  pageOf,
  parseSearch,
  planCriterion,
  type SearchsetBundle,
  searchsetBundle,
} from "#domain/registry/search.ts";
import { OPERATOR_SEARCH_PARAMS } from "#domain/registry/search-params.ts";
import type { AuditRepository } from "#ports/audit.ts";
import type { RegistryStore } from "#ports/registry.ts";
import { recordHubAccess } from "#use-cases/audit.ts";
import { recordKeyOf, resourceIn } from "./records.ts";

const splitRef = (ref: string): [RegistryType, string] => {
  const at = ref.indexOf("/");
  return [ref.slice(0, at) as RegistryType, ref.slice(at + 1)];
};

/** Reads `refs` and returns those that exist, as resources, in the order given. */
async function resolve(store: RegistryStore, refs: string[]): Promise<Map<string, RegistryResource>> {
  const keys = refs.map((ref) => recordKeyOf(...splitRef(ref))).filter((k): k is string => k !== undefined);
  const records = new Map((await store.getMany(keys)).map((r) => [r.key, r]));
  const found = new Map<string, RegistryResource>();
  for (const ref of refs) {
    const [type, id] = splitRef(ref);
    const key = recordKeyOf(type, id);
    const record = key ? records.get(key) : undefined;
    const resource = record ? resourceIn(record, type, id) : undefined;
    if (resource) found.set(ref, resource);
  }
  return found;
}

/** The references one criterion's plan finds. */
async function candidates(store: RegistryStore, plan: CriterionPlan): Promise<Set<string>> {
  const found = new Set<string>();
  const reads = await Promise.all(plan.reads.map(async (read) => (await store.query(read)).map((hit) => read.select(hit.sortKey))));
  for (const refs of reads) for (const ref of refs) if (ref) found.add(ref);
  if (plan.refs.length > 0) for (const ref of (await resolve(store, plan.refs)).keys()) found.add(ref);
  if (plan.rolesOfPractitioners.length > 0) {
    const records = await store.getMany(plan.rolesOfPractitioners.map((id) => `Practitioner/${id}`));
    for (const record of records) for (const role of record.roles) found.add(`PractitionerRole/${role.id}`);
  }
  return found;
}

/** What a registry search needs: the store, and the key of the hub's page tokens */
export interface RegistrySearchDeps {
  store: RegistryStore;
  pageKey: () => Promise<Buffer>;
}

/** The caller a page token is bound to: a hospital, or the operator */
const pageCaller = (caller: RegistryCaller): PageCaller => ({
  hospitalId: "operator" in caller ? "(operator)" : (caller.hospitalId ?? "(none)"),
});

export async function searchRegistry(
  deps: RegistrySearchDeps,
  type: RegistryType,
  params: Record<string, string[] | undefined>,
  caller: RegistryCaller,
): Promise<SearchsetBundle> {
  const { store } = deps;
  const parsed = parseSearch(type, params);
  const key = await deps.pageKey();
  const bound = pageCaller(caller);
  const request = parsed.pageToken ? { ...parsed, after: afterOf(openPageToken(key, bound, parsed.query, parsed.pageToken)) } : parsed;
  const seal = (after: string) => sealPageToken(key, bound, request.query, after);
  const plans: CriterionPlan[] =
    request.criteria.length > 0
      ? request.criteria.map((c) => planCriterion(type, c))
      : [{ reads: [listAllRead(type)], refs: [], rolesOfPractitioners: [] }];
  const sets = await Promise.all(plans.map((plan) => candidates(store, plan)));
  sets.sort((a, b) => a.size - b.size);
  const [smallest = new Set<string>(), ...others] = sets;
  const refs = [...smallest].filter((ref) => others.every((set) => set.has(ref)));
  const { page, total, next } = pageOf(refs, request);
  if (page.length === 0) return searchsetBundle(request, total, [], next, seal);
  const found = await resolve(store, page);
  // an entry may outlive its resource's change after a crash mid-write: each hit is checked again
  const resources = page.map((ref) => found.get(ref)).filter((r): r is RegistryResource => r !== undefined && matchesAll(r, request));
  return searchsetBundle(request, total, resources, next, seal);
}

export async function readResource(store: RegistryStore, type: RegistryType, id: string): Promise<RegistryResource> {
  const key = recordKeyOf(type, id);
  const record = key ? await store.get(key) : undefined;
  const resource = record ? resourceIn(record, type, id) : undefined;
  if (!resource) throw new NotFoundError(`${type}/${id} is not in the registry`);
  return resource;
}

/** Who searches: the operator (its API), or a hospital through its city (the internal API) */
export type RegistryCaller = { operator: true } | { hospitalId: string | undefined };

/**
 * A registry search by `caller`. A search naming an operator-only parameter records one AuditEvent
 * (action E, search-type, the query as received; refusals included) before it answers; a hospital's
 * is refused (403 naming the parameter). Other searches are not audited: the registry's public
 * directory holds no patient data.
 */
export async function searchRegistryAs(
  deps: RegistrySearchDeps & { audit: Pick<AuditRepository, "store"> },
  type: RegistryType,
  params: Record<string, string[] | undefined>,
  caller: RegistryCaller,
): Promise<SearchsetBundle> {
  const restricted = (OPERATOR_SEARCH_PARAMS[type] ?? []).find((name) => Object.keys(params).some((k) => k.split(":")[0] === name));
  if (!restricted) return searchRegistry(deps, type, params, caller);
  const query = new URLSearchParams(
    Object.entries(params).flatMap(([k, values = []]) => values.map((v): [string, string] => [k, v])),
  ).toString();
  const access = {
    action: "E" as const,
    interaction: "search-type" as const,
    node: "hub",
    patients: [],
    resource: type,
    query: `${type}?${query}`,
    ...("operator" in caller ? { operator: true } : caller.hospitalId ? { hospitalId: caller.hospitalId } : {}),
  };
  if (!("operator" in caller)) {
    const refusal = new ForbiddenError(`${restricted}: only the provincial operator searches ${type} by ${restricted}`, restricted);
    await recordHubAccess(deps.audit, { ...access, result: "refused", detail: refusal.message });
    throw refusal;
  }
  const bundle = await searchRegistry(deps, type, params, caller);
  await recordHubAccess(deps.audit, { ...access, result: "success" });
  return bundle;
}
