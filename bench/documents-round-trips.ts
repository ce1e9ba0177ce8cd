/**
 * The documents pipeline, what a document and a search cost in round trips (docs/capacity.md section 4):
 * an in-process local province; one Baoding hospital publishes documents one at a time, then a Tangshan
 * hospital searches for the resident's documents one search at a time. Every HTTP request the process
 * makes meanwhile (node:http and fetch, by diagnostics channel: the gateway, the hub's internal API,
 * DynamoDB by operation, SQS, S3, SSM) is counted by where it goes, split into those made while a
 * request was in flight (its own path, before its answer, and any poller's that started then) and
 * those after its answer (the exchange, the acks, the audit's delivery), and divided by the requests.
 * These counts do not depend on the machine's load. Also the process's CPU time per request.
 *   npx tsx bench/documents-round-trips.ts [--docs 40] [--searches 20] [--size 102400] [--practitioner-cache 60] [--authorizer-cache 60]
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { register } from "#lib/harness/patients.ts";
import { publishBundle, residentAt } from "#lib/world/index.ts";
import type { LocalCredentials } from "#local/seed.ts";
import { RESIDENT_ID_SYSTEM } from "#schemas/patient.ts";
import { quietProvince, roundTripCounter, runThenStop } from "./round-trip-counter.ts";

const { values } = parseArgs({
  options: {
    docs: { type: "string", default: "40" },
    searches: { type: "string", default: "20" },
    size: { type: "string", default: String(100 * 1024) },
    port: { type: "string", default: "18195" },
    "authorizer-cache": { type: "string", default: "60" },
    "practitioner-cache": { type: "string", default: "60" },
  },
});
const docs = Number(values.docs);
const searches = Number(values.searches);
const province = await quietProvince(values.port, values["authorizer-cache"], values["practitioner-cache"]);

/** "in flight" while a measured request awaits its answer, "after" between them, off outside the measured phases */
let phase: "off" | "in flight" | "after" = "off";
/** a path without its ids: /cities/<id>/…, /hub/internal/record-locator/<empi>, and a bucket's keys folded */
const pathOf = (path: string) => {
  const p = path.split("?")[0]!;
  if (!p.startsWith("/cities/") && !p.startsWith("/hub/")) return p.split("/").slice(0, 2).join("/");
  return p
    .replace(/^\/cities\/[a-z]+/, "/cities/*")
    .split("/")
    .slice(0, 5)
    .join("/")
    .replace(/\/E\d+$/, "/{empi}");
};
const counts = roundTripCounter(province.dataDir, () => (phase === "off" ? undefined : phase), pathOf);

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));
await runThenStop(province, async () => {
  const { hospitals } = JSON.parse(readFileSync(province.credentialsFile, "utf8")) as LocalCredentials;
  const publisher = hospitals.find((h) => h.cityId === "baoding" && h.practitioners.length > 0)!;
  const reader = hospitals.find((h) => h.cityId === "tangshan" && h.practitioners.length > 0)!;
  const headers = (h: typeof publisher) => ({
    authorization: `Bearer ${h.credential}`,
    "x-practitioner-id": h.practitioners[0]!,
    "content-type": "application/fhir+json",
  });
  const at = (h: typeof publisher, path: string) => `${province.url}/cities/${h.cityId}${path}`;
  const resident = residentAt(7);
  const subject = { system: RESIDENT_ID_SYSTEM, value: resident.residentId };
  await register(province.url, publisher, "RT-P", resident);
  await register(province.url, reader, "RT-R", resident);
  const publish = async (master: string) => {
    const body = JSON.stringify(
      publishBundle(publisher, master, subject, { bytes: randomBytes(Number(values.size)), contentType: "application/pdf" }),
    );
    const res = await fetch(at(publisher, "/fhir"), { method: "POST", headers: headers(publisher), body });
    await res.arrayBuffer();
    if (res.status !== 201) throw new Error(`publish answered ${res.status}`);
  };
  const search = async () => {
    const query = `/fhir/DocumentReference?patient.identifier=${encodeURIComponent(`${subject.system}|${subject.value}`)}`;
    const res = await fetch(at(reader, query), { headers: headers(reader) });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`search answered ${res.status}`);
  };
  // warm-up: cold starts, discovery, the caches
  for (let i = 0; i < 3; i++) {
    await publish(`RT-WARM-${i}`);
    await search();
  }
  await settle(3000);

  const measure = async (label: string, n: number, one: (i: number) => Promise<void>) => {
    counts.clear();
    const cpu = process.cpuUsage();
    for (let i = 0; i < n; i++) {
      phase = "in flight";
      await one(i);
      phase = "after";
      await settle(150); // what the answer set going: the exchange, the acks, the audit's delivery
    }
    await settle(3000);
    phase = "off";
    const spent = process.cpuUsage(cpu);
    const rows = [...counts.entries()].sort((a, b) => b[1] - a[1]);
    const sum = (p: string) => rows.filter(([k]) => k.startsWith(p)).reduce((s, [, c]) => s + c, 0) / n;
    console.log(`\n${label}:`);
    for (const [what, c] of rows) console.log(`${(c / n).toFixed(2).padStart(6)}  ${what.replace("|", "  ")}`);
    console.log(
      `${label}: ${(sum("in flight|") + sum("after|")).toFixed(1)} HTTP round trips each (${sum("in flight|").toFixed(1)} while in flight, ${sum("after|").toFixed(1)} after its answer); CPU ${((spent.user + spent.system) / 1000 / n).toFixed(1)} ms each`,
    );
  };
  await measure("per document published (Baoding)", docs, (i) => publish(`RT-${i}`));
  await measure("per search from another city (Tangshan)", searches, () => search());
  console.log(
    `\nauthorizer cached ${values["authorizer-cache"]} s, the cities' practitioner check cached ${values["practitioner-cache"]} s; documents of ${(Number(values.size) / 1024).toFixed(0)} KB`,
  );
});
