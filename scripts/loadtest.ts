/**
 * The province-day load test (docs/capacity.md): the modelled mix of the province's working day —
 * 467 hospitals' heartbeats, and from a sample of hospitals registrations, encounters, documents,
 * queries, retrievals and claims — sent open-loop (Poisson arrivals) at a fraction of the real rate,
 * against a running province. Prints per-kind p50/p99 and errors, the queues' depth over time, the
 * emulators' raw ceilings (locally), and whether the province kept up; `--search` steps the fraction
 * up and reports the largest one kept up with.
 *
 *   npm run loadtest -- --profile province-day [--fraction 0.1] [--minutes 10]
 *   npm run loadtest -- --profile province-day --search [--minutes 2]
 *   npm run loadtest -- --profile province-day --base-url https://… --credentials creds.json
 *
 * Without --base-url it starts a fresh local province of its own (authorizer cached 60 s, as API
 * Gateway). A deployed province is addressed with the same paths (`/cities/<id>/…`, `/hub/…`, as a
 * custom domain's base-path mappings give them) and a credentials file in local-credentials.json's shape.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { CreateQueueCommand, DeleteQueueCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { interceptLocalhostDns } from "fauxqs";
import { keptUp, type LoadKind, provinceDayMix, quantile, type RunOutcome } from "#lib/capacity/load-test.ts";
import { cityShare } from "#lib/capacity/model.ts";
import { PROVINCE } from "#lib/config/province.ts";
import { freshDataDir, spawnProvince } from "#lib/harness/process.ts";
import { claimOf, encounterOf, patientOf, publishBundle, residentAt } from "#lib/world/index.ts";
import type { LocalCredentials } from "#local/seed.ts";
import { RESIDENT_ID_SYSTEM } from "#schemas/identifiers.ts";
import { mrnSystem } from "#schemas/patient.ts";

const { values } = parseArgs({
  options: {
    profile: { type: "string", default: "province-day" },
    fraction: { type: "string", default: "0.1" },
    minutes: { type: "string" },
    search: { type: "boolean", default: false },
    "base-url": { type: "string" },
    credentials: { type: "string" },
    hospitals: { type: "string", default: "60" },
    "doc-bytes": { type: "string", default: String(20 * 1024) },
    "max-in-flight": { type: "string", default: "400" },
    port: { type: "string", default: "18190" },
    "warmup-seconds": { type: "string", default: "30" },
  },
});
if (values.profile !== "province-day") throw new Error(`unknown --profile ${values.profile}: province-day is the one profile`);
const minutes = Number(values.minutes ?? (values.search ? 2 : 10));
const maxInFlight = Number(values["max-in-flight"]);
const docBytes = Number(values["doc-bytes"]);

// the province: a running one, or a fresh local one of our own
const spawned = values["base-url"]
  ? undefined
  : await spawnProvince(freshDataDir(), Number(values.port), { HHC_AUTHORIZER_CACHE_SECONDS: "60" });
process.on("exit", () => void spawned?.kill());
const base = values["base-url"] ?? spawned!.url;
const credentials: LocalCredentials = values.credentials
  ? (JSON.parse(readFileSync(values.credentials, "utf8")) as LocalCredentials)
  : spawned!.credentials();
type Hospital = LocalCredentials["hospitals"][number];
const log = (line: string) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);

// the emulators' raw ceilings, before any load (locally only)
async function rawCeilings(): Promise<Record<string, number> | undefined> {
  const res = await fetch(`${base}/local/emulators`).catch(() => undefined);
  if (res?.status !== 200) return undefined;
  const local = (await res.json()) as {
    region: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
    endpoints: Record<string, string>;
  };
  const client = { region: local.region, credentials: local.credentials };
  // the SQS emulator names its queues http://sqs.<region>.localhost:<port>/…: resolve *.localhost here too, as the province does
  interceptLocalhostDns();
  const ddb = new DynamoDBClient({ ...client, endpoint: local.endpoints.dynamodb });
  const sqs = new SQSClient({ ...client, endpoint: local.endpoints.sqs });
  const table = `loadtest-ceiling-${randomUUID().slice(0, 8)}`;
  await ddb.send(
    new CreateTableCommand({
      TableName: table,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
    }),
  );
  const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: table }))).QueueUrl!;
  const payload = "x".repeat(1024);
  const ceiling = async (op: () => Promise<unknown>) => {
    const until = performance.now() + 3000;
    let done = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (performance.now() < until) {
          await op();
          done++;
        }
      }),
    );
    return done / 3;
  };
  const dynamoPuts = await ceiling(() =>
    ddb.send(new PutItemCommand({ TableName: table, Item: { pk: { S: randomUUID() }, body: { S: payload } } })),
  );
  const sqsSends = await ceiling(() => sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: payload })));
  await ddb.send(new DeleteTableCommand({ TableName: table }));
  await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
  return { "DynamoDB PutItem (1 KB, 16 in flight)": dynamoPuts, "SQS SendMessage (1 KB, 16 in flight)": sqsSends };
}

// who sends: every hospital beats; a sample of staffed hospitals, by their city's share, does the clinical work
const staffed = credentials.hospitals.filter((h) => h.practitioners.length > 0);
const byCity = new Map<string, Hospital[]>();
for (const h of staffed) byCity.set(h.cityId, [...(byCity.get(h.cityId) ?? []), h]);
function pickCity(): string {
  let r = Math.random();
  for (const c of PROVINCE.cities) {
    if (!byCity.has(c.id)) continue;
    r -= cityShare(c.id);
    if (r <= 0) return c.id;
  }
  return [...byCity.keys()][0]!;
}
const active: Hospital[] = [];
const wanted = Math.min(Number(values.hospitals), staffed.length);
for (let guard = 0; active.length < wanted && guard < wanted * 50; guard++) {
  const pool = byCity.get(pickCity())!;
  const h = pool[Math.floor(Math.random() * pool.length)]!;
  if (!active.includes(h)) active.push(h);
}

interface Known {
  mrn: string;
  residentId: string;
}
const patients = new Map<string, Known[]>();
const binaries = new Map<string, string[]>();
let residentSeq = 50_000 + Math.floor(Math.random() * 1_000_000);
let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;
const headers = (h: Hospital) => ({
  authorization: `Bearer ${h.credential}`,
  "x-practitioner-id": h.practitioners[0] ?? "",
  "content-type": "application/fhir+json",
});
const city = (h: Hospital, path: string) => `${base}/cities/${h.cityId}${path}`;
const anyOf = <T>(list: readonly T[]): T | undefined => list[Math.floor(Math.random() * list.length)];

async function register(h: Hospital): Promise<number> {
  const resident = residentAt(residentSeq++);
  const mrn = `LT-${unique()}`;
  const res = await fetch(city(h, "/fhir/Patient"), {
    method: "POST",
    headers: headers(h),
    body: JSON.stringify(patientOf(h.id, mrn, resident)),
  });
  await res.arrayBuffer();
  if (res.status === 201 || res.status === 200)
    patients.set(h.id, [...(patients.get(h.id) ?? []), { mrn, residentId: resident.residentId }]);
  return res.status;
}

/** A POST as the hospital's named practitioner: its status, the answer read to its end */
async function post(h: Hospital, path: string, body: unknown): Promise<number> {
  const res = await fetch(city(h, path), { method: "POST", headers: headers(h), body: JSON.stringify(body) });
  await res.arrayBuffer();
  return res.status;
}

