/**
 * What the province costs a month (docs/capacity.md#what-it-costs): each node's bill from its
 * declaration (functions' memory, tables, queues, buckets, APIs) and the load model (model.ts: the
 * flows, their hops and planned durations), priced by the table in prices.ts. Pure arithmetic:
 * `npm run cost` prints it, test/capacity/cost.test.ts holds its sums.
 *
 * What a request of each flow costs besides its Lambda hops (DynamoDB request units, SQS messages,
 * S3 requests and bytes) is a planning assumption, written once below, from the handlers' round trips
 * as the local province counts them (bench/health-card-round-trips.ts shows the method); replace them
 * with CloudWatch's consumed capacity once the province runs.
 */
import { PROVINCE } from "#lib/config/province.ts";
import { CITY_DECLARATION, HUB_DECLARATION, INSURANCE_DECLARATION } from "#lib/declaration/index.ts";
import type { NodeDeclaration, NodeKind } from "#lib/declaration/types.ts";
import { AVERAGE_DAY_FRACTION_OF_PEAK, cityShare, FLOWS, type Flow, INTERNAL_API_FUNCTIONS, PEAK_RATES } from "./model.ts";
import type { Price, RegionPrices } from "./prices.ts";

/** The average working day's rate, held 12 hours a day on 22 working days (nights and weekends left out) */
export const WORKING_SECONDS_PER_MONTH = 22 * 12 * 3600;
const HOURS_PER_MONTH = 730;

/** Average stored size of a clinical document: 80 TB a year over about 641 million documents (issue 19) */
export const DOCUMENT_BYTES = 125_000;
/** Average DynamoDB item written (records, index entries, audit events): bytes kept per write */
const ITEM_BYTES = 1_000;
/** JSON log bytes per invocation, and per API request (access logs) */
const LOG_BYTES = 1_000;

interface Use {
  /** DynamoDB write and read request units per request, by the node that holds the table */
  dynamodb: Partial<Record<NodeKind, { writes: number; reads: number }>>;
  /** Queue messages per request, by the node whose queue carries them (each: a send, and a receive and a delete shared by a batch of 10) */
  messages: Partial<Record<NodeKind, { standard: number; fifo: number }>>;
  s3: { puts: number; gets: number };
}

/** Per request of each flow, beyond its Lambda hops: planning assumptions (see the header) */
export const USE: Record<Flow, Use> = {
  documents: {
    dynamodb: { city: { writes: 4, reads: 2 }, hub: { writes: 5, reads: 4 } },
    messages: { hub: { standard: 3, fifo: 0 } }, // the exchange, the audit, the subscriptions' match
    s3: { puts: 1, gets: 0 },
  },
  claims: {
    dynamodb: { city: { writes: 3, reads: 2 }, hub: { writes: 3, reads: 2 }, insurance: { writes: 3, reads: 3 } },
    // the settlement (the hub's FIFO, read by the insurance platform), its result, the audit, the push to the city
    messages: { hub: { standard: 1, fifo: 2 }, city: { standard: 1, fifo: 0 } },
    s3: { puts: 0, gets: 0 },
  },
  queries: {
    dynamodb: { city: { writes: 0, reads: 1 }, hub: { writes: 2, reads: 6 } },
    messages: { hub: { standard: 1, fifo: 0 } },
    s3: { puts: 0, gets: 0 },
  },
  retrievals: {
    dynamodb: { city: { writes: 0, reads: 2 }, hub: { writes: 2, reads: 2 } },
    messages: { hub: { standard: 1, fifo: 0 } },
    s3: { puts: 0, gets: 1 },
  },
  feeds: {
    dynamodb: { city: { writes: 1, reads: 1 }, hub: { writes: 6, reads: 6 } },
    messages: { hub: { standard: 1, fifo: 0 } },
    s3: { puts: 0, gets: 0 },
  },
  heartbeats: { dynamodb: { hub: { writes: 1, reads: 1 } }, messages: { hub: { standard: 1, fifo: 0 } }, s3: { puts: 0, gets: 0 } },
};

/** SQS requests per message: the send, and the receive and delete of a batch of 10 */
const SQS_REQUESTS_PER_MESSAGE = 1 + 2 / 10;

export interface CostLine {
  service: string;
  amount: number;
  detail: string;
}

