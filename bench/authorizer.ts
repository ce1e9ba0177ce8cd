/**
 * Authorizer overhead per request through the local province, uncached (every request runs the
 * city authorizer, which asks the hub's internal API: the local default, so revocation is
 * immediate) and cached (API Gateway's 60 s cache, HHC_AUTHORIZER_CACHE_SECONDS=60).
 *   npx tsx bench/authorizer.ts [--requests 2000] [--concurrency 8]
 */
import { parseArgs } from "node:util";
import { freshDataDir, spawnProvince } from "#lib/harness/process.ts";

const { values } = parseArgs({
  options: {
    requests: { type: "string", default: "2000" },
    concurrency: { type: "string", default: "8" },
    port: { type: "string", default: "18183" },
  },
});
const requests = Number(values.requests);
const concurrency = Number(values.concurrency);
const dataDir = freshDataDir();

async function run(cacheSeconds: number) {
  const province = await spawnProvince(dataDir, Number(values.port), { HHC_AUTHORIZER_CACHE_SECONDS: String(cacheSeconds) });
  const hospitals = province
    .credentials()
    .hospitals.filter((h) => h.cityId === "baoding")
    .slice(0, 40);
  const get = (h: (typeof hospitals)[number]) =>
    fetch(`${province.url}/cities/baoding/fhir/Organization/${h.id}`, { headers: { authorization: `Bearer ${h.credential}` } }).then(
      async (r) => {
        await r.arrayBuffer();
        if (r.status !== 200) throw new Error(`status ${r.status}`);
      },
    );
  for (const h of hospitals) await get(h); // warm-up: cold starts, and fills the cache when on
  const latencies: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        const h = hospitals[next++ % hospitals.length]!;
        const t0 = performance.now();
        await get(h);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const index = (await (await fetch(`${province.url}/`)).json()) as {
    metrics: { authorizer: { requests: number; p50Ms: number; p99Ms: number } };
  };
  await province.stop();
  latencies.sort((a, b) => a - b);
  return {
    authorizer: index.metrics.authorizer,
    p50: latencies[Math.floor(latencies.length / 2)]!,
    p99: latencies[Math.floor(latencies.length * 0.99)]!,
  };
}

const uncached = await run(0);
const cached = await run(60);
console.log(
  `authorizer time per request, uncached (city authorizer → hub internal API → credential table): p50 ${uncached.authorizer.p50Ms} ms, p99 ${uncached.authorizer.p99Ms} ms`,
);
console.log(
  `authorizer time per request, cached (60 s, as API Gateway):                             p50 ${cached.authorizer.p50Ms} ms, p99 ${cached.authorizer.p99Ms} ms`,
);
console.log(
  `whole request (GET /fhir/Organization/{id} at a city, ${concurrency} concurrent): uncached p50 ${uncached.p50.toFixed(1)} ms p99 ${uncached.p99.toFixed(1)} ms; cached p50 ${cached.p50.toFixed(1)} ms p99 ${cached.p99.toFixed(1)} ms`,
);
