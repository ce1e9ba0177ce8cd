/**
 * Health card verification, what one costs in round trips (docs/health-card.md): an in-process local
 * province, residents issued cards, then verifications of fresh dynamic codes at registration one at a
 * time; every HTTP request the process makes meanwhile (node:http and fetch, by diagnostics channel) is
 * counted by where it goes (the gateway, DynamoDB by operation, SQS, SSM) and divided by the verifications.
 *   npx tsx bench/health-card-round-trips.ts [--verifications 50] [--authorizer-cache 60]
 */
import { randomBytes } from "node:crypto";
import { subscribe } from "node:diagnostics_channel";
import { readFileSync } from "node:fs";
import type { ClientRequest } from "node:http";
import { parseArgs } from "node:util";
import { dynamicCode } from "#domain/health-card.ts";
import { freshDataDir } from "#lib/harness/process.ts";
import { residentIdCheckChar } from "#schemas/checks/resident-id.ts";
import { mrnSystem, RESIDENT_ID_SYSTEM } from "#schemas/patient.ts";
import { startProvince } from "../local/province.ts";

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
  const hospitals = JSON.parse(readFileSync(province.credentialsFile, "utf8")).hospitals as {
    id: string;
    cityId: string;
    credential: string;
    practitioners: string[];
  }[];
  const issuer = hospitals.find((h) => h.cityId === "baoding" && h.practitioners.length > 0)!;
  const desk = hospitals.find((h) => h.cityId === "tangshan" && h.practitioners.length > 0)!;
  const post = async (h: typeof issuer, path: string, body: unknown, practitioner?: string) => {
    const res = await fetch(`${province.url}/cities/${h.cityId}${path}`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${h.credential}`,
        "content-type": "application/fhir+json",
        ...(practitioner ? { "x-practitioner-id": practitioner } : {}),
      },
      body: JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as { parameter?: { name: string; valueString?: string }[] } };
  };
  const first17 = "13060219800101123";
  const residentId = first17 + residentIdCheckChar(first17);
  const fed = await post(issuer, "/fhir/Patient", {
    resourceType: "Patient",
    identifier: [
      { system: mrnSystem(issuer.id), value: "TRIPS-1" },
      { system: RESIDENT_ID_SYSTEM, value: residentId },
    ],
    name: [{ family: "王", given: ["测"] }],
    gender: "male",
    birthDate: "1980-01-01",
  });
  if (fed.status !== 201) throw new Error(`feed: ${fed.status}`);
  const issued = await post(
    issuer,
    "/fhir/Patient/$issue-health-card",
    { resourceType: "Parameters", parameter: [{ name: "identifier", valueIdentifier: { system: RESIDENT_ID_SYSTEM, value: residentId } }] },
    issuer.practitioners[0],
  );
  const value = (name: string) => issued.json.parameter!.find((p) => p.name === name)!.valueString!;
  const card = { cardId: value("cardId"), cardKey: value("cardKey") };
  const verify = async () => {
    const code = dynamicCode(card.cardId, card.cardKey, Math.floor(Date.now() / 1000), randomBytes(12).toString("hex"));
    const res = await post(desk, "/fhir/Patient/$verify-health-card", {
      resourceType: "Parameters",
      parameter: [
        { name: "code", valueString: code },
        { name: "terminal", valueString: "trips" },
        { name: "careStep", valueCode: "registration" },
      ],
    });
    if (res.status !== 200) throw new Error(`verify: ${res.status} ${JSON.stringify(res.json)}`);
  };
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
