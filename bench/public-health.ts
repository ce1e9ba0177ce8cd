/**
 * Public health through the local province (docs/public-health.md): `--encounters` encounters of one
 * month (service types and diagnoses as `npm run simulate` draws them) recorded by hospitals of every
 * city, `--concurrency` at a time, while `--reports` notifiable-disease case reports are posted to the
 * cities' `$process-message`; prints the case report → forwarded latency (p50, p95, p99: the answer,
 * once the report is stored with its deadline and the department exchange has taken it for disease
 * control) and how many reports are forwarded and accepted by then, then the
 * monthly job's time for that month (first run, and the re-run that changes nothing).
 *   npx tsx bench/public-health.ts [--encounters 3000] [--reports 200] [--concurrency 8]
 */
import { parseArgs } from "node:util";
import { freshDataDir, spawnProvince } from "#lib/harness/process.ts";
import { createRng } from "#lib/seed/prng.ts";
import { caseMessage, encounterOf } from "#lib/world/index.ts";
import { residentIdCheckChar } from "#schemas/checks/resident-id.ts";
import { encounterSystem } from "#schemas/documents.ts";
import { mrnSystem, RESIDENT_ID_SYSTEM } from "#schemas/patient.ts";
import { publicHealthDesk } from "../scripts/simulate-public-health.ts";

const { values } = parseArgs({
  options: {
    encounters: { type: "string", default: "3000" },
    reports: { type: "string", default: "200" },
    concurrency: { type: "string", default: "8" },
    port: { type: "string", default: "18193" },
  },
});
const encounterCount = Number(values.encounters);
const reportCount = Number(values.reports);
const concurrency = Number(values.concurrency);
const MONTH = "2026-10";

