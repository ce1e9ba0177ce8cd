/**
 * A fuzzing campaign over every declared route of a running local province (docs/security.md,
 * "Fuzzing"), shared by the suite (test/fuzz/routes.test.ts) and the bench (bench/fuzz.ts).
 *
 * In process (every route's requests straight to its function) and over HTTP (a few per route through
 * the gateway, each from the next hospital: the per-hospital throttle stays), in two phases each:
 * first every request whose path, query or body its route's schemas refuse, while the DynamoDB
 * emulator reports every write it applies: none may reach a table those routes may write (audit
 * tables excepted: a refusal is audited by design), nor may the buckets' objects change; then the
 * requests that conform, which may be accepted and write. Every answer is judged by `problemsOf`.
 */
import fc from "fast-check";
import type { RunningProvince } from "#local/province.ts";
import type { LocalCredentials } from "#local/seed.ts";
import { Throttle } from "#local/throttle.ts";
import { type FuzzRequest, requestsOf } from "./requests.ts";
import { type DeclaredRoute, declaredRoutes, FUZZ_ROUTES } from "./routes.ts";
import {
  type Answer,
  invokeInProcess,
  invokeOverHttp,
  listObjects,
  objectChanges,
  problemsOf,
  provinceOwnWrite,
  type Sender,
  senderOf,
  writableBy,
} from "./run.ts";

export interface Failure {
  route: string;
  kind: string;
  request: string;
  problem: string;
}

export interface CampaignResult {
  routes: number;
  cases: number;
  /** Answers by status code */
  statuses: Record<string, number>;
  failures: Failure[];
  /** What the refused requests left in the tables and buckets (must be empty) */
  partialWrites: string[];
  elapsedMs: number;
}

export interface CampaignOptions {
  seed: number;
  /** Requests per route */
  cases: number;
  concurrency: number;
  /** Only the routes whose key includes this */
  only?: string;
  /** Progress, once per route and phase */
  progress?: (line: string) => void;
}

/** Each route's requests come from its own seed (the run's seed + the route's index), so one route's failure reproduces alone */
const seedOf = (seed: number, index: number) => seed + index;

const summary = (r: FuzzRequest) =>
  `${r.method} ${r.path.slice(0, 120)}${r.query ? `?${r.query.slice(0, 120)}` : ""} headers=${JSON.stringify(r.headers).slice(0, 160)} body=${JSON.stringify(r.body?.slice(0, 160))}`;

async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

function routesOf(only: string | undefined): DeclaredRoute[] {
  return declaredRoutes().filter((r) => !only || r.key.includes(only));
}

/** Whether a route writes: not a read (GET), and its function (or those it calls) may write a table or bucket */
const writes = (declared: DeclaredRoute, writable: { tables: string[]; buckets: string[] }) =>
  declared.route.method !== "GET" && writable.tables.length + writable.buckets.length > 0;

/** Declared routes without a catalogue entry, and entries without a declared route */
export function catalogueGaps(): { missing: string[]; unknown: string[] } {
  const keys = new Set(declaredRoutes().map((r) => r.key));
  return {
    missing: [...keys].filter((k) => !FUZZ_ROUTES[k]),
    unknown: Object.keys(FUZZ_ROUTES).filter((k) => !keys.has(k)),
  };
}

function record(result: CampaignResult, declared: DeclaredRoute, request: FuzzRequest, answer: Answer, writes: boolean) {
  result.cases++;
  result.statuses[answer.status] = (result.statuses[answer.status] ?? 0) + 1;
  for (const problem of problemsOf(answer, request, writes))
    result.failures.push({ route: declared.key, kind: request.kind, request: summary(request), problem });
}

interface Job {
  declared: DeclaredRoute;
  sender: Sender;
  request: FuzzRequest;
  writes: boolean;
  writable: { tables: string[]; buckets: string[] };
}

/**
 * Sends the jobs in two phases: first those whose parts the schemas refuse, while every DynamoDB write
 * applied to a table the jobs' routes may write is recorded (and the buckets' objects listed before
 * and after): none may be; then the conforming ones, which may write.
 */
async function runJobs(
  province: RunningProvince,
  jobs: Job[],
  options: CampaignOptions,
  send: (job: Job) => Promise<Answer>,
): Promise<CampaignResult> {
  const started = performance.now();
  const result: CampaignResult = {
    routes: new Set(jobs.map((j) => j.declared.key)).size,
    cases: 0,
    statuses: {},
    failures: [],
    partialWrites: [],
    elapsedMs: 0,
  };
  const watched = {
    tables: [...new Set(jobs.flatMap((j) => j.writable.tables))].sort(),
    buckets: [...new Set(jobs.flatMap((j) => j.writable.buckets))].sort(),
  };
  const run = async (phase: "refused" | "conforming") => {
    const now = jobs.filter((j) => j.request.conforms === (phase === "conforming"));
    await pool(now, options.concurrency, async (job) => record(result, job.declared, job.request, await send(job), job.writes));
    options.progress?.(`${phase}: ${now.length} requests`);
  };
  // the province's own start-up work (the daily schedules' first runs: the month's figures sent to the
  // health commission…) writes the same tables: the refused phase starts once it is over, and what its
  // sealer and deliveries still write to the evidence log meanwhile is theirs (provinceOwnWrite)
  await province.schedulesIdle();
  await quiet(province, watched.tables);
  const before = await listObjects(province, watched.buckets);
  const applied: string[] = [];
  const stop = province.watchDynamoWrites((w) => {
    if (provinceOwnWrite(w)) return;
    for (const table of w.tables.filter((t) => watched.tables.includes(t)))
      applied.push(`${w.operation} on ${table}: ${w.request.slice(0, 300)}`);
  });
  try {
    await run("refused");
  } finally {
    stop();
  }
  result.partialWrites = [...applied, ...objectChanges(before, await listObjects(province, watched.buckets))];
  await run("conforming");
  result.elapsedMs = performance.now() - started;
  return result;
}

