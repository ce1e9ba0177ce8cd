/**
 * The local province's memory under overload (docs/capacity.md, "Memory under overload"): a fresh
 * province put to work by a simulation far past what it sustains (default 60 hospitals at 3× the
 * hourly rates, a day in 120 s: about 15× the default simulation), while a probe preloaded into it
 * (bench/memory-probe.cjs) records its memory every second. Prints the heap and resident set over
 * time, their peaks, whether the province still answered at the end, and the simulation's rates.
 * Before the handler bundles lost their dynamic imports (lib/bundle-trim.ts), such a run ran the
 * province out of heap in about three minutes.
 *   npx tsx bench/overload-memory.ts [--hospitals 60] [--scale 3] [--day-seconds 120] [--drain-seconds 120] [--workers 0]
 */
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { freshDataDir, spawnProvince } from "#lib/harness/process.ts";
import { runSimulation } from "./simulation-child.ts";

const { values } = parseArgs({
  options: {
    hospitals: { type: "string", default: "60" },
    scale: { type: "string", default: "3" },
    "day-seconds": { type: "string", default: "120" },
    "drain-seconds": { type: "string", default: "120" },
    workers: { type: "string", default: "0" },
    port: { type: "string", default: "18198" },
  },
});

interface Sample {
  s: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
}

const dataDir = freshDataDir();
const probeFile = path.join(dataDir, "memory.jsonl");
const probe = path.resolve("bench/memory-probe.cjs");
const province = await spawnProvince(dataDir, Number(values.port), {
  NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${probe}`.trim(),
  HHC_MEMORY_PROBE: probeFile,
  HHC_WORKERS: values.workers === "0" ? "" : values.workers,
});
const load = loadavg()[0]!.toFixed(1);
let report: Awaited<ReturnType<typeof runSimulation>> | undefined;
let failure: string | undefined;
let answered = false;
try {
  report = await runSimulation(
    [
      ...["--hospitals", values.hospitals, "--scale", values.scale, "--day-seconds", values["day-seconds"]],
      ...["--drain-seconds", values["drain-seconds"], "--base", province.url, "--data", dataDir, "--quiet"],
    ],
    { allowBacklog: true },
  );
} catch (error) {
  failure = (error as Error).message;
} finally {
  answered = await fetch(`${province.url}/hub/health`, { signal: AbortSignal.timeout(30_000) }).then(
    (r) => r.ok,
    () => false,
  );
  // a province that ran out of memory has exited already: stop() would wait for an exit that came before
  await Promise.race([province.stop(), new Promise((resolve) => setTimeout(resolve, 15_000))]);
}

const samples = readFileSync(probeFile, "utf8")
  .trim()
  .split("\n")
  .map((l) => JSON.parse(l) as Sample);
const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20).toLocaleString("en")} MiB`;
const peak = (f: (s: Sample) => number) => Math.max(...samples.map(f));
console.log(
  `overload: ${values.hospitals} hospitals × ${values.scale}, a day in ${values["day-seconds"]} s, drain ≤ ${values["drain-seconds"]} s, ${values.workers === "0" ? "one thread" : `${values.workers} workers`} (load average at start ${load})`,
);
console.log("| seconds | resident set | heap used | heap total | external |");
console.log("| --- | --- | --- | --- | --- |");
for (const s of samples.filter((x, i) => i === samples.length - 1 || x.s % 30 === 0))
  console.log(`| ${s.s} | ${mib(s.rss)} | ${mib(s.heapUsed)} | ${mib(s.heapTotal)} | ${mib(s.external)} |`);
console.log(
  `peak: resident set ${mib(peak((s) => s.rss))}, heap used ${mib(peak((s) => s.heapUsed))}, heap total ${mib(peak((s) => s.heapTotal))}`,
);
console.log(
  `the province ${answered ? "still answered" : "did NOT answer"} at the end${failure ? `; the simulation failed: ${failure}` : ""}`,
);
if (report) {
  const p = report.perSecond;
  console.log(
    `sustained items/s: patients ${p.patients}, documents ${p.documents}, encounters ${p.encounters}, claims ${p.claims}; backlog left ${report.backlogLeft}`,
  );
}
