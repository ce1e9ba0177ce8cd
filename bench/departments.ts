/**
 * The department exchange through the local province (docs/departments.md): `--deaths` residents fed at
 * a Baoding hospital, then each one's death reported through the PIXm feed (`--concurrency` at a time).
 * Each death becomes one death-notification to public security and one to civil affairs (MPI → vital
 * status → ResidentEvents → outbox → DepartmentDelivery → the reference departments node). Prints the
 * messages delivered per second and the death-report → department latency p50 and p99 (the report's
 * answer to public security's receipt, polled every 20 ms), with the evidence log on (its cost: bench/evidence.ts).
 *   npx tsx bench/departments.ts [--deaths 100] [--concurrency 10]
 */
import { parseArgs } from "node:util";
import { freshDataDir, spawnProvince } from "#lib/harness/process.ts";
import { residentIdCheckChar } from "#schemas/checks/resident-id.ts";
import { EMPI_SYSTEM, mrnSystem, RESIDENT_ID_SYSTEM } from "#schemas/patient.ts";

const { values } = parseArgs({
  options: {
    deaths: { type: "string", default: "100" },
    concurrency: { type: "string", default: "10" },
    port: { type: "string", default: "18193" },
  },
});
const deaths = Number(values.deaths);
const concurrency = Number(values.concurrency);

const province = await spawnProvince(freshDataDir(), Number(values.port));
try {
  const h = province.credentials().hospitals.find((x) => x.cityId === "baoding")!;
  const feed = async (method: "POST" | "PUT", patient: unknown, mrn: string) => {
    const query = method === "PUT" ? `?identifier=${encodeURIComponent(`${mrnSystem(h.id)}|${mrn}`)}` : "";
    const res = await fetch(`${province.url}/cities/${h.cityId}/fhir/Patient${query}`, {
      method,
      headers: { authorization: `Bearer ${h.credential}`, "content-type": "application/fhir+json" },
      body: JSON.stringify(patient),
    });
    const json = (await res.json()) as { identifier?: { system: string; value: string }[] };
    if (res.status >= 300) throw new Error(`feed answered ${res.status}: ${JSON.stringify(json)}`);
    return json.identifier?.find((i) => i.system === EMPI_SYSTEM)?.value;
  };
  const patient = (i: number) => {
    const first17 = `130602${1950 + (i % 40)}0${1 + (i % 9)}1${i % 10}${String(100 + i).slice(-3)}`;
    return {
      resourceType: "Patient",
      identifier: [
        { system: mrnSystem(h.id), value: `BENCH-D-${i}` },
        { system: RESIDENT_ID_SYSTEM, value: first17 + residentIdCheckChar(first17) },
      ],
      name: [{ family: "李", given: [`逝${i}`] }],
      gender: i % 2 ? "male" : "female",
      birthDate: `${1950 + (i % 40)}-0${1 + (i % 9)}-1${i % 10}`,
    };
  };
  const empis: string[] = [];
  for (let i = 0; i < deaths; i++) empis.push((await feed("POST", patient(i), `BENCH-D-${i}`))!);

  const received = async (member: string): Promise<Set<string>> => {
    const res = await fetch(`${province.url}/departments/${member}/messages`);
    return new Set(((await res.json()) as { entry: { resource: { id: string } }[] }[]).map((b) => b.entry[0]!.resource.id));
  };
  const reportedAt = new Map<string, number>();
  const arrivedAt = new Map<string, number>();
  const started = performance.now();
  let next = 0;
  const workers = Array.from({ length: concurrency }, async () => {
    while (next < deaths) {
      const i = next++;
      await feed("PUT", { ...patient(i), deceasedDateTime: "2026-12-01T08:00:00+08:00" }, `BENCH-D-${i}`);
      reportedAt.set(`death-${empis[i]}`, performance.now());
    }
  });
  const watcher = (async () => {
    while (arrivedAt.size < deaths && performance.now() - started < 600_000) {
      const ids = await received("public-security");
      const now = performance.now();
      for (const id of ids) if (!arrivedAt.has(id) && reportedAt.has(id)) arrivedAt.set(id, now);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  await Promise.all(workers);
  await watcher;
  // both departments: every notification delivered
  while ((await received("civil-affairs")).size < deaths && performance.now() - started < 600_000)
    await new Promise((r) => setTimeout(r, 100));
  const elapsed = (performance.now() - started) / 1000;
  const latencies = [...arrivedAt].map(([id, at]) => at - reportedAt.get(id)!).sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!.toFixed(0);
  console.log(
    `deaths reported: ${deaths} (${concurrency} at a time); notifications delivered: ${arrivedAt.size} to public security, ${(await received("civil-affairs")).size} to civil affairs`,
  );
  console.log(
    `exchange throughput (evidence logging on): ${((2 * arrivedAt.size) / elapsed).toFixed(1)} messages/s over ${elapsed.toFixed(1)} s`,
  );
  console.log(`death report → public security: p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms`);
} finally {
  await province.stop();
}