/** Resolves once `quietMs` pass without a write to `tables` (at most `limitMs`: then the campaign goes on and reports what it sees) */
function quiet(province: RunningProvince, tables: readonly string[], quietMs = 3_000, limitMs = 90_000): Promise<void> {
  return new Promise((resolve) => {
    let timer: ReturnType<typeof setTimeout>;
    const done = () => {
      clearTimeout(timer);
      clearTimeout(limit);
      stop();
      resolve();
    };
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(done, quietMs);
    };
    const stop = province.watchDynamoWrites((w) => {
      if (!provinceOwnWrite(w) && w.tables.some((t) => tables.includes(t))) arm();
    });
    const limit = setTimeout(done, limitMs);
    arm();
  });
}

const jobOf = (province: RunningProvince, declared: DeclaredRoute, sender: Sender, request: FuzzRequest): Job => {
  const writable = writableBy(province, declared, sender, declaredRoutes());
  return { declared, sender, request, writable, writes: writes(declared, writable) };
};

const fuzzOf = (declared: DeclaredRoute) => {
  const fuzz = FUZZ_ROUTES[declared.key];
  if (!fuzz) throw new Error(`no fuzz entry for ${declared.key} (lib/harness/fuzz/routes.ts)`);
  return fuzz;
};

/** `cases` requests per route straight to its function, from the hospitals of one city in turn */
export async function fuzzInProcess(
  province: RunningProvince,
  credentials: LocalCredentials,
  options: CampaignOptions,
): Promise<CampaignResult> {
  const all = declaredRoutes();
  // one city's hospitals (each node's functions start cold once: a campaign is not a start-up bench)
  const hospitals = credentials.hospitals.filter((h) => h.cityId === credentials.hospitals[0]!.cityId);
  const other = credentials.hospitals.find((h) => h.cityId !== hospitals[0]!.cityId)!;
  const jobs = routesOf(options.only).flatMap((declared, i) => {
    const sender = senderOf(province, credentials, declared, hospitals[i % hospitals.length]!, other);
    const seed = seedOf(options.seed, all.indexOf(declared));
    return fc
      .sample(requestsOf(declared, fuzzOf(declared), sender.caller), { numRuns: options.cases, seed })
      .map((request) => jobOf(province, declared, sender, request));
  });
  return runJobs(province, jobs, options, (job) => invokeInProcess(province, job.declared, job.sender, job.request));
}

/** `cases` requests per route over HTTP through the gateway, each from the next hospital of two cities (the per-hospital throttle stays) */
export async function fuzzOverHttp(
  province: RunningProvince,
  credentials: LocalCredentials,
  options: CampaignOptions,
): Promise<CampaignResult> {
  const all = declaredRoutes();
  const cities = [...new Set(credentials.hospitals.map((h) => h.cityId))].slice(0, 2);
  const hospitals = credentials.hospitals.filter((h) => cities.includes(h.cityId));
  let next = 0;
  const jobs = routesOf(options.only).flatMap((declared) => {
    const seeds = fc.sample(fc.integer(), { numRuns: options.cases, seed: seedOf(options.seed, all.indexOf(declared)) });
    return seeds.map((seed) => {
      const hospital = hospitals[next++ % hospitals.length]!;
      const sender = senderOf(province, credentials, declared, hospital, hospitals.find((h) => h.cityId !== hospital.cityId)!);
      const [request] = fc.sample(requestsOf(declared, fuzzOf(declared), sender.caller), { numRuns: 1, seed });
      return jobOf(province, declared, sender, request!);
    });
  });
  const pace = pacer();
  return runJobs(province, jobs, options, async (job) => {
    await pace(job);
    return invokeOverHttp(province, job.sender, job.request);
  });
}

/**
 * Keeps each caller under its API's declared throttle (half its rate and burst), as a well-behaved
 * client would: the hospitals are spread over many API keys, but the operator API has one operator
 * credential, which a fast run would otherwise push past its usage plan into 429s that test nothing.
 */
function pacer(): (job: Job) => Promise<void> {
  const throttles = new Map<string, Throttle>();
  return async (job) => {
    const { api } = job.declared;
    const key = `${job.sender.nodeId}-${api.id}`;
    const throttle = throttles.get(key) ?? new Throttle(api.throttle.rateLimit / 2, Math.max(1, Math.floor(api.throttle.burstLimit / 2)));
    throttles.set(key, throttle);
    const caller = job.sender.authorization ?? job.sender.identity?.accessKeyId ?? "anonymous";
    while (!throttle.take(caller)) await new Promise((resolve) => setTimeout(resolve, 1000 / api.throttle.rateLimit));
  };
}
