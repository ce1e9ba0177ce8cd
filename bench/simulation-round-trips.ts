/**
 * The simulation, what one item costs in round trips (issue 19, docs/capacity.md): an in-process local
 * province on one thread, a small run of the simulation (`npm run simulate`, a child process) against it,
 * and every HTTP request the province makes meanwhile (handlers → emulators, city → hub, the pollers) and
 * every request its gateway serves (the FEP agents' and the nodes' calls), counted by where it goes and
 * divided by the items delivered (patients, documents, encounters, claims). The counts do not depend on the
 * machine's load (the timings do); also the process's CPU time per item. The authorizer is cached 60 s as
 * API Gateway caches it (`--authorizer-cache 0`: every request calls it); `--batching-windows`: the queue triggers wait
 * out their batching windows as Lambda does (HHC_BATCHING_WINDOWS=1).
 *   npx tsx bench/simulation-round-trips.ts [--hospitals 8] [--scale 0.5] [--day-seconds 30] [--authorizer-cache 60] [--batching-windows] [--top 40]
 */
import { subscribe } from "node:diagnostics_channel";
import { ClientRequest, type IncomingMessage } from "node:http";
import { parseArgs } from "node:util";
import { freshDataDir } from "#lib/harness/process.ts";
import { startProvince } from "../local/province.ts";
import { runThenStop } from "./round-trip-counter.ts";
import { endpointNamer, runSimulation } from "./simulation-child.ts";

const { values } = parseArgs({
  options: {
    hospitals: { type: "string", default: "8" },
    scale: { type: "string", default: "0.5" },
    "day-seconds": { type: "string", default: "30" },
    "authorizer-cache": { type: "string", default: "60" },
    port: { type: "string", default: "18198" },
    top: { type: "string", default: "40" },
    "batching-windows": { type: "boolean", default: false },
  },
});

const province = await startProvince({
  dataDir: freshDataDir(),
  port: Number(values.port),
  authorizerCacheSeconds: Number(values["authorizer-cache"]),
  batchingWindows: values["batching-windows"],
  log: () => {},
});

const counts = new Map<string, number>();
const count = (what: string) => counts.set(what, (counts.get(what) ?? 0) + 1);
const where = endpointNamer(province.dataDir);
/** A path's shape: ids and query strings out, the node and its first segments kept */
const shape = (path: string) =>
  (path.split("?")[0] ?? "")
    .split("/")
    .slice(0, 6)
    .map((s) => (/\d/.test(s) && !s.startsWith("$") ? "{id}" : s))
    .join("/")
    .replace(/^\/cities\/[a-z]+\//, "/cities/{city}/");
/** DynamoDB's table or SQS's queue a request names (its JSON body), the node prefix out */
const resourceOf = (body: string) => {
  const name = body.match(/"(?:TableName|QueueUrl)":"([^"]+)"/)?.[1] ?? body.match(/"RequestItems":\{"([^"]+)"/)?.[1];
  return name ? ` ${name.split("/").at(-1)!.replace(/^hhc-/, "")}` : "";
};
// the body names the table or queue: kept as the request ends, read when it starts (node publishes the start at its end)
const bodies = new WeakMap<ClientRequest, string>();
const end = ClientRequest.prototype.end;
ClientRequest.prototype.end = function (this: ClientRequest, ...args: unknown[]) {
  const [chunk] = args;
  if (typeof chunk === "string" || Buffer.isBuffer(chunk)) bodies.set(this, String(chunk).slice(0, 2000));
  return (end as (...a: unknown[]) => ClientRequest).apply(this, args);
} as typeof end;
subscribe("http.client.request.start", (message) => {
  const request = (message as { request: ClientRequest }).request;
  const target = String(request.getHeader("x-amz-target") ?? "").split(".")[1];
  const to = where(String(request.getHeader("host")));
  if (to === "gateway" || to === String(request.getHeader("host"))) return; // counted where the gateway serves it
  count(`${to}${target ? ` ${target}${resourceOf(bodies.get(request) ?? "")}` : ` ${request.method} ${shape(request.path)}`}`);
});
subscribe("undici:request:create", (message) => {
  const request = (message as { request: { origin: string; method: string; path: string } }).request;
  const to = where(new URL(request.origin).host);
  if (to !== "gateway" && to !== new URL(request.origin).host) count(`${to} ${request.method} ${shape(request.path)}`);
});
subscribe("http.server.request.start", (message) => {
  const request = (message as { request: IncomingMessage }).request;
  if (String(request.headers.host ?? "").endsWith(`:${values.port}`)) count(`gateway ${request.method} ${shape(request.url ?? "")}`);
});

const simulate = () =>
  runSimulation([
    ...["--hospitals", values.hospitals, "--scale", values.scale, "--day-seconds", values["day-seconds"]],
    ...["--drain-seconds", "300", "--offline", "0", "--base", province.url, "--data", province.dataDir],
  ]);

await runThenStop(province, async () => {
  counts.clear();
  const cpu = process.cpuUsage();
  const report = await simulate();
  await new Promise((r) => setTimeout(r, 5000)); // the audit's delivery and acks the last items caused
  const spent = process.cpuUsage(cpu);
  const d = report.delivered;
  const items = (d.patient ?? 0) + (d.document ?? 0) + (d.encounter ?? 0) + (d.claim ?? 0);
  const rows = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  const all = rows.reduce((n, [, c]) => n + c, 0);
  const group = new Map<string, number>();
  for (const [what, n] of rows) {
    const [to, op = ""] = what.split(" ");
    const kind = to === "gateway" ? `gateway ${op}` : `${to} ${op}`;
    group.set(kind, (group.get(kind) ?? 0) + n);
  }
  console.log(`delivered: ${JSON.stringify(d)} (${items} items), backlog left ${report.backlogLeft}`);
  console.log("\nby where (per item):");
  for (const [kind, n] of [...group.entries()].sort((a, b) => b[1] - a[1])) console.log(`${(n / items).toFixed(2).padStart(7)}  ${kind}`);
  console.log(`\nthe ${values.top} largest (per item):`);
  for (const [what, n] of rows.slice(0, Number(values.top))) console.log(`${(n / items).toFixed(2).padStart(7)}  ${what}`);
  console.log(
    `\nHTTP round trips per simulated item (the province's and its gateway's, the simulation's calls included): ${(all / items).toFixed(1)}`,
  );
  console.log(
    `CPU per item (one thread: the province and its emulators; the simulation is another process): ${((spent.user + spent.system) / 1000 / items).toFixed(1)} ms`,
  );
});