export interface NodeBill {
  node: string;
  kind: NodeKind;
  /** Requests of the flows that start at this node (a city: its hospitals'; the hub and insurance: none) */
  exchanges: number;
  lines: CostLine[];
  total: number;
  /** The same load on containers: the usual FHIR server on Fargate and its RDS PostgreSQL (Multi-AZ), S3 the same */
  containers: CostLine[];
  containersTotal: number;
}

export interface CostOptions {
  prices: RegionPrices;
  /** A multiple of the province-day load (1: the average working day) */
  multiple?: number;
  /** The month of operation whose bill it is (storage grows with it): 12 is the first year's last */
  month?: number;
}

const DECLARATIONS: Record<NodeKind, NodeDeclaration> = { city: CITY_DECLARATION, hub: HUB_DECLARATION, insurance: INSURANCE_DECLARATION };
const cost = (price: Price, quantity: number, per: number): number => (price.value * quantity) / per;

/** Requests of `flow` a month at the node (a city carries its share; the hub and insurance the province) */
const monthly = (flow: Flow, kind: NodeKind, share: number, multiple: number): number =>
  PEAK_RATES[flow] * AVERAGE_DAY_FRACTION_OF_PEAK * WORKING_SECONDS_PER_MONTH * multiple * (kind === "city" ? share : 1);

