/**
 * The simulation's sustained item rate, one core or two, side by side in one run (issue 19, docs/capacity.md):
 * a fresh province with the handlers on the main thread, then one with them in worker threads
 * (HHC_WORKERS), each put to work by the same saturating simulation (`npm run simulate`: same seed,
 * hospitals and scale; the day is shorter than the items take, so the rate is what the province sustains,
 * catching up included). Prints items/s per kind in both modes and the ratio.
 *   npx tsx bench/simulation-rate.ts [--workers 2] [--hospitals 20] [--scale 1.5] [--day-seconds 60] [--drain-seconds 600]
 */
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
  },
});

const simulate = (base: string, dataDir: string) =>
  runSimulation([
    ...["--hospitals", values.hospitals, "--scale", values.scale, "--day-seconds", values["day-seconds"]],
    ...["--drain-seconds", values["drain-seconds"], "--offline", "0", "--base", base, "--data", dataDir],
  ]);

async function measure(workers: string | undefined): Promise<Report> {
  const province = await spawnProvince(freshDataDir(), Number(values.port), workers ? { HHC_WORKERS: workers } : { HHC_WORKERS: "" });
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
