/**
 * Health card verification latency through the local province (docs/health-card.md): residents fed
 * and issued cards at a Baoding hospital, then `--terminals` terminals at hospitals of every city
 * verifying fresh dynamic codes at registration at once (each a city → hub internal API → HealthCards
 * and MPI round trip, audited), `--verifications` in all. Prints p50, p95 and p99, and the rate.
 * The authorizer is cached 60 s as API Gateway caches it (`--authorizer-cache 0`: the local default, every
 * request asks the hub who the credential is).
 *   npx tsx bench/health-card.ts [--terminals 20] [--verifications 1000] [--residents 50] [--authorizer-cache 60]
 */
import { parseArgs } from "node:util";
import { freshDataDir, spawnProvince } from "#lib/harness/process.ts";
import { type Card, cityPost, residentWithCard, verifyAtRegistration } from "./health-card-desk.ts";

const { values } = parseArgs({
  options: {
    terminals: { type: "string", default: "20" },
    verifications: { type: "string", default: "1000" },
    residents: { type: "string", default: "50" },
    port: { type: "string", default: "18191" },
    "authorizer-cache": { type: "string", default: "60" },
  },
});
const terminals = Number(values.terminals);
const total = Number(values.verifications);
const residentCount = Number(values.residents);

const cacheSeconds = Number(values["authorizer-cache"]);
const province = await spawnProvince(freshDataDir(), Number(values.port), { HHC_AUTHORIZER_CACHE_SECONDS: String(cacheSeconds) });
try {
  const hospitals = province.credentials().hospitals.filter((h) => h.practitioners.length > 0);
  const issuer = hospitals.find((h) => h.cityId === "baoding")!;
  const post = cityPost(province.url);
  const cards: Card[] = [];
  for (let i = 0; i < residentCount; i++) cards.push(await residentWithCard(post, issuer, i));

  // terminals at hospitals of every city in turn
  const cities = [...new Set(hospitals.map((h) => h.cityId))];
  const desks = Array.from({ length: terminals }, (_, i) => hospitals.find((h) => h.cityId === cities[i % cities.length])!);
  const verify = async (desk: (typeof desks)[number], n: number) => {
    const t0 = performance.now();
    await verifyAtRegistration(post, desk, cards[n % cards.length]!, `${desk.id}-bench`);
    return performance.now() - t0;
  };
  for (const [i, desk] of desks.entries()) await verify(desk, i); // warm-up: every city's function and the hub's

  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    desks.map(async (desk) => {
      while (next < total) latencies.push(await verify(desk, next++));
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))]!.toFixed(0);
  console.log(
    `health card verification (dynamic code at registration), ${terminals} terminal(s) in ${new Set(desks.map((d) => d.cityId)).size} cities at once, ${latencies.length} verifications of ${residentCount} cards, authorizer cache ${cacheSeconds} s: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, p99 ${at(0.99)} ms; ${(latencies.length / seconds).toFixed(1)} /s`,
  );
} finally {
  await province.stop();
}
