/**
 * Health card verification, what one costs in round trips (docs/health-card.md): an in-process local
 * province, residents issued cards, then verifications of fresh dynamic codes at registration one at a
 * time (or `--terminals` at once, each at a hospital of its own city in turn); every HTTP request the process makes meanwhile (node:http and fetch, by diagnostics channel) is
 * counted by where it goes (the gateway, DynamoDB by operation, SQS, SSM) and divided by the verifications.
 * Also the process's CPU time per verification over the same span (the province, its emulators, the audit's
 * delivery and this client: one thread), a figure the machine's load hardly moves; with HHC_PROF=1 a V8
 * CPU profile of that span alone is written to /tmp/prof (`npx tsx bench/profile-breakdown.ts` reads it).
 *   npx tsx bench/health-card-round-trips.ts [--verifications 50] [--terminals 1] [--authorizer-cache 60]
 */
import { subscribe } from "node:diagnostics_channel";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { ClientRequest } from "node:http";
import { Session } from "node:inspector/promises";
import { parseArgs } from "node:util";
import { freshDataDir } from "#lib/harness/process.ts";
import { startProvince } from "../local/province.ts";
import { type Card, cityPost, type Desk, residentWithCard, verifyAtRegistration } from "./health-card-desk.ts";
import { endpointNamer } from "./simulation-child.ts";

const { values } = parseArgs({
  options: {
    verifications: { type: "string", default: "50" },
    terminals: { type: "string", default: "1" },
    port: { type: "string", default: "18193" },
    "authorizer-cache": { type: "string", default: "60" },
  },
});
const total = Number(values.verifications);
const terminals = Number(values.terminals);
const province = await startProvince({
  dataDir: freshDataDir(),
  port: Number(values.port),
  authorizerCacheSeconds: Number(values["authorizer-cache"]),
  log: () => {},
});

let counting = false;
const counts = new Map<string, number>();
const count = (what: string) => {
  if (counting) counts.set(what, (counts.get(what) ?? 0) + 1);
};
const where = endpointNamer(province.dataDir);
subscribe("http.client.request.start", (message) => {
  const request = (message as { request: ClientRequest }).request;
  const target = String(request.getHeader("x-amz-target") ?? "").split(".")[1];
  count(`${where(String(request.getHeader("host")))}${target ? ` ${target}` : ` ${request.method} ${request.path.split("?")[0]}`}`);
});
subscribe("undici:request:create", (message) => {
  const request = (message as { request: { origin: string; method: string; path: string } }).request;
  count(`${where(new URL(request.origin).host)} ${request.method} ${request.path.split("?")[0]}`);
});

try {
  const hospitals = (JSON.parse(readFileSync(province.credentialsFile, "utf8")) as { hospitals: Desk[] }).hospitals;
  const issuer = hospitals.find((h) => h.cityId === "baoding" && h.practitioners.length > 0)!;
  // one terminal at Tangshan; more: at hospitals of every city but Baoding in turn
  const cities = ["tangshan", ...new Set(hospitals.map((h) => h.cityId).filter((c) => c !== "tangshan" && c !== "baoding"))];
  const desks = Array.from(
    { length: terminals },
    (_, i) => hospitals.find((h) => h.cityId === cities[i % cities.length] && h.practitioners.length > 0)!,
  );
  const post = cityPost(province.url);
  const cards: Card[] = [];
  for (let i = 0; i < Math.max(1, terminals); i++) cards.push(await residentWithCard(post, issuer, i));
  const verify = (t = 0) => verifyAtRegistration(post, desks[t]!, cards[t]!, "trips");
  for (let i = 0; i < 5; i++) await Promise.all(desks.map((_, t) => verify(t))); // warm-up: cold starts, caches
  await new Promise((r) => setTimeout(r, 2000)); // the warm-up's audit delivery
  const profiler = process.env.HHC_PROF ? new Session() : undefined;
  if (profiler) {
    profiler.connect();
    await profiler.post("Profiler.enable");
    await profiler.post("Profiler.start");
  }
  counting = true;
  const cpu = process.cpuUsage();
  const started = performance.now();
  let next = 0;
  await Promise.all(
    desks.map(async (_, t) => {
      while (next++ < total) await verify(t);
    }),
  );
  const ms = (performance.now() - started) / total;
  await new Promise((r) => setTimeout(r, 3000)); // the audit delivery the verifications caused
  counting = false;
  const spent = process.cpuUsage(cpu);
  if (profiler) {
    const { profile } = await profiler.post("Profiler.stop");
    mkdirSync("/tmp/prof", { recursive: true });
    const file = `/tmp/prof/health-card-round-trips-${Date.now()}.cpuprofile`;
    writeFileSync(file, JSON.stringify(profile));
    console.log(`CPU profile of the counted verifications: ${file}`);
  }
  const rows = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  const all = rows.reduce((n, [, c]) => n + c, 0);
  for (const [what, n] of rows) console.log(`${(n / total).toFixed(2).padStart(6)}  ${what}`);
  console.log(
    `health card verification, ${terminals} terminal(s) at once: ${(all / total).toFixed(1)} HTTP round trips per verification (the gateway's included, the audit's delivery too), one every ${ms.toFixed(0)} ms`,
  );
  console.log(
    `CPU per verification (one thread: province, emulators, audit delivery, this client): ${((spent.user + spent.system) / 1000 / total).toFixed(1)} ms (user ${(spent.user / 1000 / total).toFixed(1)}, system ${(spent.system / 1000 / total).toFixed(1)})`,
  );
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await province.stop();
  rmSync(province.dataDir, { recursive: true, force: true }); // a fresh province's data folder: nothing to keep
  process.exit();
}
