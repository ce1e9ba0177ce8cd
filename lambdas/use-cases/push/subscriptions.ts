/**
 * A hospital's Subscriptions, kept at the hub (docs/push.md).
 * create — input: the hospital, its city, the Subscription posted; output: the active Subscription.
 *   Primary course: parse the criteria (400 naming `criteria`), the hospital holds fewer than its cap
 *   (403), resolve a named patient to the EMPI at the MPI and check the hospital's treatment
 *   relationship with them (domain/push/relationship.ts; an unknown patient and one without a
 *   relationship get the same 403, so the answer tells nothing of who exists), then write the record
 *   (requested), its match entry, and the record active.
 *   Without transactions the order matters: the matcher notifies only for an active record, so a crash
 *   part way leaves a requested record and at worst an unused match entry, never a stray notification.
 * list / read / remove — the hospital's own only (another's is unknown: 404). A list is paged
 *   (`_count`, default 100, at most 500; a `next` link relative to the base, with a page token sealed
 *   for the hospital and the query: lambdas/domain/paging.ts), in subscription id order, `total`
 *   exact. Removal switches the record off first, then deletes the match entry, then the record.
 */
import { randomUUID } from "node:crypto";
import type { Identifier } from "#domain/audit.ts";
import { BadRequestError, ForbiddenError, NotFoundError } from "#domain/errors.ts";
import { boundQuery, openPageToken, PAGE_TOKEN, pageAfter, pageCount, pageTokenOf, sealPageToken } from "#domain/paging.ts";
import { type Criteria, CriteriaError, parseCriteria } from "#domain/push/criteria.ts";
import type { StoredSubscription, SubscriptionStore } from "#ports/push.ts";
import { isKnownSystem } from "#schemas/patient.ts";
import type { SubscriptionRequest } from "#schemas/push.ts";
import { admittedMatchKey, empiMatchKey } from "./matcher.ts";

export interface SubscriptionDeps {
  store: SubscriptionStore;
  /** The EMPI of the resident an identifier names at the MPI, or undefined */
  resolveEmpi: (identifier: { system: string; value: string }) => Promise<string | undefined>;
  /** Does the hospital have a treatment relationship with the resident (DESIGN.md), now? */
  hasRelationship: (hospitalId: string, empi: string, now: Date) => Promise<boolean>;
  /** How many subscriptions a hospital may hold at once */
  cap: number;
  now: () => Date;
  /** The key of the hub's page tokens */
  pageKey: () => Promise<Buffer>;
}

/** `_count` of a Subscription search: its default and maximum (docs/fhir-clients.md#paging) */
export const SUBSCRIPTION_PAGE = { default: 100, max: 500 };

export function criteriaOf(criteria: string, hospitalId: string): Criteria {
  try {
    return parseCriteria(criteria, hospitalId);
  } catch (error) {
    if (error instanceof CriteriaError) throw new BadRequestError(error.message, "Subscription.criteria");
    throw error;
  }
}

/**
 * The residents that Subscriptions (one, or a searchset Bundle of them) name in their criteria, for
 * the AuditEvent of a read: a subscription to the admitted patients names none.
 */
export function patientsOfSubscriptions(answer: Record<string, unknown> | undefined, hospitalId: string): Identifier[] {
  const resources =
    answer?.resourceType === "Bundle"
      ? ((answer.entry as { resource?: Record<string, unknown> }[] | undefined) ?? []).map((e) => e.resource)
      : [answer];
  const seen = new Map<string, Identifier>();
  for (const resource of resources) {
    if (typeof resource?.criteria !== "string") continue;
    try {
      const criteria = parseCriteria(resource.criteria, hospitalId);
      if (criteria.kind === "patient") seen.set(`${criteria.identifier.system}|${criteria.identifier.value}`, criteria.identifier);
    } catch {
      // stored criteria were checked when written; one that no longer parses names no one here
    }
  }
  return [...seen.values()];
}

