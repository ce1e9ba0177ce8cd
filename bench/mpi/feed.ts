/**
 * Match quality and cost THROUGH THE REAL HANDLERS: the synthetic population of lib/world/population.ts fed as
 * FHIR Patients to the local province's city endpoints (gateway, hospital authorizer, city handler,
 * audit outbox, SigV4 call to the hub's internal API, the hub's MPI over the DynamoDB emulator), each
 * registration by a hospital drawn at random, in a shuffled order, several at once. Prints pairwise
 * precision / recall / F1 of links (a registration answered without an EMPI, i.e. awaiting review,
 * counts as not linked unless PIXm answers an EMPI for it at the end: a later registration answered
 * its review), the review share still awaiting, feeds per second and per-feed latency. A registration
 * whose resident ID number the node refuses as malformed (a 400 naming it: the generator types a few of
 * the wrong length) is sent again without the number, as the clerk who reads the 400 would; the engine
 * in memory matches such a record without its number too. Complements match-quality.ts, which drives
 * the engine in memory at 10k–1M residents.
 *   npx tsx bench/mpi/feed.ts [--residents 2000] [--concurrency 8] [--seed s] [--port 18183]
 */
import { parseArgs } from "node:util";
import { freshDataDir, spawnProvince } from "#lib/harness/process.ts";
import { createRng } from "#lib/seed/prng.ts";
import { patientOf } from "#lib/world/index.ts";
import { EMPI_SYSTEM, MATCH_TAG_SYSTEM, mrnSystem, RESIDENT_ID_SYSTEM } from "#schemas/patient.ts";
import { benchMix } from "./desks.ts";
import { classTable, pairwise, perClass } from "./metrics.ts";

const { values } = parseArgs({
  options: {
    residents: { type: "string", default: "2000" },
    concurrency: { type: "string", default: "8" },
    mix: { type: "string", default: "desks" },
    seed: { type: "string" },
    port: { type: "string", default: "18183" },
  },
});
const residents = Number(values.residents);
const concurrency = Number(values.concurrency);

const { seed, classes, generate } = benchMix(values.mix, values.seed ?? (values.mix === "registrar" ? "bench/mpi/feed" : undefined));
const population = generate(residents, seed);
const n = population.records.length;
const order = createRng(`${seed}/order`).shuffle(Array.from({ length: n }, (_, i) => i));

const province = await spawnProvince(freshDataDir(), Number(values.port));
const { hospitals } = province.credentials();
const pick = createRng(`${seed}/hospitals`);
const hospitalOf = Array.from({ length: n }, () => pick.pick(hospitals));

async function feedOne(
  i: number,
  withoutNumber = false,
): Promise<{ status: number; empi?: string; review: boolean; why?: string; numberRefused?: boolean }> {
  const h = hospitalOf[i]!;
  const patient = patientOf(h.id, `P${i}`, population.records[i]!);
  if (withoutNumber) patient.identifier = patient.identifier?.filter((x) => x.system !== RESIDENT_ID_SYSTEM);
  const res = await fetch(`${province.url}/cities/${h.cityId}/fhir/Patient`, {
    method: "POST",
    headers: { authorization: `Bearer ${h.credential}`, "content-type": "application/fhir+json" },
    body: JSON.stringify(patient),
  });
  const body = (await res.json()) as {
    identifier?: { system: string; value: string }[];
    meta?: { tag?: { system: string; code: string }[] };
    issue?: { code?: string; diagnostics?: string; expression?: string[] }[];
  };
  // the 400 names identifier.<i>.value: the resident ID number's, when that identifier is the number
  const refusedAt = body.issue?.flatMap((x) => x.expression ?? []).map((e) => /^identifier\.(\d+)\.value$/.exec(e)?.[1]);
  const numberRefused =
    res.status === 400 && !!refusedAt?.some((at) => at !== undefined && patient.identifier?.[Number(at)]?.system === RESIDENT_ID_SYSTEM);
  if (numberRefused && !withoutNumber) return { ...(await feedOne(i, true)), numberRefused };
  const empi = body.identifier?.find((x) => x.system === EMPI_SYSTEM)?.value;
  const review = body.meta?.tag?.some((t) => t.system === MATCH_TAG_SYSTEM && t.code === "review") ?? false;
  const why = body.issue?.map((x) => `${x.code}: ${x.diagnostics}`).join("; ");
  return { status: res.status, ...(empi ? { empi } : {}), review, ...(why ? { why } : {}), ...(numberRefused ? { numberRefused } : {}) };
}

