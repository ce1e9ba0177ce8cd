/**
 * Health card verification, what one costs in round trips (docs/health-card.md): an in-process local
 * province, residents issued cards, then verifications of fresh dynamic codes at registration one at a
 * time; every HTTP request the process makes meanwhile (node:http and fetch, by diagnostics channel) is
 * counted by where it goes (the gateway, DynamoDB by operation, SQS, SSM) and divided by the verifications.
 *   npx tsx bench/health-card-round-trips.ts [--verifications 50] [--authorizer-cache 60]
 */
import { subscribe } from "node:diagnostics_channel";
import { readFileSync } from "node:fs";
import type { ClientRequest } from "node:http";
import { parseArgs } from "node:util";
import { freshDataDir } from "#lib/harness/process.ts";
import { startProvince } from "../local/province.ts";
import { cityPost, type Desk, residentWithCard, verifyAtRegistration } from "./health-card-desk.ts";

const { values } = parseArgs({
  options: {
    verifications: { type: "string", default: "50" },
    port: { type: "string", default: "18193" },
    "authorizer-cache": { type: "string", default: "60" },
  },
});
const total = Number(values.verifications);
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
const endpoints = JSON.parse(readFileSync(`${province.dataDir}/endpoints.json`, "utf8")) as Record<string, string>;
const byPort = new Map<string, string>(
  Object.entries(endpoints)
    .filter(([, v]) => typeof v === "string" && v.startsWith("http"))
    .map(([k, v]) => [new URL(v).port, k]),
);
const where = (host: string) => byPort.get(host.split(":")[1] ?? "") ?? host;
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
  const desk = hospitals.find((h) => h.cityId === "tangshan" && h.practitioners.length > 0)!;
  const post = cityPost(province.url);
  const card = await residentWithCard(post, issuer, 0);
  const verify = () => verifyAtRegistration(post, desk, card, "trips");
  for (let i = 0; i < 5; i++) await verify(); // warm-up: cold starts, caches
  await new Promise((r) => setTimeout(r, 2000)); // the warm-up's audit delivery
  counting = true;
  const started = performance.now();
  for (let i = 0; i < total; i++) await verify();
  const ms = (performance.now() - started) / total;
  await new Promise((r) => setTimeout(r, 3000)); // the audit delivery the verifications caused
  counting = false;
  const rows = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  const all = rows.reduce((n, [, c]) => n + c, 0);
  for (const [what, n] of rows) console.log(`${(n / total).toFixed(2).padStart(6)}  ${what}`);
  console.log(
    `health card verification, one terminal: ${(all / total).toFixed(1)} HTTP round trips per verification (the gateway's included, the audit's delivery too), ${ms.toFixed(0)} ms each`,
  );
} finally {
  await province.stop();
  process.exit(0);
}