/** Work by an active hospital about one of the residents it registered (0 when it has none yet) */
async function asHospitalOfAPatient(work: (h: Hospital, p: Known) => Promise<number>): Promise<number> {
  const h = anyOf(active)!;
  const p = anyOf(patients.get(h.id) ?? []);
  return p ? work(h, p) : 0;
}

/** One request of a kind, as a hospital sends it: its status (0: nothing to send yet, e.g. no document found) */
const send: Record<LoadKind, () => Promise<number>> = {
  heartbeats: async () => {
    const h = anyOf(credentials.hospitals)!;
    const res = await fetch(city(h, "/fep/heartbeat"), {
      method: "POST",
      headers: { authorization: `Bearer ${h.credential}`, "content-type": "application/json" },
      body: JSON.stringify({ fepVersion: "1.4.2", backlog: 0, clock: new Date().toISOString() }),
    });
    await res.arrayBuffer();
    return res.status;
  },
  feeds: () => register(anyOf(active)!),
  encounters: () =>
    asHospitalOfAPatient((h, p) => post(h, "/fhir/Encounter", encounterOf(h.id, `E-${unique()}`, p.mrn, false, new Date().toISOString()))),
  documents: () =>
    asHospitalOfAPatient((h, p) =>
      post(
        h,
        "/fhir",
        publishBundle(
          h,
          `LT-${unique()}`,
          { system: RESIDENT_ID_SYSTEM, value: p.residentId },
          { bytes: randomBytes(docBytes), contentType: "application/pdf" },
        ),
      ),
    ),
  queries: () =>
    asHospitalOfAPatient(async (h, p) => {
      const identifier = encodeURIComponent(`${RESIDENT_ID_SYSTEM}|${p.residentId}`);
      const res = await fetch(city(h, `/fhir/DocumentReference?patient.identifier=${identifier}`), { headers: headers(h) });
      const bundle = (await res.json().catch(() => ({}))) as { entry?: { resource?: { content?: { attachment?: { url?: string } }[] } }[] };
      const urls = (bundle.entry ?? []).map((e) => e.resource?.content?.[0]?.attachment?.url).filter((u): u is string => Boolean(u));
      if (urls.length) binaries.set(h.id, [...(binaries.get(h.id) ?? []).slice(-20), ...urls.slice(0, 5)]);
      return res.status;
    }),
  retrievals: async () => {
    const h = anyOf(active.filter((a) => binaries.has(a.id)));
    const url = h && anyOf(binaries.get(h.id)!);
    if (!h || !url) return 0;
    const res = await fetch(url.startsWith("http") ? url : city(h, `/fhir/${url}`), { headers: headers(h) });
    await res.arrayBuffer();
    return res.status;
  },
  claims: () =>
    asHospitalOfAPatient((h, p) => {
      const now = new Date().toISOString();
      const items: [string, number][] = [["A", 120]];
      return post(
        h,
        "/fhir/Claim",
        claimOf(
          h,
          `LT-${unique()}`,
          { system: mrnSystem(h.id), value: p.mrn },
          { kind: "professional", start: now.slice(0, 10), created: now, items },
        ),
      );
    }),
};

