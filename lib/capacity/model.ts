/**
 * The province's load model (docs/capacity.md) and the Lambda concurrency it plans at a multiple of
 * the Monday-morning peak. Plain data and arithmetic, no CDK: the stacks read the plan (reserved
 * concurrency per function, the SQS consumers' maximum concurrency), the template tests hold it,
 * and the cost and load-test tools share the model.
 *
 * The rates come from the national statistical bulletin scaled to Hebei (5.25 % of the country):
 * about 224 million visits and 12.9 million admissions a year, 2 documents per visit and 15 per
 * admission, so 150–200 documents/s at a peak; claims 45/s, queries 50/s, patient feeds 15/s.
 * The durations are planning assumptions for a warm arm64 function in the region (the local
 * province's timings are not AWS's): they belong here, in one place, to be replaced by the
 * CloudWatch p90 durations once the province runs.
 */
import { PROVINCE } from "#lib/config/province.ts";
import type { FunctionDeclaration, NodeDeclaration, NodeKind } from "#lib/declaration/types.ts";

/** What the hospitals do, per second, province-wide, at the Monday-morning peak */
export const PEAK_RATES = {
  documents: 175,
  claims: 45,
  queries: 50,
  retrievals: 50,
  feeds: 15,
  /** 467 front-end processors, one heartbeat a minute each (fep default) */
  heartbeats: 467 / 60,
} as const;
export type Flow = keyof typeof PEAK_RATES;

/** The average working day is about a third of the peak (near 100 mixed requests/s) */
export const AVERAGE_DAY_FRACTION_OF_PEAK = 1 / 3;

/** The multiple of the peak the AWS side is planned for (issue: 10× the peak, 3,000 requests/s) */
export const PLANNED_PEAK_MULTIPLE = 10;

/** Headroom over the modelled concurrency (bursts inside a second, cold starts, slower calls) */
export const HEADROOM = 1.5;

/** Where a flow's requests land: the function, how many invocations per request, and its planned duration */
interface Hop {
  node: NodeKind;
  fn: string;
  /** invocations of `fn` per request of the flow (a queue consumer's batch counts as one) */
  perRequest: number;
  /** planned duration of one invocation, seconds */
  seconds: number;
}

const BATCH = 10;

/**
 * Each flow's path through the nodes. City hops scale with the city's share of the population;
 * hub and insurance hops carry the whole province. The hospital API's authorizer result is cached
 * for 60 s per credential by API Gateway, so it and the hub's authentication are off the hot path.
 */
export const FLOWS: Record<Flow, Hop[]> = {
  documents: [
    { node: "city", fn: "DocumentPublish", perRequest: 1, seconds: 0.4 },
    { node: "hub", fn: "Authenticate", perRequest: 1, seconds: 0.05 }, // the practitioner check
    { node: "hub", fn: "MpiQuery", perRequest: 1, seconds: 0.1 }, // PIX: the resident's EMPI
    { node: "hub", fn: "ExchangeConsumer", perRequest: 1 / BATCH, seconds: 0.5 },
    { node: "hub", fn: "AuditConsumer", perRequest: 1 / BATCH, seconds: 0.4 },
    { node: "hub", fn: "SubscriptionMatcher", perRequest: 1 / BATCH, seconds: 0.4 },
  ],
  claims: [
    { node: "city", fn: "Claims", perRequest: 1, seconds: 0.15 },
    { node: "insurance", fn: "InsuranceAdjudicator", perRequest: 1 / BATCH, seconds: 0.8 },
    { node: "hub", fn: "SettlementResults", perRequest: 1 / BATCH, seconds: 0.6 },
    { node: "city", fn: "PushConsumer", perRequest: 1 / BATCH, seconds: 0.4 },
  ],
  queries: [
    { node: "city", fn: "DocumentQuery", perRequest: 1, seconds: 0.3 },
    { node: "hub", fn: "Authenticate", perRequest: 1, seconds: 0.05 },
    { node: "hub", fn: "MpiQuery", perRequest: 1, seconds: 0.1 },
    { node: "hub", fn: "RecordLocator", perRequest: 1, seconds: 0.1 },
    { node: "hub", fn: "AuditConsumer", perRequest: 1 / BATCH, seconds: 0.4 },
  ],
  retrievals: [
    { node: "city", fn: "DocumentQuery", perRequest: 1, seconds: 0.2 },
    { node: "city", fn: "DocumentLocation", perRequest: 0.5, seconds: 0.1 }, // half the bytes live in another city
    { node: "hub", fn: "Authenticate", perRequest: 1, seconds: 0.05 },
    { node: "hub", fn: "AuditConsumer", perRequest: 1 / BATCH, seconds: 0.4 },
  ],
  feeds: [
    { node: "city", fn: "PatientFeed", perRequest: 1, seconds: 0.2 },
    { node: "hub", fn: "MpiFeed", perRequest: 1, seconds: 0.3 },
    { node: "hub", fn: "AuditConsumer", perRequest: 1 / BATCH, seconds: 0.4 },
  ],
  heartbeats: [
    { node: "city", fn: "FepHeartbeat", perRequest: 1, seconds: 0.05 },
    { node: "hub", fn: "ExchangeConsumer", perRequest: 1 / BATCH, seconds: 0.5 },
  ],
};

