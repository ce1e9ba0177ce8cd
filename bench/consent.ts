/**
 * The latency the consent decision adds to a document search (ITI-67) and a Binary retrieve (ITI-68)
 * (docs/consent.md), through the local province: a Shijiazhuang hospital publishes a resident's
 * documents (one of them sensitive), a Tangshan hospital that registered the resident reads them.
 *   1. cached decisions: the city holds the hub's privacy context (HHC_CONSENT_CACHE_SECONDS=30); the
 *      decision is a cache hit and the pure policy over the resident's entries, timed in memory;
 *   2. every read asks the hub (HHC_CONSENT_CACHE_SECONDS=0): the same province restarted; the added
 *      latency is the read's end-to-end time less the cached run's (p50 and p99 each).
 * Prints each read's end-to-end p50/p99 in both runs, and the added latency with and without cached decisions.
 *   npx tsx bench/consent.ts [--reads 200] [--port 18185]
 */
import { parseArgs } from "node:util";
import { privacyContextSource } from "#adapters/privacy-context.ts";
import { sensitiveLabelsOf } from "#domain/consent/policy.ts";
import { register } from "#lib/harness/patients.ts";
import { freshDataDir, type ProvinceProcess, spawnProvince } from "#lib/harness/process.ts";
import { father, publishBundle } from "#lib/world/index.ts";
import { mrnSystem } from "#schemas/patient.ts";
import type { PrivacyContext } from "#schemas/privacy.ts";
import { filterItems } from "#use-cases/consent/gate.ts";

const { values } = parseArgs({ options: { reads: { type: "string", default: "200" }, port: { type: "string", default: "18185" } } });
const READS = Number(values.reads);
const dataDir = freshDataDir();

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const ms = (x: number) => `${x.toFixed(1)} ms`;

type Hospital = ReturnType<ProvinceProcess["credentials"]>["hospitals"][number];

async function run(cacheSeconds: number, prepare: boolean) {
  const province = await spawnProvince(dataDir, Number(values.port), { HHC_CONSENT_CACHE_SECONDS: String(cacheSeconds) });
  try {
    const all = province.credentials().hospitals.filter((h) => h.practitioners.length > 0);
    const pub = all.find((h) => h.cityId === "shijiazhuang")!;
    const reader = all.find((h) => h.cityId === "tangshan")!;
    const headers = (h: Hospital) => ({
      authorization: `Bearer ${h.credential}`,
      "x-practitioner-id": h.practitioners[0]!,
      "content-type": "application/fhir+json",
      accept: "application/fhir+json",
    });
    const at = (h: Hospital, p: string) => `${province.url}/cities/${h.cityId}${p}`;
    const subject = { system: mrnSystem(pub.id), value: "BENCH-C-1" };
    if (prepare) {
      await register(province.url, pub, "BENCH-C-1", father);
      await register(province.url, reader, "BENCH-C-2", father);
      for (let i = 0; i < 6; i++) {
        const bundle = publishBundle(pub, `BENCH-C-DOC-${i}`, subject, {
          bytes: Buffer.from(`<ClinicalDocument>${"x".repeat(2000)} ${i}</ClinicalDocument>`),
          withList: false,
          labels: i === 5 ? ["PSY"] : [],
        });
        const res = await fetch(at(pub, "/fhir"), { method: "POST", headers: headers(pub), body: JSON.stringify(bundle) });
        if (res.status !== 201) throw new Error(`publish answered ${res.status}`);
      }
    }
    const searchUrl = at(reader, `/fhir/DocumentReference?patient.identifier=${encodeURIComponent(`${subject.system}|${subject.value}`)}`);
    let found: { entry?: { resource: { id: string; content: { attachment: { url: string } }[] } }[] } = {};
    for (let tries = 0; tries < 100 && (found.entry?.length ?? 0) < 5; tries++) {
      found = (await (await fetch(searchUrl, { headers: headers(reader) })).json()) as typeof found;
      if ((found.entry?.length ?? 0) < 5) await new Promise((r) => setTimeout(r, 200));
    }
    if (found.entry?.length !== 5) throw new Error(`the reader sees ${found.entry?.length} documents, not the 5 it may`);
    const binaryUrl = found.entry[0]!.resource.content[0]!.attachment.url;
    const time = async (url: string) => {
      const started = performance.now();
      const res = await fetch(url, { headers: headers(reader) });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
      return performance.now() - started;
    };
    for (let i = 0; i < 20; i++) await Promise.all([time(searchUrl), time(binaryUrl)]); // warm: cold starts, caches
    const search: number[] = [];
    const binary: number[] = [];
    for (let i = 0; i < READS; i++) {
      search.push(await time(searchUrl));
      binary.push(await time(binaryUrl));
    }
    return { search, binary };
  } finally {
    await province.stop();
  }
}

/** The decision with a cached context, in memory: the cache hit and the policy over the resident's 6 documents */
async function cachedDecision(): Promise<number[]> {
  const context: PrivacyContext = {
    empi: "E1",
    relationship: true,
    consents: [],
    telemedicineDocuments: [],
    policyVersion: "bench",
  };
  const relay = { forward: async () => ({ status: 200, json: context as unknown as Record<string, unknown> }) };
  const source = privacyContextSource(relay, { ttlSeconds: 30, maxEntries: 10_000 });
  const entries = Array.from({ length: 6 }, (_, i) => ({
    id: `shijiazhuang-doc${i}`,
    hospitalId: "sjz001",
    resource: i === 5 ? { securityLabel: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/v3-ActCode", code: "PSY" }] }] } : {},
  }));
  const access = { hospitalId: "ts001", practitionerId: "ts001-p001", purpose: "TREAT" as const };
  await source("ts001", { empi: "E1", practitionerId: "ts001-p001" });
  const times: number[] = [];
  for (let i = 0; i < 100_000; i++) {
    const started = performance.now();
    const c = await source("ts001", { empi: "E1", practitionerId: "ts001-p001" });
    filterItems(c, access, entries, (e) => ({ id: e.id, hospitalId: e.hospitalId, labels: sensitiveLabelsOf(e.resource) }), new Date());
    times.push(performance.now() - started);
  }
  return times;
}

const cached = await run(30, true);
const uncached = await run(0, false);
const inMemory = await cachedDecision();

console.log(`consent decision latency (${READS} sequential reads each, one reader, the resident's 6 documents, 1 sensitive):`);
console.log(
  "| read | cached decisions: end to end p50 / p99 | every read asks the hub: p50 / p99 | added, cached (in memory) p50 / p99 | added, uncached p50 / p99 |",
);
console.log("| --- | --- | --- | --- | --- |");
const memory = `${(quantile(inMemory, 0.5) * 1000).toFixed(1)} µs / ${(quantile(inMemory, 0.99) * 1000).toFixed(1)} µs`;
for (const [name, a, b] of [
  ["DocumentReference search", cached.search, uncached.search],
  ["Binary retrieve (inline)", cached.binary, uncached.binary],
] as const)
  console.log(
    `| ${name} | ${ms(quantile(a, 0.5))} / ${ms(quantile(a, 0.99))} | ${ms(quantile(b, 0.5))} / ${ms(quantile(b, 0.99))} | ${memory} | ${ms(quantile(b, 0.5) - quantile(a, 0.5))} / ${ms(quantile(b, 0.99) - quantile(a, 0.99))} |`,
  );
