/**
 * Audit events written per second through the local province: hospitals in four cities feed
 * patients and query PIXm (each access leaves exactly one AuditEvent, recorded in the city's
 * AuditLog before the answer), and the run ends when the hub's audit repository holds them all.
 *   npx tsx bench/audit.ts [--queries 250] [--concurrency 8]
 */
import { parseArgs } from "node:util";
import { freshDataDir, spawnProvince } from "#lib/harness/process.ts";
import { patientOf, residentAt } from "#lib/world/index.ts";
import { mrnSystem } from "#schemas/patient.ts";

const { values } = parseArgs({
  options: {
    queries: { type: "string", default: "250" },
    concurrency: { type: "string", default: "8" },
    port: { type: "string", default: "18184" },
  },
});
const queriesPerHospital = Number(values.queries);
const concurrency = Number(values.concurrency);
const PATIENTS = 40;

const province = await spawnProvince(freshDataDir(), Number(values.port));
const { hospitals: all, operator } = province.credentials();
const hospitals = ["baoding", "handan", "tangshan", "chengde"].map((city) => all.find((h) => h.cityId === city)!);

const send = async (url: string, token: string, init: RequestInit = {}) => {
  const res = await fetch(url, {
    ...init,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/fhir+json", ...init.headers },
  });
  await res.arrayBuffer();
  return res.status;
};

// one job per access, remembering its hospital; hospitals interleaved so that none goes past its
// own throttle (20 requests/s, burst 40: a 429 comes from the gateway, before any handler or audit)
type Job = { hospital: number; run: () => Promise<number> };
const feedJobs: Job[] = [];
const queryJobs: Job[] = [];
for (let i = 0; i < Math.max(PATIENTS, queriesPerHospital); i++) {
  hospitals.forEach((h, hospital) => {
    if (i < PATIENTS) {
      feedJobs.push({
        hospital,
        run: () =>
          send(`${province.url}/cities/${h.cityId}/fhir/Patient`, h.credential, {
            method: "POST",
            // registered by name, sex and birth date only (no resident ID number)
            body: JSON.stringify(patientOf(h.id, `A${i}`, { ...residentAt(i), residentId: undefined })),
          }),
      });
    }
    if (i < queriesPerHospital) {
      const source = encodeURIComponent(`${mrnSystem(h.id)}|A${i % PATIENTS}`);
      queryJobs.push({
        hospital,
        run: () => send(`${province.url}/cities/${h.cityId}/fhir/Patient/$ihe-pix?sourceIdentifier=${source}`, h.credential),
      });
    }
  });
}
const answered = hospitals.map(() => 0);

const started = performance.now();
let failures = 0;
async function runAll(list: Job[]) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < list.length) {
        const job = list[next++]!;
        const status = await job.run();
        if (status === 429)
          failures++; // throttled at the gateway: no handler ran, nothing to audit
        else answered[job.hospital]!++; // every answer a handler gave, refusals included, was audited
      }
    }),
  );
}
await runAll(feedJobs);
await runAll(queryJobs);
const answeredMs = performance.now() - started;
const stored = async (h: (typeof hospitals)[number]) => {
  const res = await fetch(`${province.url}/hub/fhir/AuditEvent?agent=${h.id}&_count=500`, {
    headers: { authorization: `Bearer ${operator}` },
  });
  return ((await res.json()) as { total: number }).total;
};
for (;;) {
  const counts = await Promise.all(hospitals.map(stored));
  if (counts.every((c, i) => c >= answered[i]!)) break;
  await new Promise((r) => setTimeout(r, 100));
}
const storedMs = performance.now() - started;
await province.stop();

const total = answered.reduce((a, b) => a + b, 0);
console.log(
  `audited accesses: ${total} (${hospitals.length} hospitals × ${PATIENTS} feeds + ${queriesPerHospital} PIXm queries), ${concurrency} concurrent; ${failures} throttled (429, not audited)`,
);
console.log(`accesses answered (each AuditEvent recorded in the city's AuditLog first): ${((total / answeredMs) * 1000).toFixed(0)} /s`);
console.log(
  `audit events stored in the hub's repository, end to end:                  ${((total / storedMs) * 1000).toFixed(0)} /s  (${(storedMs / 1000).toFixed(1)} s)`,
);