/** A city's share of the province's load: its share of the population */
export function cityShare(cityId: string): number {
  const total = PROVINCE.cities.reduce((sum, c) => sum + c.populationMillions, 0);
  const city = PROVINCE.cities.find((c) => c.id === cityId);
  if (!city) throw new Error(`unknown city ${cityId}`);
  return city.populationMillions / total;
}

/** Invocations/s and concurrency (invocations/s × seconds, Little's law) a function carries at `multiple` × the peak */
export function modelledLoad(
  node: NodeKind,
  fn: string,
  multiple: number,
  share = 1,
): { invocationsPerSecond: number; concurrency: number } {
  let invocationsPerSecond = 0;
  let concurrency = 0;
  for (const [flow, hops] of Object.entries(FLOWS) as [Flow, Hop[]][]) {
    for (const hop of hops) {
      if (hop.node !== node || hop.fn !== fn) continue;
      const rate = PEAK_RATES[flow] * multiple * (node === "city" ? share : 1) * hop.perRequest;
      invocationsPerSecond += rate;
      concurrency += rate * hop.seconds;
    }
  }
  return { invocationsPerSecond, concurrency };
}

/** Floors for functions off the modelled paths: operator and registry routes, proxies, sweepers */
export const FLOOR = { request: 5, schedule: 1 } as const;

/** SQS event sources take a maximum concurrency of at least 2 */
export const MIN_CONSUMER_CONCURRENCY = 2;

/**
 * The reserved concurrency a function gets: the modelled concurrency at the planned multiple of the
 * peak with headroom, or its floor. A scheduled sweeper gets 1: its runs never overlap.
 */
export function plannedConcurrency(node: NodeKind, nodeId: string, fn: FunctionDeclaration, multiple = PLANNED_PEAK_MULTIPLE): number {
  if (fn.trigger?.kind === "schedule") return FLOOR.schedule;
  const { concurrency } = modelledLoad(node, fn.id, multiple, node === "city" ? cityShare(nodeId) : 1);
  const floor = fn.trigger?.kind === "queue" ? MIN_CONSUMER_CONCURRENCY : FLOOR.request;
  return Math.max(floor, Math.ceil(concurrency * HEADROOM));
}

/** Every function's planned reserved concurrency, and their sum (what one node takes from its account) */
export function concurrencyPlan(node: NodeKind, nodeId: string, declaration: NodeDeclaration, multiple = PLANNED_PEAK_MULTIPLE) {
  const perFunction = Object.fromEntries(declaration.functions.map((f) => [f.id, plannedConcurrency(node, nodeId, f, multiple)]));
  return { perFunction, total: Object.values(perFunction).reduce((a, b) => a + b, 0) };
}

/** The CDK context key that overrides the planned multiple at synth (`-c hhc:peakMultiple=1` for a small sandbox account) */
export const PEAK_MULTIPLE_CONTEXT = "hhc:peakMultiple";

/**
 * Lambda keeps 100 of an account's concurrency unreserved; the province's account (or each of its
 * accounts) needs its concurrency quota raised to hold the plan (docs/capacity.md).
 */
export const UNRESERVED_MINIMUM = 100;

/** The hub's functions behind its Internal API (the cities' calls), as the flows reach them */
export const INTERNAL_API_FUNCTIONS = new Set(["Authenticate", "MpiQuery", "RecordLocator", "MpiFeed"]);

/**
 * Each method's default throttle on an API's stage (requests/s): the planned multiple of the peak with
 * headroom, for the node's whole traffic (the per-hospital limit is the usage plan's, not this). A city's
 * Hospital API carries every flow's first request at its share; the hub's Internal API the cities'
 * calls to the hub's functions. Undefined for APIs outside the model (the operator's): their declared throttle.
 */
export function plannedStageRate(nodeId: string, apiId: string, multiple = PLANNED_PEAK_MULTIPLE): number | undefined {
  let rate = 0;
  if (apiId === "Hospital") {
    const share = cityShare(nodeId);
    for (const flow of Object.keys(PEAK_RATES) as Flow[]) rate += PEAK_RATES[flow] * multiple * share;
  } else if (apiId === "Internal" && nodeId === "hub") {
    for (const [flow, hops] of Object.entries(FLOWS) as [Flow, Hop[]][])
      for (const hop of hops)
        if (hop.node === "hub" && INTERNAL_API_FUNCTIONS.has(hop.fn)) rate += PEAK_RATES[flow] * multiple * hop.perRequest;
  } else return undefined;
  return Math.ceil(rate * HEADROOM);
}
