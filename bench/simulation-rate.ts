/**
 * The simulation's sustained item rate, one core or two, side by side in one run (issue 19, docs/capacity.md):
 * a fresh province with the handlers on the main thread, then one with them in worker threads
 * (HHC_WORKERS), each put to work by the same saturating simulation (`npm run simulate`: same seed,
 * hospitals and scale; the day is shorter than the items take, so the rate is what the province sustains,
 * catching up included). Prints items/s per kind in both modes and the ratio, and the rate against the
 * recorded one-thread rate before issue 19's consumer work (`--before`, items/s: 12.55 on an idle machine, 2026-12-05).
 * Both provinces run as AWS runs: the authorizer cached 60 s as API Gateway caches it (`--authorizer-cache`), and
 * the queue triggers waiting out their batching windows as Lambda's event source mappings do
 * (HHC_BATCHING_WINDOWS=1; `--no-batching-windows` for the local default, which invokes a batch at once).
 *   npx tsx bench/simulation-rate.ts [--workers 2] [--hospitals 20] [--scale 1.5] [--day-seconds 60] [--drain-seconds 600]
 *                                    [--authorizer-cache 60] [--no-batching-windows] [--before 12.55]
 */
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { freshDataDir, spawnProvince } from "#lib/harness/process.ts";
import { type SimulationReport as Report, runSimulation } from "./simulation-child.ts";

const { values } = parseArgs({
  options: {
    workers: { type: "string", default: "2" },
    hospitals: { type: "string", default: "20" },
    scale: { type: "string", default: "1.5" },
    "day-seconds": { type: "string", default: "60" },
    "drain-seconds": { type: "string", default: "600" },
    port: { type: "string", default: "18197" },
    "authorizer-cache": { type: "string", default: "60" },
    "no-batching-windows": { type: "boolean", default: false },
    before: { type: "string", default: "12.55" },
  },
});
const asAws = {
  HHC_AUTHORIZER_CACHE_SECONDS: values["authorizer-cache"],
  HHC_BATCHING_WINDOWS: values["no-batching-windows"] ? "" : "1",
};

const simulate = (base: string, dataDir: string) =>
  runSimulation([
    ...["--hospitals", values.hospitals, "--scale", values.scale, "--day-seconds", values["day-seconds"]],
    ...["--drain-seconds", values["drain-seconds"], "--offline", "0", "--base", base, "--data", dataDir],
  ]);

async function measure(workers: string | undefined): Promise<Report> {
  const province = await spawnProvince(freshDataDir(), Number(values.port), { ...asAws, HHC_WORKERS: workers ?? "" });
  try {
    return await simulate(province.url, province.dataDir);
  } finally {
    await province.stop();
  }
}

const items = (r: Report) => r.perSecond.patients + r.perSecond.documents + r.perSecond.encounters + r.perSecond.claims;
const one = await measure(undefined);
const two = await measure(values.workers);
console.log(`| figure | one thread | ${values.workers} workers | ratio |`);
console.log("| --- | --- | --- | --- |");
for (const [name, f] of [
  ["items/s sustained (all kinds)", items],
  ["patients/s", (r: Report) => r.perSecond.patients],
  ["documents/s", (r: Report) => r.perSecond.documents],
  ["encounters/s", (r: Report) => r.perSecond.encounters],
  ["claims/s", (r: Report) => r.perSecond.claims],
  ["wall seconds (day and catching up)", (r: Report) => r.wallSeconds],
] as const)
  console.log(`| ${name} | ${f(one).toFixed(2)} | ${f(two).toFixed(2)} | ${(f(two) / f(one)).toFixed(2)}× |`);
console.log(`backlog left: ${one.backlogLeft} (one thread), ${two.backlogLeft} (workers)`);
console.log(
  `against the one-thread rate before (${values.before} items/s): one thread ${(items(one) / Number(values.before)).toFixed(2)}×, ${values.workers} workers ${(items(two) / Number(values.before)).toFixed(2)}×`,
);
console.log(
  `(authorizer cached ${values["authorizer-cache"]} s; batching windows ${values["no-batching-windows"] ? "off" : "honoured"}; load average at the end ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")})`,
);