console.log("MPI feed through the real handlers: the local province's city endpoints → the hub's MPI on the DynamoDB emulator");
console.log(
  `${residents.toLocaleString("en")} residents, ${n.toLocaleString("en")} registrations at ${hospitals.length} hospitals, ${concurrency} at once`,
);
console.log(`population: --mix ${values.mix}, seed ${seed}`);
console.log(`(province ready in ${(province.readyMs / 1000).toFixed(1)} s; ${population.twins} twins, ${population.namesakes} namesakes)`);

// warm-up: one cold start per city node and hub function, not counted (a registration fed twice is replaced, not duplicated)
const warm = new Map(order.map((i) => [hospitalOf[i]!.cityId, i]));
await Promise.all([...warm.values()].map((i) => feedOne(i)));

const assigned = new Int32Array(n);
const reviewed = new Uint8Array(n);
const latencies: number[] = [];
let reviews = 0;
let failures = 0;
/** registrations whose number the node refused as malformed, sent again without it */
let resentWithoutNumber = 0;
/** the failed feeds by status and the OperationOutcome's issue, so a failure says what it was */
const failedBy = new Map<string, number>();
let provisional = 1e9;
/** EMPIs are 12 random digits: numbered in the order first seen, so that they fit the metrics' Int32Array */
const clusters = new Map<string, number>();
const clusterOf = (empi: string): number => clusters.get(empi) ?? (clusters.set(empi, clusters.size).get(empi) as number);
let next = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < n) {
      const i = order[next++]!;
      const t0 = performance.now();
      const answer = await feedOne(i);
      latencies.push(performance.now() - t0);
      if (answer.numberRefused) resentWithoutNumber++;
      if (answer.status !== 200 && answer.status !== 201) {
        failures++;
        const key = `${answer.status} ${answer.why ?? ""}`.trim();
        failedBy.set(key, (failedBy.get(key) ?? 0) + 1);
      }
      if (answer.review) {
        reviews++;
        reviewed[i] = 1;
      }
      assigned[i] = answer.empi && !answer.review ? clusterOf(answer.empi) : provisional++;
    }
  }),
);
const seconds = (performance.now() - started) / 1000;

// a record answered "review" may since have been merged into its resident (a later registration answered
// the review, docs/mpi.md): read back through PIXm, as another city would, what it is linked to now
const reader = hospitals.find((h) => h.practitioners.length > 0)!;
let answered = 0;
for (let i = 0; i < n; i++) {
  if (!reviewed[i]) continue;
  const source = `${mrnSystem(hospitalOf[i]!.id)}|P${i}`;
  const res = await fetch(
    `${province.url}/cities/${reader.cityId}/fhir/Patient/$ihe-pix?sourceIdentifier=${encodeURIComponent(source)}&targetSystem=${encodeURIComponent(EMPI_SYSTEM)}`,
    { headers: { authorization: `Bearer ${reader.credential}`, "x-practitioner-id": reader.practitioners[0]! } },
  );
  if (res.status !== 200) throw new Error(`PIXm for ${source}: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { parameter?: { valueIdentifier?: { system: string; value: string } }[] };
  const empi = body.parameter?.find((p) => p.valueIdentifier?.system === EMPI_SYSTEM)?.valueIdentifier?.value;
  if (!empi) continue;
  assigned[i] = clusterOf(empi);
  reviewed[i] = 0;
  answered++;
}
await province.stop();

const q = pairwise(assigned, population.truth);
const sorted = latencies.sort((a, b) => a - b);
const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
console.log(`pairs: ${q.truePairs} true, ${q.linkedPairs} linked, ${q.correctPairs} correct`);
console.log(
  `precision ${q.precision.toFixed(5)}  recall ${q.recall.toFixed(5)}  F1 ${q.f1.toFixed(5)}  review ${((100 * (reviews - answered)) / n).toFixed(2)} %  failures ${failures}`,
);
console.log(`  (answered "review" ${((100 * reviews) / n).toFixed(2)} %; ${answered} of them answered since by a later registration)`);
if (resentWithoutNumber)
  console.log(
    `  ${resentWithoutNumber} refused with a 400 for a malformed resident ID number and sent again without it (as a clerk would)`,
  );
for (const [why, count] of failedBy) console.log(`  failed: ${count} × ${why}`);
console.log(
  `throughput ${(n / seconds).toFixed(1)} feeds/s (${seconds.toFixed(1)} s); latency p50 ${at(0.5).toFixed(1)} ms, p90 ${at(0.9).toFixed(1)} ms, p99 ${at(0.99).toFixed(1)} ms`,
);
console.log(
  `per class (pairs with a registration of the class):\n${classTable(perClass(assigned, population.truth, population.tags, reviewed, classes))}`,
);
