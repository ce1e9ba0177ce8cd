/**
 * Heartbeats per second end to end through the local province: FEPs of every hospital post
 * heartbeats to their city nodes (auth via the hub, outbox write, exchange queue), and the run
 * ends when the hub's connection board shows every hospital's last heartbeat.
 *   npx tsx bench/heartbeats.ts [--rounds 4] [--concurrency 32]
 */
import { parseArgs } from "node:util";
import { freshDataDir, spawnProvince } from "#lib/harness/process.ts";

const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "4" },
    concurrency: { type: "string", default: "32" },
    port: { type: "string", default: "18182" },
  },
});
const rounds = Number(values.rounds);
const concurrency = Number(values.concurrency);

const province = await spawnProvince(freshDataDir(), Number(values.port));
const { hospitals, operator } = province.credentials();
const board = async () =>
  (await (await fetch(`${province.url}/hub/connections`, { headers: { authorization: `Bearer ${operator}` } })).json()) as {
    hospitals: { hospitalId: string; backlog: number | null }[];
  };

// warm-up: one heartbeat per city, so cold starts are not counted
for (const cityId of new Set(hospitals.map((h) => h.cityId))) {
  const h = hospitals.find((x) => x.cityId === cityId)!;
  await post(h, 999_999);
}

async function post(h: (typeof hospitals)[number], backlog: number): Promise<number> {
  const res = await fetch(`${province.url}/cities/${h.cityId}/fep/heartbeat`, {
    method: "POST",
    headers: { authorization: `Bearer ${h.credential}`, "content-type": "application/json" },
    body: JSON.stringify({ fepVersion: "1.0.0", backlog, clock: new Date().toISOString() }),
  });
  await res.arrayBuffer();
  return res.status;
}

const jobs = Array.from({ length: rounds }, (_, round) => hospitals.map((h) => ({ h, backlog: round }))).flat();
const latencies: number[] = [];
let failures = 0;
const started = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      const t0 = performance.now();
      if ((await post(job.h, job.backlog)) !== 204) failures++;
      latencies.push(performance.now() - t0);
    }
  }),
);
const acceptedMs = performance.now() - started;
// end to end: every hospital's last heartbeat (backlog = rounds - 1) is on the hub's board
for (;;) {
  const b = await board();
  if (b.hospitals.every((x) => x.backlog === rounds - 1)) break;
  await new Promise((r) => setTimeout(r, 50));
}
const e2eMs = performance.now() - started;
await province.stop();

latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(1);
console.log(`heartbeats: ${jobs.length} from ${hospitals.length} hospitals, ${concurrency} concurrent, ${failures} failed`);
console.log(`accepted (204) rate:           ${((jobs.length / acceptedMs) * 1000).toFixed(0)} heartbeats/s`);
console.log(`end to end (on the hub board): ${((jobs.length / e2eMs) * 1000).toFixed(0)} heartbeats/s  (${(e2eMs / 1000).toFixed(1)} s)`);
console.log(`request latency ms: p50 ${pct(50)}  p95 ${pct(95)}  p99 ${pct(99)}`);
