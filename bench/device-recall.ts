/**
 * The device recall query over a province with many implants (docs/drugs-devices.md#recall): a fresh
 * local province, its hub's implant index filled with `--implants` implants (written as the exchange
 * consumer writes them, through the same adapter, rather than through 20,000 encounters: the path from
 * an encounter to the index is tested in test/local/drugs-devices.test.ts) of the seeded orthopaedic and
 * cardiac implants, 3 lots each, over every hospital; one coronary stent takes a tenth of them (a hot
 * DI). Then the operator's `GET /hub/devices/recall?di=&lot=` for random DIs and lots, `--concurrency`
 * at once, each answer audited as in production (one AuditEvent per 50 residents named), and the hot DI
 * with every lot. Prints the latency percentiles.
 *   npx tsx bench/device-recall.ts [--implants 20000] [--queries 200] [--concurrency 4]
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { dynamoImplantIndex } from "#adapters/device-implants.ts";
import { inPool } from "#lib/harness/pool.ts";
import { freshDataDir, spawnProvince } from "#lib/harness/process.ts";
import { generateDeviceRegistry } from "#lib/seed/devices.ts";
import { createRng } from "#lib/seed/prng.ts";
import type { ImplantRecord } from "#ports/devices.ts";
import { localResourceName } from "#shared/discovery-names.ts";

const { values } = parseArgs({
  options: {
    implants: { type: "string", default: "20000" },
    queries: { type: "string", default: "200" },
    concurrency: { type: "string", default: "4" },
    port: { type: "string", default: "18185" },
  },
});
const implantCount = Number(values.implants);
const queries = Number(values.queries);
const concurrency = Number(values.concurrency);

const province = await spawnProvince(freshDataDir(), Number(values.port));
const { hospitals, operator } = province.credentials();
const endpoints = JSON.parse(readFileSync(path.join(province.dataDir, "endpoints.json"), "utf8")) as {
  dynamodb: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
};
Object.assign(process.env, {
  AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
  AWS_REGION: endpoints.region,
  AWS_ACCESS_KEY_ID: endpoints.credentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: endpoints.credentials.secretAccessKey,
});

const TYPES = ["髋关节假体", "膝关节假体", "骨科内固定螺钉", "冠状动脉药物洗脱支架", "植入式心脏起搏器"];
const devices = generateDeviceRegistry().filter((d) => d.implantable && TYPES.includes(d.type));
const hot = devices.find((d) => d.type === "冠状动脉药物洗脱支架")!;
const rng = createRng("bench-device-recall");
const lotOf = (di: string) => `L${di.slice(-4)}-${rng.int(1, 3)}`;
const records: ImplantRecord[] = Array.from({ length: implantCount }, (_, n) => {
  const device = n % 10 === 0 ? hot : rng.pick(devices);
  const h = rng.pick(hospitals);
  return {
    deviceId: "implant-1",
    issuer: /^[0-9]/.test(device.di) ? "GS1" : "HIBCC",
    di: device.di,
    lot: lotOf(device.di),
    empi: `E${String(n + 1).padStart(13, "0")}`,
    hospitalId: h.id,
    cityId: h.cityId,
    encounterId: `${h.cityId}-bench${String(n).padStart(8, "0")}`,
    at: new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString(),
  };
});
const t0 = performance.now();
const index = dynamoImplantIndex(localResourceName("hub", "DeviceImplants"));
for (let i = 0; i < records.length; i += 500) await index.put(records.slice(i, i + 500));
const indexSeconds = (performance.now() - t0) / 1000;

async function recall(di: string, lot?: string): Promise<{ status: number; residents: number }> {
  const res = await fetch(
    `${province.url}/hub/devices/recall?di=${encodeURIComponent(di)}${lot ? `&lot=${encodeURIComponent(lot)}` : ""}`,
    {
      headers: { authorization: `Bearer ${operator}` },
    },
  );
  const body = (await res.json()) as { residents?: number };
  return { status: res.status, residents: body.residents ?? 0 };
}

await recall(hot.di, "warm-up");
const jobs = Array.from({ length: queries }, () => {
  const d = rng.pick(devices);
  return { di: d.di, lot: lotOf(d.di) };
});
const latencies: number[] = [];
const residents: number[] = [];
let other = 0;
await inPool(concurrency, jobs, async (job) => {
  const started = performance.now();
  const answer = await recall(job.di, job.lot);
  if (answer.status !== 200) {
    other++;
    return;
  }
  latencies.push(performance.now() - started);
  residents.push(answer.residents);
});
const hotTimes: number[] = [];
let hotResidents = 0;
for (let i = 0; i < 5; i++) {
  const started = performance.now();
  hotResidents = (await recall(hot.di)).residents;
  hotTimes.push(performance.now() - started);
}
await province.stop();

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!.toFixed(0);
};
console.log(
  `implants indexed: ${implantCount} of ${devices.length} device types (3 lots each) at ${hospitals.length} hospitals in ${indexSeconds.toFixed(1)} s`,
);
console.log(
  `recall by DI and lot: ${queries} queries, ${concurrency} concurrent, not 200: ${other}; residents per answer median ${pct(residents, 50)}, max ${pct(residents, 100)}`,
);
console.log(`latency ms: p50 ${pct(latencies, 50)}  p95 ${pct(latencies, 95)}  p99 ${pct(latencies, 99)}`);
console.log(
  `the hot DI (${hot.di}), every lot: ${hotResidents} residents, p50 ${pct(hotTimes, 50)} ms, max ${pct(hotTimes, 100)} ms (5 queries)`,
);