const province = await spawnProvince(freshDataDir(), Number(values.port));
try {
  const all = province.credentials().hospitals.filter((h) => h.practitioners.length > 0);
  const cities = [...new Set(all.map((h) => h.cityId))];
  const hospitals = cities.map((c) => all.find((h) => h.cityId === c)!);
  type H = (typeof hospitals)[number];
  const post = async (h: H, path: string, body: unknown) => {
    const res = await fetch(`${province.url}/cities/${h.cityId}${path}`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${h.credential}`,
        "content-type": "application/fhir+json",
        "x-practitioner-id": h.practitioners[0]!,
      },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 300 && failures.length < 3) failures.push(`${path}: ${res.status} ${text.slice(0, 300)}`);
    return res.status;
  };
  const failures: string[] = [];
  // one resident per hospital (valid GB 11643 numbers), registered there
  for (const [i, h] of hospitals.entries()) {
    const [month, day] = [String(1 + (i % 9)).padStart(2, "0"), String(10 + i).padStart(2, "0")];
    const first17 = `130602${1960 + 3 * i}${month}${day}${String(101 + 2 * i).slice(-3)}`;
    const residentId = first17 + residentIdCheckChar(first17);
    const patient = {
      resourceType: "Patient",
      identifier: [
        { system: mrnSystem(h.id), value: "BENCH-PH" },
        { system: RESIDENT_ID_SYSTEM, value: residentId },
      ],
      name: [
        {
          family: ["李", "王", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐"][i % 11]!,
          given: [["建国", "秀英", "志强", "桂兰", "海波", "丽娟", "文博", "雪梅", "国庆", "春燕", "德华"][i % 11]!],
        },
      ],
      gender: i % 2 ? "male" : "female",
      birthDate: `${1960 + 3 * i}-${month}-${day}`,
    };
    const status = await post(h, "/fhir/Patient", patient);
    if (status !== 201 && status !== 200) throw new Error(`feed ${h.id}: ${status} ${failures.join("; ")}`);
  }

  const desk = publicHealthDesk(createRng("bench-public-health"));
  const start = (n: number) =>
    new Date(Date.UTC(2026, 9, 1, 0, 0) + (((n * 2_677_000_000) / encounterCount) % 2_678_400_000) - 8 * 3_600_000).toISOString();
  let nextEncounter = 0;
  const encounterErrors: number[] = [];
  const recording = Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (nextEncounter < encounterCount) {
        const n = nextEncounter++;
        const h = hospitals[n % hospitals.length]!;
        const inpatient = n % 5 === 0;
        const plain = encounterOf(h.id, `BENCH-${n}`, "BENCH-PH", inpatient, start(n), start(n));
        const { encounter } = desk.visit(h.id, plain, "BENCH-PH", `BENCH-${n}`, inpatient);
        const status = await post(h, "/fhir/Encounter", encounter);
        if (status !== 201 && status !== 200) encounterErrors.push(status);
      }
    }),
  );
  // the case reports, under that load: 2 at a time, each a distinct disease or resident so none folds
  const CODES = ["A00", "A01", "B05", "B26", "J11.1", "A09", "B08.4", "A16.0", "A39", "B06"];
  const latencies: number[] = [];
  let nextReport = 0;
  await Promise.all(
    Array.from({ length: 2 }, async () => {
      while (nextReport < reportCount) {
        const n = nextReport++;
        const h = hospitals[n % hospitals.length]!;
        const message = caseMessage({
          hospitalId: h.id,
          messageId: `BENCH-CR-${n}`,
          patient: { system: mrnSystem(h.id), value: "BENCH-PH" },
          encounter: { system: encounterSystem(h.id), value: `BENCH-CR-E${n}` },
          code: CODES[Math.floor(n / hospitals.length) % CODES.length],
          recordedDate: new Date(Date.UTC(2026, 9, 1 + ((Math.floor(n / (hospitals.length * CODES.length)) * 8) % 28))).toISOString(),
        });
        const t0 = performance.now();
        const status = await post(h, "/fhir/$process-message", message);
        if (status === 200) latencies.push(performance.now() - t0);
      }
    }),
  );
  await recording;
  if (failures.length > 0) console.log(`first refusals: ${failures.join("\n")}`);
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))]!.toFixed(0);
  // the answer comes once the report is kept and the department exchange has taken it (`forwarded`):
  // the operator's list says how many were, and how many disease control has accepted by now
  const operator = province.credentials().operator;
  const res = await fetch(`${province.url}/hub/public-health/case-reports`, { headers: { authorization: `Bearer ${operator}` } });
  const listed = (await res.json().catch(() => ({}))) as { reports?: { messageId: string; status: string }[] };
  const states: Record<string, number> = {};
  for (const r of (listed.reports ?? []).filter((r) => r.messageId.startsWith("BENCH-CR-"))) states[r.status] = (states[r.status] ?? 0) + 1;
  console.log(
    `case report → forwarded to disease control (${latencies.length} reports under ${encounterCount} encounters, ${concurrency} at a time): p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, p99 ${at(0.99)} ms; encounter errors: ${encounterErrors.length}`,
  );
  console.log(res.ok ? `states now: ${JSON.stringify(states)}` : `the operator's list answered ${res.status}: states not counted`);
  console.log(`simulated month: ${JSON.stringify(desk.counts)}`);

  // the hub's record locator catches up through the exchange queue; then the month, twice
  const run = async () => {
    const t0 = performance.now();
    const res = await fetch(`${province.url}/hub/public-health/monthly?month=${MONTH}`, {
      method: "POST",
      headers: { authorization: `Bearer ${operator}` },
    });
    const body = (await res.json()) as { written: string[]; unchanged: string[] };
    if (res.status !== 200) throw new Error(`monthly: ${res.status} ${JSON.stringify(body)}`);
    return { ms: performance.now() - t0, body };
  };
  // every run scans and counts the whole month; it writes only what changed. Run until two runs in a row
  // write nothing (the record locator has caught up), then time one more.
  const firstRun = await run();
  let quiet = 0;
  while (quiet < 2) {
    await new Promise((r) => setTimeout(r, 3000));
    quiet = (await run()).body.written.length === 0 ? quiet + 1 : 0;
  }
  const settled = await run();
  console.log(
    `monthly job for ${MONTH} (${encounterCount} encounters, ${hospitals.length} cities): ${(settled.ms / 1000).toFixed(2)} s (written ${settled.body.written.length}, unchanged ${settled.body.unchanged.length}); the first run, writing ${firstRun.body.written.length}: ${(firstRun.ms / 1000).toFixed(2)} s`,
  );
} finally {
  await province.stop();
}