async function queueDepth(): Promise<number | undefined> {
  const res = await fetch(`${base}/hub/ops/summary`, { headers: { authorization: `Bearer ${credentials.operator}` } }).catch(
    () => undefined,
  );
  if (res?.status !== 200) return undefined;
  const summary = (await res.json()) as { queues?: { depth: number; inFlight: number }[] };
  return (summary.queues ?? []).reduce((sum, q) => sum + q.depth + q.inFlight, 0);
}

interface KindStats {
  latencies: number[];
  statuses: Map<number, number>;
  skipped: number;
}

async function run(fraction: number, seconds: number): Promise<RunOutcome & { stats: Map<LoadKind, KindStats> }> {
  const mix = provinceDayMix(fraction);
  const stats = new Map<LoadKind, KindStats>(
    (Object.keys(mix) as LoadKind[]).map((k) => [k, { latencies: [], statuses: new Map(), skipped: 0 }]),
  );
  const outcome: RunOutcome = { sent: 0, errors: 0, shed: 0, depths: [] };
  let inFlight = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  const pending = new Set<Promise<void>>();
  const fire = (kind: LoadKind) => {
    if (inFlight >= maxInFlight) {
      outcome.shed++;
      return;
    }
    inFlight++;
    const t0 = performance.now();
    const p = send[kind]()
      .catch(() => -1)
      .then((status) => {
        inFlight--;
        const s = stats.get(kind)!;
        if (status === 0) {
          s.skipped++;
          return;
        }
        outcome.sent++;
        s.latencies.push(performance.now() - t0);
        s.statuses.set(status, (s.statuses.get(status) ?? 0) + 1);
        if (status < 0 || status >= 500 || status === 429) outcome.errors++;
      });
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };
  // one Poisson arrival stream per kind
  const streams = (Object.entries(mix) as [LoadKind, number][]).map(async ([kind, rate]) => {
    let next = performance.now();
    for (;;) {
      next += (-Math.log(1 - Math.random()) / rate) * 1000;
      if (next >= until) return;
      const wait = next - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      fire(kind);
    }
  });
  const sampler = (async () => {
    while (performance.now() < until) {
      const depth = await queueDepth();
      if (depth !== undefined) outcome.depths.push({ x: (performance.now() - started) / 1000, y: depth });
      const elapsed = (performance.now() - started) / 1000;
      const done = Math.min(1, elapsed / seconds);
      const bar = "#".repeat(Math.round(done * 30)).padEnd(30, ".");
      process.stderr.write(
        `\r[${bar}] ${(done * 100).toFixed(0).padStart(3)} % ${elapsed.toFixed(0)}/${seconds} s  sent ${outcome.sent}  errors ${outcome.errors}  shed ${outcome.shed}  in flight ${inFlight}  queued ${depth ?? "?"}   `,
      );
      await new Promise((r) => setTimeout(r, 5000));
    }
    process.stderr.write("\n");
  })();
  await Promise.all([...streams, sampler]);
  await Promise.all(pending);
  return { ...outcome, stats };
}

