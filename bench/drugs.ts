/**
 * Drug catalogue resolution through the local province: hospitals of every city resolve seeded drugs
 * by any of their codes (city → the hub's internal catalogue read), `--concurrency` at once, warmed up.
 * Prints the latency percentiles of the 200s and counts anything else.
 *   npx tsx bench/drugs.ts [--requests 2000] [--concurrency 16]
 */
import { parseArgs } from "node:util";
import { inPool } from "#lib/harness/pool.ts";
import { freshDataDir, spawnProvince } from "#lib/harness/process.ts";
import { generateDrugCatalogue } from "#lib/seed/drugs.ts";
import { createRng } from "#lib/seed/prng.ts";

const { values } = parseArgs({
  options: {
    requests: { type: "string", default: "2000" },
    concurrency: { type: "string", default: "16" },
    port: { type: "string", default: "18184" },
  },
});
const requests = Number(values.requests);
const concurrency = Number(values.concurrency);

const province = await spawnProvince(freshDataDir(), Number(values.port));
const { hospitals } = province.credentials();
const catalogue = generateDrugCatalogue();
const rng = createRng("bench-drugs");
const oneHospitalPerCity = [...new Map(hospitals.map((h) => [h.cityId, h])).values()];

async function resolve(h: (typeof hospitals)[number], code: string): Promise<number> {
  const res = await fetch(`${province.url}/cities/${h.cityId}/fhir/MedicationKnowledge?code=${encodeURIComponent(code)}`, {
    headers: { authorization: `Bearer ${h.credential}` },
  });
  await res.arrayBuffer();
  return res.status;
}

// warm-up: each city's authorizer and function, and the hub's catalogue function, start once
for (const h of oneHospitalPerCity) await resolve(h, catalogue[0]!.nationalDrugCode);

const jobs = Array.from({ length: requests }, () => {
  const entry = rng.pick(catalogue);
  const codes = [entry.nationalDrugCode, entry.insuranceCode, ...(entry.gtin ? [entry.gtin] : [])];
  return { h: rng.pick(oneHospitalPerCity), code: rng.pick(codes) };
});
const latencies: number[] = [];
let other = 0;
const started = performance.now();
await inPool(concurrency, jobs, async (job) => {
  const t0 = performance.now();
  const status = await resolve(job.h, job.code);
  if (status === 200) latencies.push(performance.now() - t0);
  else other++;
});
const elapsed = performance.now() - started;
await province.stop();

latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(1);
console.log(
  `catalogue resolution: ${requests} codes of ${catalogue.length} drugs from 11 cities, ${concurrency} concurrent; not 200: ${other}`,
);
console.log(`throughput: ${((requests / elapsed) * 1000).toFixed(0)} resolutions/s`);
console.log(`latency ms: p50 ${pct(50)}  p95 ${pct(95)}  p99 ${pct(99)}`);
