/**
 * One core or two, side by side in one run (docs/capacity.md): runs the documents and settlement
 * benches with the handlers on the main thread (the default) and then in worker threads
 * (HHC_WORKERS), each against a fresh province, and prints each figure in both modes and their ratio.
 * `--port`: the documents bench's port, the settlement bench's the next one (another engineer's bench may hold the defaults).
 *   npx tsx bench/cores.ts [--workers 2] [--hospitals 50] [--docs 10] [--claims 10] [--port 18184]
 */
import { spawn } from "node:child_process";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    workers: { type: "string", default: "2" },
    hospitals: { type: "string", default: "50" },
    docs: { type: "string", default: "10" },
    claims: { type: "string", default: "10" },
    port: { type: "string", default: "18184" },
  },
});

function run(script: string, args: string[], workers: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
      env: { ...process.env, HHC_WORKERS: workers },
      stdio: ["ignore", "pipe", "ignore"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
    });
    child.on("exit", (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${script} with HHC_WORKERS=${workers} exited with ${code}`)),
    );
  });
}

/** The number after `label` in a bench's output */
const figure = (out: string, pattern: RegExp): number => {
  const m = pattern.exec(out);
  if (!m) throw new Error(`no ${pattern} in:\n${out}`);
  return Number(m[1]);
};

interface Measure {
  name: string;
  /** higher is better */
  higher: boolean;
  value: (out: string) => number;
}
const benches: { script: string; args: string[]; measures: Measure[] }[] = [
  {
    script: "bench/documents.ts",
    args: ["--hospitals", values.hospitals, "--docs", values.docs, "--port", values.port],
    measures: [
      {
        name: "documents/s published → findable",
        higher: true,
        value: (o) => figure(o, /findable from another city\): ([\d.]+) documents\/s/),
      },
      {
        name: "city → hub locator lag p99, ms",
        higher: false,
        value: (o) => figure(o, /hub record locator, ms[^:]*: p50 \d+\s+p99 (\d+)/),
      },
      {
        name: "findable province-wide p99, ms",
        higher: false,
        value: (o) => figure(o, /findable province-wide after its 2xx[^:]*: p50 \d+\s+p99 (\d+)/),
      },
    ],
  },
  {
    script: "bench/settlement.ts",
    args: ["--hospitals", values.hospitals, "--claims", values.claims, "--port", String(Number(values.port) + 1)],
    measures: [
      { name: "claims/s submission → settlement", higher: true, value: (o) => figure(o, /end to end: ([\d.]+) claims\/s/) },
      {
        name: "time to settlement p99, ms",
        higher: false,
        value: (o) => figure(o, /time to settlement ms: p50 \d+\s+p95 \d+\s+p99 (\d+)/),
      },
    ],
  },
];

console.log(`| figure | one thread | ${values.workers} workers | ratio (better = above 1) |`);
console.log("| --- | --- | --- | --- |");
for (const bench of benches) {
  const one = await run(bench.script, bench.args, "0");
  const many = await run(bench.script, bench.args, values.workers);
  for (const m of bench.measures) {
    const a = m.value(one);
    const b = m.value(many);
    const ratio = m.higher ? b / a : a / b;
    console.log(`| ${m.name} | ${a} | ${b} | ${ratio.toFixed(2)}× |`);
  }
}