function report(fraction: number, result: Awaited<ReturnType<typeof run>>, seconds: number) {
  const mix = provinceDayMix(fraction);
  console.log(`\n## fraction ${fraction} of the average day, ${seconds} s`);
  console.log("| kind | planned /s | sent | p50 ms | p99 ms | answers |");
  console.log("| --- | --- | --- | --- | --- | --- |");
  for (const [kind, s] of result.stats) {
    const answers = [...s.statuses].sort((a, b) => a[0] - b[0]).map(([status, n]) => `${status < 0 ? "network" : status} ×${n}`);
    const p = (q: number) => quantile(s.latencies, q)?.toFixed(0) ?? "–";
    console.log(
      `| ${kind} | ${mix[kind].toFixed(2)} | ${s.latencies.length} | ${p(0.5)} | ${p(0.99)} | ${answers.join(", ")}${s.skipped ? ` (${s.skipped} not sendable yet)` : ""} |`,
    );
  }
  const verdict = keptUp(result);
  const depths = result.depths.map((d) => d.y);
  console.log(
    `queues: max ${Math.max(0, ...depths)} messages, at the end ${depths.at(-1) ?? "?"}, growth over the second half ${verdict.growthPerSecond.toFixed(2)} /s; errors ${(100 * verdict.errorRate).toFixed(2)} %; shed ${result.shed}`,
  );
  console.log(verdict.ok ? "kept up: yes" : `kept up: no (${verdict.why})`);
  return verdict.ok;
}

const ceilings = await rawCeilings();
if (ceilings) {
  console.log("## the emulators' raw ceilings (before the load, the province idle)");
  for (const [name, perSecond] of Object.entries(ceilings)) console.log(`- ${name}: ${perSecond.toFixed(0)} /s`);
}
log(`registering 3 residents at each of ${active.length} hospitals in ${new Set(active.map((h) => h.cityId)).size} cities (not measured)`);
for (let i = 0; i < active.length; i += 8)
  await Promise.all(active.slice(i, i + 8).flatMap((h) => [register(h), register(h), register(h)]));

// cold starts and the first authorizer calls are not the day's steady state: a warm-up at the first rate, not counted
const warmup = Number(values["warmup-seconds"]);
if (warmup > 0) {
  log(`warming up for ${warmup} s (not counted)`);
  await run(values.search ? 0.02 : Number(values.fraction), warmup);
}

if (!values.search) {
  const fraction = Number(values.fraction);
  report(fraction, await run(fraction, minutes * 60), minutes * 60);
} else {
  const steps = [0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1];
  let best: number | undefined;
  for (const fraction of steps) {
    log(`step: ${fraction} of the average day for ${minutes} min`);
    if (!report(fraction, await run(fraction, minutes * 60), minutes * 60)) break;
    best = fraction;
    // let the queues drain before the next step
    for (let i = 0; i < 24 && ((await queueDepth()) ?? 0) > 0; i++) await new Promise((r) => setTimeout(r, 5000));
  }
  const mix = best ? Object.values(provinceDayMix(best)).reduce((a, b) => a + b, 0) : 0;
  console.log(
    best
      ? `\nlargest fraction of the province's average day kept up with: ${best} (${mix.toFixed(1)} requests/s of the day's ${Object.values(
          provinceDayMix(1),
        )
          .reduce((a, b) => a + b, 0)
          .toFixed(0)})`
      : "\nnot even the smallest step was kept up with",
  );
}
await spawned?.stop();
process.exit(0);
