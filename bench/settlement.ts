/**
 * Claims per second from submission to settlement end to end through the local province, and the
 * time to settlement, with 50 hospitals submitting at once: each hospital's FEP posts its claims one
 * after another to its city node (validation, MPI lookup, durable record, Settlement FIFO queue), the
 * insurance platform adjudicates them, and the run ends when the hub's reconciliation counts them all.
 * Time to settlement of a claim: from the start of its POST to the platform's settlement time
 * (ClaimResponse.created), retries included; its ClaimResponse is then searchable at the city.
 *   npx tsx bench/settlement.ts [--hospitals 50] [--claims 20] [--residents 4]
 */
import { parseArgs } from "node:util";
import { cstDay } from "#domain/settlement/claim-response.ts";
import { fenToCny } from "#domain/settlement/money.ts";
import { register } from "#lib/harness/patients.ts";
import { freshDataDir, spawnProvince } from "#lib/harness/process.ts";
import { claimResponses, submit } from "#lib/harness/settlement.ts";
import { claimOf, residentAt } from "#lib/world/index.ts";

const { values } = parseArgs({
  options: {
    hospitals: { type: "string", default: "50" },
    claims: { type: "string", default: "20" },
    residents: { type: "string", default: "4" },
    port: { type: "string", default: "18185" },
  },
});
const hospitalCount = Number(values.hospitals);
const claimsPerHospital = Number(values.claims);
const residentsPerHospital = Number(values.residents);

const province = await spawnProvince(freshDataDir(), Number(values.port));
const log = (line: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
const { hospitals: all, operator } = province.credentials();
// hospitals across the cities, each with staff (a practitioner submits)
const hospitals = all
  .filter((h) => h.practitioners.length > 0)
  .filter((_, i) => i % 7 === 0)
  .slice(0, hospitalCount);
if (hospitals.length < hospitalCount) throw new Error(`only ${hospitals.length} hospitals with staff`);

// residents are registered first (the MPI is not what is measured)
let n = 0;
const patients = new Map<string, { system: string; value: string }[]>();
for (const h of hospitals) {
  const list: { system: string; value: string }[] = [];
  for (let i = 0; i < residentsPerHospital; i++) list.push(await register(province.url, h, `B${i}`, residentAt(20000 + 2 * n++ + 1)));
  patients.set(h.id, list);
}
log(`${hospitals.length * residentsPerHospital} residents registered`);
// warm-up: one claim per city, so cold starts are not counted
const warmers = [...new Map(hospitals.map((h) => [h.cityId, h])).values()];
for (const h of warmers) {
  const res = await submit(province.url, h, claimOf(h, "WARM", patients.get(h.id)![0]!, { kind: "professional", items: [["A", 1]] }));
  if (res.status !== 202) throw new Error(`warm-up claim at ${h.id} answered ${res.status}: ${JSON.stringify(res.json)}`);
}
for (const h of warmers) {
  while ((await claimResponses(province.url, h, "WARM")).length === 0) await new Promise((r) => setTimeout(r, 100));
}
log("warmed up");
const submittedAt = new Map<string, number>();
let failures = 0;
let retries = 0;
const refusals = new Map<string, number>();
const started = Date.now();
await Promise.all(
  hospitals.map(async (h) => {
    const mine = patients.get(h.id)!;
    for (let k = 0; k < claimsPerHospital; k++) {
      const number = `B-${k}`;
      const claim = claimOf(h, number, mine[k % mine.length]!, {
        kind: k % 3 === 0 ? "institutional" : "professional",
        // amounts built from integer fen (100 + k × 13.37 in floating point is over-precise, and refused)
        items: [
          ["A", fenToCny(10000 + k * 1337)],
          ["B", fenToCny(5705 + k * 100)],
          ["C", 9.9],
        ],
      });
      const t0 = Date.now();
      // as an FEP does: a resubmission is idempotent, so a 5xx or 429 is retried (up to 3 times)
      let res = await submit(province.url, h, claim);
      for (let retry = 0; retry < 3 && (res.status >= 500 || res.status === 429); retry++) {
        retries++;
        await new Promise((r) => setTimeout(r, 500 * 2 ** retry));
        res = await submit(province.url, h, claim);
      }
      if (res.status === 202) submittedAt.set(`${h.id}|${number}`, t0);
      else {
        failures++;
        const why = `${res.status} ${JSON.stringify(res.json).slice(0, 160)}`;
        refusals.set(why, (refusals.get(why) ?? 0) + 1);
      }
    }
  }),
);
const acceptedMs = Date.now() - started;
log(`${hospitals.length * claimsPerHospital} claims submitted`);
const total = hospitals.length * claimsPerHospital;
const day = cstDay(new Date().toISOString());
const settledCount = async () => {
  const res = await fetch(`${province.url}/hub/settlement/reconciliation?date=${day}`, {
    headers: { authorization: `Bearer ${operator}` },
  });
  const body = (await res.json()) as { hospitals: { claims: number }[] };
  return body.hospitals.reduce((a, r) => a + r.claims, 0);
};
// the warm-up claims are in the day's figures too
// (a claim cut off by a timeout may have been recorded, and then settles too: hence ≥)
const expected = submittedAt.size + warmers.length;
const deadline = Date.now() + 300_000;
for (;;) {
  if ((await settledCount()) >= expected) break;
  if (Date.now() > deadline) throw new Error("not every accepted claim settled within 5 minutes");
  await new Promise((r) => setTimeout(r, 100));
}
const e2eMs = Date.now() - started;

// time to settlement of each claim, from its ClaimResponse
const toSettlement: number[] = [];
for (const h of hospitals) {
  for (let k = 0; k < claimsPerHospital; k++) {
    const t0 = submittedAt.get(`${h.id}|B-${k}`);
    if (t0 === undefined) continue;
    const [cr] = (await claimResponses(province.url, h, `B-${k}`)) as unknown as { created: string }[];
    toSettlement.push(Date.parse(cr!.created) - t0);
  }
}
await province.stop();

toSettlement.sort((a, b) => a - b);
const pct = (p: number) => toSettlement[Math.min(toSettlement.length - 1, Math.floor((p / 100) * toSettlement.length))]!;
console.log(`claims: ${total} from ${hospitals.length} concurrent hospitals, ${failures} not accepted, ${retries} retried (5xx/429)`);
for (const [why, count] of refusals) console.log(`  not accepted ×${count}: ${why}`);
console.log(`accepted (202) rate:                ${((submittedAt.size / acceptedMs) * 1000).toFixed(1)} claims/s`);
console.log(
  `submission → settlement end to end: ${((submittedAt.size / e2eMs) * 1000).toFixed(1)} claims/s  (${(e2eMs / 1000).toFixed(1)} s)`,
);
console.log(`time to settlement ms: p50 ${pct(50)}  p95 ${pct(95)}  p99 ${pct(99)}  max ${toSettlement.at(-1)}`);
