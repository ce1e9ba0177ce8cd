/**
 * Start-to-ready of the local province: spawn `npm start`'s entry on a fresh data folder (first
 * start, which bundles and seeds) and again on the same folder (later start), timing each until
 * /hub/health answers 200.   npx tsx bench/startup.ts [--runs 3]
 */
import { parseArgs } from "node:util";
import { freshDataDir, spawnProvince } from "#lib/harness/process.ts";

const { values } = parseArgs({ options: { runs: { type: "string", default: "3" }, port: { type: "string", default: "18181" } } });
const runs = Number(values.runs);
const port = Number(values.port);
const first: number[] = [];
const later: number[] = [];
for (let i = 0; i < runs; i++) {
  const dataDir = freshDataDir();
  const a = await spawnProvince(dataDir, port);
  first.push(a.readyMs);
  await a.stop();
  const b = await spawnProvince(dataDir, port);
  later.push(b.readyMs);
  await b.stop();
}
const fmt = (xs: number[]) =>
  `median ${(xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)]! / 1000).toFixed(2)} s (runs: ${xs.map((x) => (x / 1000).toFixed(2)).join(", ")})`;
console.log(`first start to ready (fresh data folder, seeds 467 hospitals): ${fmt(first)}`);
console.log(`later start to ready (existing data folder):                 ${fmt(later)}`);
