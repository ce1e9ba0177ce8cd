/**
 * Where the local province's one thread spends its time: reads a V8 CPU profile (`.cpuprofile`, as
 * `node --cpu-prof` writes; the benches spawn the province with it when HHC_PROF=1, into /tmp/prof)
 * and sums the self time of its samples by category, from each frame's script URL and name.
 * A frame is counted in the first category whose rule matches the innermost frame that names one
 * (a zod call inside a handler bundle counts as zod; SDK code inside a bundle as the AWS SDK).
 *   HHC_PROF=1 npx tsx bench/settlement.ts --hospitals 50 --claims 10
 *   npx tsx bench/profile-breakdown.ts /tmp/prof/<file>.cpuprofile
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

interface CallFrame {
  functionName: string;
  url: string;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** First match wins; the order puts the specific before the general */
const CATEGORIES: [string, (f: CallFrame) => boolean][] = [
  ["idle (waiting for I/O or timers)", (f) => f.functionName === "(idle)"],
  ["garbage collection", (f) => f.functionName === "(garbage collector)"],
  [
    "LevelDB (dynalite's store)",
    (f) => /classic-level|abstract-level|memory-level|browser-level|level-transcoder|leveldown|levelup/.test(f.url),
  ],
  ["DynamoDB emulator (dynalite)", (f) => /dynalite/.test(f.url)],
  ["SQS emulator (fauxqs)", (f) => /fauxqs/.test(f.url)],
  ["S3 and SSM emulators", (f) => /s3rver|local\/ssm-emulator|local\/emulators/.test(f.url)],
  ["SigV4 signing and hashing (crypto)", (f) => /signature-v4|sha256-js|hash-node|util-hex|node:internal\/crypto/.test(f.url)],
  ["zod (parsing and validation)", (f) => /[\\/]zod[\\/]|zod\/v4/.test(f.url)],
  ["AWS SDK (clients, middleware, serializers)", (f) => /@aws-sdk|@smithy|fast-xml-parser/.test(f.url)],
  ["logging (Powertools)", (f) => /aws-lambda-powertools|logger/.test(f.url)],
  ["the local gateway and authorizer cache", (f) => /local\/(gateway|proxy-event|identities|throttle|runtime)/.test(f.url)],
  ["HTTP between nodes (node:http, undici)", (f) => /undici|node:_http|node:http|node:net|_http_/.test(f.url)],
  ["esbuild (bundling)", (f) => /esbuild/.test(f.url)],
  ["the handlers' own code (bundles)", (f) => /\.bundles|bundles[\\/]/.test(f.url)],
  ["JSON (parse and stringify)", (f) => /^(parse|stringify)$/.test(f.functionName) && f.url === ""],
  ["the province (local/, lib/)", (f) => /[\\/](local|lib)[\\/]/.test(f.url)],
  ["Node.js internals", (f) => f.url.startsWith("node:") || f.url === ""],
];

function newestProfile(): string {
  const dir = "/tmp/prof";
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".cpuprofile"))
    .map((f) => path.join(dir, f));
  if (files.length === 0) throw new Error(`no .cpuprofile in ${dir}: run a bench with HHC_PROF=1 first`);
  return files.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0]!;
}

const file = process.argv[2] ?? newestProfile();
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

/** The category of a sample: the innermost frame of its stack that a rule names (Node.js internals only when nothing else does) */
const SPECIFIC = CATEGORIES.filter(([name]) => name !== "Node.js internals");
const categoryCache = new Map<number, string>();
function categoryOf(id: number): string {
  const cached = categoryCache.get(id);
  if (cached) return cached;
  let category: string | undefined;
  for (let at: number | undefined = id; at !== undefined && !category; at = parent.get(at)) {
    const frame = byId.get(at)!.callFrame;
    category = SPECIFIC.find(([, rule]) => rule(frame))?.[0];
  }
  const leaf = byId.get(id)!.callFrame;
  category ??= leaf.url.startsWith("node:") || leaf.url === "" ? "Node.js internals" : "other";
  categoryCache.set(id, category);
  return category;
}

const totals = new Map<string, number>();
let all = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  all += dt;
  const c = categoryOf(id);
  totals.set(c, (totals.get(c) ?? 0) + dt);
});
const busy = all - (totals.get("idle (waiting for I/O or timers)") ?? 0);
console.log(`profile ${path.basename(file)}: ${(all / 1e6).toFixed(1)} s sampled, the thread busy ${((100 * busy) / all).toFixed(1)} %`);
console.log("| where | share of all time | share of busy time |");
console.log("| --- | --- | --- |");
for (const [c, t] of [...totals].sort((a, b) => b[1] - a[1])) {
  const ofBusy = c.startsWith("idle") ? "" : `${((100 * t) / busy).toFixed(1)} %`;
  console.log(`| ${c} | ${((100 * t) / all).toFixed(1)} % | ${ofBusy} |`);
}