export async function createSubscription(
  deps: SubscriptionDeps,
  caller: { hospitalId: string; cityId: string },
  request: SubscriptionRequest,
): Promise<{ resource: Record<string, unknown>; empi?: string }> {
  const criteria = criteriaOf(request.criteria, caller.hospitalId);
  if (request.end && Date.parse(request.end) <= deps.now().getTime())
    throw new BadRequestError("Subscription.end: must be in the future", "Subscription.end");
  const held = (await deps.store.listRecords(caller.hospitalId)).filter((r) => r.status !== "off").length;
  if (held >= deps.cap)
    throw new ForbiddenError(
      `Subscription: hospital ${caller.hospitalId} holds ${held} subscriptions, its cap of ${deps.cap}; remove some first`,
      "Subscription",
    );
  let empi: string | undefined;
  if (criteria.kind === "patient") {
    if (!isKnownSystem(criteria.identifier.system))
      throw new BadRequestError(
        `criteria: ${criteria.identifier.system} is not an identifier domain of the master patient index`,
        "Subscription.criteria",
      );
    empi = await deps.resolveEmpi(criteria.identifier);
    if (!empi || !(await deps.hasRelationship(caller.hospitalId, empi, deps.now())))
      throw new ForbiddenError(
        `Subscription.criteria: hospital ${caller.hospitalId} has no treatment relationship with patient ${criteria.identifier.system}|${criteria.identifier.value} (it registered them or recorded an encounter within 90 days); register the resident first`,
        "Subscription.criteria",
      );
  }
  const subscriptionId = randomUUID();
  const matchKey = empi ? empiMatchKey(empi) : admittedMatchKey(caller.hospitalId);
  const resource = {
    resourceType: "Subscription",
    id: subscriptionId,
    status: "active",
    reason: request.reason ?? "Notify this hospital's FEP inbox",
    criteria: request.criteria,
    ...(request.end ? { end: request.end } : {}),
    channel: { ...request.channel, type: "message" },
    meta: { lastUpdated: deps.now().toISOString() },
  };
  const record: StoredSubscription = { hospitalId: caller.hospitalId, subscriptionId, status: "requested", matchKey, resource };
  await deps.store.putRecord({ ...record, resource: { ...resource, status: "requested" } });
  await deps.store.putMatchEntry(matchKey, {
    subscriptionId,
    hospitalId: caller.hospitalId,
    cityId: caller.cityId,
    resourceType: criteria.resourceType,
    ...(request.end ? { end: request.end } : {}),
  });
  await deps.store.setStatus(caller.hospitalId, subscriptionId, "active");
  return { resource, ...(empi ? { empi } : {}) };
}

const found = async (deps: SubscriptionDeps, hospitalId: string, id: string): Promise<StoredSubscription> => {
  const record = await deps.store.getRecord(hospitalId, id);
  if (!record || record.status === "off") throw new NotFoundError(`Subscription ${id} is not one of this hospital's`);
  return record;
};

export const readSubscription = async (deps: SubscriptionDeps, hospitalId: string, id: string) =>
  (await found(deps, hospitalId, id)).resource;

export async function listSubscriptions(deps: SubscriptionDeps, hospitalId: string, params: Record<string, string[] | undefined> = {}) {
  const unknown = Object.keys(params).find((name) => name !== "_count" && name !== PAGE_TOKEN);
  if (unknown) throw new BadRequestError(`${unknown}: a Subscription search takes _count and ${PAGE_TOKEN} only`, unknown);
  const count = pageCount(params, SUBSCRIPTION_PAGE);
  const token = pageTokenOf(params);
  const query = boundQuery(params);
  const key = await deps.pageKey();
  const caller = { hospitalId };
  const position = token === undefined ? undefined : openPageToken(key, caller, query, token);
  const records = (await deps.store.listRecords(hospitalId))
    .filter((r) => r.status !== "off")
    .sort((a, b) => (a.subscriptionId < b.subscriptionId ? -1 : a.subscriptionId > b.subscriptionId ? 1 : 0));
  const { page, next } = pageAfter(
    records,
    (r) => r.subscriptionId,
    count,
    typeof position === "string" ? position : undefined,
    (r, after) => r.subscriptionId > after,
  );
  const link = (extra: [string, string][]) => `Subscription?${new URLSearchParams([...query, ...extra]).toString()}`;
  return {
    resourceType: "Bundle",
    type: "searchset",
    total: records.length,
    link: [
      { relation: "self", url: link(token === undefined ? [] : [[PAGE_TOKEN, token]]) },
      ...(next ? [{ relation: "next", url: link([[PAGE_TOKEN, sealPageToken(key, caller, query, next)]]) }] : []),
    ],
    entry: page.map((r) => ({ fullUrl: `Subscription/${r.subscriptionId}`, resource: r.resource, search: { mode: "match" } })),
  };
}

export async function removeSubscription(deps: SubscriptionDeps, hospitalId: string, id: string): Promise<void> {
  const record = await deps.store.getRecord(hospitalId, id);
  if (!record) throw new NotFoundError(`Subscription ${id} is not one of this hospital's`);
  await deps.store.setStatus(hospitalId, id, "off");
  await deps.store.deleteMatchEntry(record.matchKey, id);
  await deps.store.deleteRecord(hospitalId, id);
}
