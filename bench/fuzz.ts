/**
 * The fuzzing bench (docs/security.md, "Fuzzing"): thousands of requests per declared route, generated
 * from the route's schemas and broken (lib/harness/fuzz), in process against a fresh seeded local
 * province, then a few per route over HTTP through its gateway. Prints the totals: routes, requests,
 * answers by status code, 5xx (must be 0), the other failures (4xx that are no OperationOutcome
 * naming the field, writes by refused requests) and the time taken. Exits 1 on any failure.
 *   npx tsx bench/fuzz.ts [--cases 2000] [--http 20] [--seed 20261203] [--only "city POST /fhir"] [--concurrency 4] [--from <dir>]
 * `--from`: a copy of that seeded data folder (a stopped province's, e.g. `.data`) instead of seeding a fresh one.
 */
import { cpSync, readFileSync, rmSync } from "node:fs";
import { parseArgs } from "node:util";
import { type CampaignResult, fuzzInProcess, fuzzOverHttp } from "#lib/harness/fuzz/campaign.ts";
import { freshDataDir } from "#lib/harness/process.ts";
import { startProvince } from "#local/province.ts";
import type { LocalCredentials } from "#local/seed.ts";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const { values } = parseArgs({
  options: {
    cases: { type: "string", default: "2000" },
    http: { type: "string", default: "20" },
    seed: { type: "string", default: "20261203" },
    only: { type: "string" },
    concurrency: { type: "string", default: "4" },
    from: { type: "string" },
  },
});
const options = {
  seed: Number(values.seed),
  concurrency: Number(values.concurrency),
  ...(values.only ? { only: values.only } : {}),
  progress: (line: string) => console.error(`  ${line}`),
};

const dataDir = freshDataDir();
if (values.from) cpSync(values.from, dataDir, { recursive: true });
console.error(`starting a ${values.from ? "" : "freshly "}seeded local province in ${dataDir} …`);
const province = await startProvince({ dataDir, port: 0, log: () => {} });
const credentials = JSON.parse(readFileSync(province.credentialsFile, "utf8")) as LocalCredentials;

const print = (title: string, r: CampaignResult) => {
  const statuses = Object.entries(r.statuses).sort(([a], [b]) => Number(a) - Number(b));
  const of = (test: (s: number) => boolean) => statuses.filter(([s]) => test(Number(s)));
  const fivexx = of((s) => s >= 500).reduce((n, [, c]) => n + c, 0);
  console.log(`${title}: ${r.routes} routes, ${r.cases.toLocaleString("en")} requests in ${(r.elapsedMs / 1000).toFixed(1)} s`);
  console.log(
    `  2xx/3xx: ${of((s) => s < 400)
      .map(([s, c]) => `${s} ${c}`)
      .join(", ")}`,
  );
  console.log(
    `  4xx:     ${of((s) => s >= 400 && s < 500)
      .map(([s, c]) => `${s} ${c}`)
      .join(", ")}`,
  );
  console.log(`  5xx:     ${fivexx}`);
  console.log(`  other failures: ${r.failures.length - fivexx}; writes by refused requests: ${r.partialWrites.length}`);
  for (const f of r.failures.slice(0, 20)) console.log(`    seed ${options.seed} ${f.route}: ${f.problem}\n      (${f.kind}) ${f.request}`);
  for (const w of r.partialWrites.slice(0, 20)) console.log(`    ${w}`);
};

let failed = false;
try {
  const inProcess = await fuzzInProcess(province, credentials, { ...options, cases: Number(values.cases) });
  print(`in process (seed ${options.seed})`, inProcess);
  const overHttp = await fuzzOverHttp(province, credentials, { ...options, cases: Number(values.http) });
  print("over HTTP", overHttp);
  failed = [inProcess, overHttp].some((r) => r.failures.length > 0 || r.partialWrites.length > 0);
} finally {
  await province.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