/** One node's monthly bill */
export function nodeBill(kind: NodeKind, nodeId: string, options: CostOptions): NodeBill {
  const { prices: p, multiple = 1, month = 12 } = options;
  const declaration = DECLARATIONS[kind];
  const share = kind === "city" ? cityShare(nodeId) : 1;
  const flows = Object.keys(PEAK_RATES) as Flow[];
  const memoryOf = (fn: string) => declaration.functions.find((f) => f.id === fn)?.memoryMb ?? 256;

  let invocations = 0;
  let gbSeconds = 0;
  let apiRequests = 0;
  let writes = 0;
  let reads = 0;
  let standardMessages = 0;
  let fifoMessages = 0;
  let puts = 0;
  let gets = 0;
  let exchanges = 0;
  for (const flow of flows) {
    const requests = monthly(flow, kind, share, multiple);
    // a flow's request starts at a city's Hospital API, at the city's share
    if (kind === "city") {
      exchanges += requests;
      apiRequests += requests;
    }
    for (const hop of FLOWS[flow]) {
      if (hop.node !== kind) continue;
      const n = requests * hop.perRequest;
      invocations += n;
      gbSeconds += (n * hop.seconds * memoryOf(hop.fn)) / 1024;
      if (kind === "hub" && INTERNAL_API_FUNCTIONS.has(hop.fn)) apiRequests += n;
    }
    const use = USE[flow];
    const db = use.dynamodb[kind];
    if (db) {
      writes += requests * db.writes;
      reads += requests * db.reads;
    }
    const messages = use.messages[kind];
    if (messages) {
      standardMessages += requests * messages.standard;
      fifoMessages += requests * messages.fifo;
    }
    if (kind === "city") {
      puts += requests * use.s3.puts;
      gets += requests * use.s3.gets;
    }
  }

  const lines: CostLine[] = [];
  const line = (service: string, amount: number, detail: string) => lines.push({ service, amount, detail });
  line(
    "Lambda",
    cost(p.lambda.requests, invocations, 1e6) + gbSeconds * p.lambda.armGbSecond.value,
    `${fmt(invocations)} invocations, ${fmt(gbSeconds)} GB-s (Arm)`,
  );
  line("API Gateway", cost(p.apiGateway.restRequests, apiRequests, 1e6), `${fmt(apiRequests)} REST requests`);
  const storedGb = (writes * ITEM_BYTES * month) / 1e9;
  line(
    "DynamoDB",
    cost(p.dynamodb.writeRequestUnits, writes, 1e6) + cost(p.dynamodb.readRequestUnits, reads, 1e6) + storedGb * p.dynamodb.storage.value,
    `${fmt(writes)} WRU, ${fmt(reads)} RRU, ${fmt(storedGb)} GB stored after ${month} months`,
  );
  line(
    "SQS",
    cost(p.sqs.standardRequests, standardMessages * SQS_REQUESTS_PER_MESSAGE, 1e6) +
      cost(p.sqs.fifoRequests, fifoMessages * SQS_REQUESTS_PER_MESSAGE, 1e6),
    `${fmt(standardMessages + fifoMessages)} messages (${fmt(fifoMessages)} FIFO)`,
  );
  // documents move to Standard-IA at 30 days and Glacier Instant Retrieval at 365 (lib/declaration/retention.ts)
  const monthGb = (puts * DOCUMENT_BYTES) / 1e9;
  const standardGb = monthGb;
  const iaGb = monthGb * Math.max(0, Math.min(month, 12) - 1);
  const glacierGb = monthGb * Math.max(0, month - 12);
  line(
    "S3",
    standardGb * p.s3.standard.value +
      iaGb * p.s3.standardIa.value +
      glacierGb * p.s3.glacierInstant.value +
      cost(p.s3.puts, puts, 1000) +
      cost(p.s3.gets, gets, 1000),
    `${fmt(standardGb)} GB Standard, ${fmt(iaGb)} GB Standard-IA, ${fmt(glacierGb)} GB Glacier IR; ${fmt(puts)} PUTs, ${fmt(gets)} GETs`,
  );
  // keys: the tables', each queue's, the logs', each bucket's; requests: SQS asks once an hour per queue and
  // principal (data-key reuse), DynamoDB about every 5 minutes per table and function, S3 bucket keys ~1 in 1,000 objects
  const keys = (declaration.tables.length > 0 ? 1 : 0) + declaration.queues.length + 1 + declaration.buckets.length;
  const tableUses = declaration.functions.reduce((n, f) => n + Object.keys(f.tables ?? {}).length, 0);
  const kmsRequests = declaration.queues.length * 2 * HOURS_PER_MONTH + tableUses * 12 * HOURS_PER_MONTH + puts / 1000;
  line("KMS", keys * p.kms.keyMonth.value + cost(p.kms.requests, kmsRequests, 10_000), `${keys} keys, ${fmt(kmsRequests)} requests`);
  const ingestedGb = ((invocations + apiRequests) * LOG_BYTES) / 1e9;
  const alarms = declaration.functions.length * 2 + declaration.queues.length * 2 + declaration.apis.length;
  line(
    "CloudWatch",
    ingestedGb * p.cloudwatch.logsIngested.value +
      ingestedGb * 3 * 0.2 * p.cloudwatch.logsStored.value +
      alarms * p.cloudwatch.alarmMonth.value,
    `${fmt(ingestedGb)} GB logs, 3 months kept; ${alarms} alarms`,
  );

  // containers: FHIR server tasks (2 vCPU, 4 GB) for the node's peak at ~100 requests/s each, at least 2 (two zones),
  // always on; the database Multi-AZ, its storage the same items; the documents in S3 as above
  const peakRequestsPerSecond = apiRequests / (WORKING_SECONDS_PER_MONTH * AVERAGE_DAY_FRACTION_OF_PEAK);
  const tasks = Math.max(2, Math.ceil(peakRequestsPerSecond / 100));
  const containers: CostLine[] = [
    {
      service: "Fargate",
      amount: tasks * HOURS_PER_MONTH * (2 * p.fargate.armVcpuHour.value + 4 * p.fargate.armGbHour.value),
      detail: `${tasks} tasks of 2 vCPU and 4 GB, always on`,
    },
    {
      service: "RDS",
      amount:
        HOURS_PER_MONTH * (kind === "hub" ? p.rds.multiAz2xlargeHour.value : p.rds.multiAzLargeHour.value) +
        Math.max(100, storedGb * 2) * p.rds.multiAzStorage.value,
      detail: `PostgreSQL ${kind === "hub" ? "db.r6g.2xlarge" : "db.r6g.large"} Multi-AZ, ${fmt(Math.max(100, storedGb * 2))} GB`,
    },
    { service: "S3", amount: lines.find((l) => l.service === "S3")!.amount, detail: "the documents, as above" },
  ];
  const sum = (ls: CostLine[]) => ls.reduce((n, l) => n + l.amount, 0);
  return { node: nodeId, kind, exchanges, lines, total: sum(lines), containers, containersTotal: sum(containers) };
}

/** The hub's, every city's and the insurance platform's bills */
export function provinceBill(options: CostOptions): NodeBill[] {
  return [
    nodeBill("hub", "hub", options),
    ...PROVINCE.cities.map((c) => nodeBill("city", c.id, options)),
    nodeBill("insurance", "insurance", options),
  ];
}

/** Every price the bill used is in `prices`: how many are estimates */
export const estimatesUsed = (prices: RegionPrices): number =>
  Object.values(prices)
    .filter((g): g is Record<string, Price> => typeof g === "object")
    .flatMap((g) => Object.values(g))
    .filter((price) => price.basis === "estimate").length;

function fmt(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return n.toFixed(n < 10 ? 1 : 0);
}
