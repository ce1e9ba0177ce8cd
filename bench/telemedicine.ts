/**
 * Telemedicine dispatch latency through the local province (docs/telemedicine.md): `--hospitals`
 * county hospitals of every city each feed a resident and publish a document (waiting until the hub's
 * record locator has it), then all request a remote read at once. A request is assigned inline (city →
 * hub internal API: MPI, record locator, the experts, the open Tasks' load, the conditional write, the
 * inbox), so request → assigned is the POST's round trip; the bench checks each answer's Task is assigned.
 * One more hospital's request goes first, alone (the hub's first call reads the experts' directory, kept
 * 60 s); then `--hospitals` request at once. Prints p50 and p99, the outcomes, how many experts were
 * assigned (the least loaded first), and the first request's time. Booking contention: bench/telemedicine-booking.ts.
 *   npx tsx bench/telemedicine.ts [--hospitals 50] [--authorizer-cache 60]
 */
import { parseArgs } from "node:util";
import { freshDataDir, spawnProvince } from "#lib/harness/process.ts";
import { patientOf, publishBundle } from "#lib/world/index.ts";
import { residentIdCheckChar } from "#schemas/checks/resident-id.ts";
import { mrnSystem, RESIDENT_ID_SYSTEM } from "#schemas/patient.ts";
import { DEPARTMENT_SYSTEM } from "#schemas/registry-codes.ts";
import { INFORMED_CONSENT_URL, TELEMEDICINE_CATEGORY_SYSTEM } from "#schemas/telemedicine.ts";

const { values } = parseArgs({
  options: {
    hospitals: { type: "string", default: "50" },
    port: { type: "string", default: "18192" },
    "authorizer-cache": { type: "string", default: "60" },
  },
});
const count = Number(values.hospitals);
const cacheSeconds = Number(values["authorizer-cache"]);
const province = await spawnProvince(freshDataDir(), Number(values.port), { HHC_AUTHORIZER_CACHE_SECONDS: String(cacheSeconds) });
type Json = Record<string, unknown>;
try {
  const all = province.credentials().hospitals.filter((h) => h.level === 2 && h.practitioners.length > 0);
  const cities = [...new Set(all.map((h) => h.cityId))];
  // round robin over the cities, so every city's function and many municipal hospitals take part
  const byCity = cities.map((c) => all.filter((h) => h.cityId === c));
  const requesters = Array.from({ length: count + 1 }, (_, i) => byCity[i % cities.length]![Math.floor(i / cities.length)]!).filter(
    Boolean,
  );
  const send = async (h: (typeof all)[number], method: string, path: string, body?: unknown, practitioner = true) => {
    const res = await fetch(`${province.url}/cities/${h.cityId}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${h.credential}`,
        "content-type": "application/fhir+json",
        ...(practitioner ? { "x-practitioner-id": h.practitioners[0]! } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, json: (await res.json()) as Json };
  };

  // each hospital: a resident (valid GB 11643 numbers) and a document of theirs
  // prepared five at a time (a feed or publish retried on a 5xx: the loaded one-thread province times out), requested all at once below
  const inTurn = async <T>(items: T[], width: number, work: (item: T, i: number) => Promise<unknown>) => {
    const out: unknown[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: width }, async () => {
        for (let i = next++; i < items.length; i = next++) out[i] = await work(items[i]!, i);
      }),
    );
    return out;
  };
  const prepared = (await inTurn(requesters, 5, async (h, i) => {
    const first17 = `130602${1960 + (i % 40)}0${1 + (i % 9)}1${i % 9}${String(100 + i).slice(-3)}`;
    const residentId = first17 + residentIdCheckChar(first17);
    const person = {
      residentId,
      family: "李",
      given: `远${i}`,
      sex: i % 2 ? "male" : "female",
      birthDate: `${first17.slice(6, 10)}-${first17.slice(10, 12)}-${first17.slice(12, 14)}`,
    };
    const mrn = { system: mrnSystem(h.id), value: `BENCH-TM-${i}` };
    let fed = await send(h, "POST", "/fhir/Patient", patientOf(h.id, mrn.value, person as never), false);
    for (let retry = 0; fed.status >= 500 && retry < 3; retry++)
      fed = await send(h, "POST", "/fhir/Patient", patientOf(h.id, mrn.value, person as never), false);
    if (fed.status !== 201 && fed.status !== 200) throw new Error(`feed ${h.id}: ${fed.status} ${JSON.stringify(fed.json)}`);
    const bundle = publishBundle(h, `BENCH-TM-DOC-${i}`, mrn, {
      bytes: Buffer.from(`<ClinicalDocument>${i}</ClinicalDocument>`),
      withList: false,
    });
    let published = await send(h, "POST", "/fhir", bundle);
    for (let retry = 0; published.status >= 500 && retry < 3; retry++) published = await send(h, "POST", "/fhir", bundle);
    if (published.status !== 201 && published.status !== 200) throw new Error(`publish ${h.id}: ${published.status}`);
    const documentId = String((published.json.entry as { response: { location: string } }[])[0]!.response.location).split("/")[1]!;
    const query = `/fhir/DocumentReference?patient.identifier=${encodeURIComponent(`${RESIDENT_ID_SYSTEM}|${residentId}`)}`;
    for (let tries = 0; ; tries++) {
      const found = await send(h, "GET", query);
      if (JSON.stringify(found.json).includes(documentId)) break;
      if (tries > 300) throw new Error(`document ${documentId} never reached the hub`);
      await new Promise((r) => setTimeout(r, 200));
    }
    return { h, residentId, documentId };
  })) as { h: (typeof all)[number]; residentId: string; documentId: string }[];

  const request = (residentId: string, documentId: string) => ({
    resourceType: "ServiceRequest",
    category: [{ coding: [{ system: TELEMEDICINE_CATEGORY_SYSTEM, code: "imaging-read" }] }],
    priority: "urgent",
    subject: { identifier: { system: RESIDENT_ID_SYSTEM, value: residentId } },
    performerType: { coding: [{ system: DEPARTMENT_SYSTEM, code: "internal-medicine" }] },
    note: [{ text: "bench: second opinion" }],
    supportingInfo: [{ reference: `DocumentReference/${documentId}` }],
    extension: [{ url: INFORMED_CONSENT_URL, valueBoolean: true }],
  });
  // one request alone first (not in the figure): the hub function's first call reads the experts'
  // directory (kept 60 s), the cities' functions load; the burst then measures the dispatch path itself
  const [first, ...burst] = prepared;
  const t0 = performance.now();
  const warm = await send(first!.h, "POST", "/fhir/ServiceRequest", request(first!.residentId, first!.documentId));
  const firstMs = performance.now() - t0;
  if (warm.status !== 201) throw new Error(`the first request: ${warm.status} ${JSON.stringify(warm.json)}`);
  const latencies: number[] = [];
  const outcomes = new Map<string, number>();
  const owners = new Map<string, number>();
  await Promise.all(
    burst.map(async ({ h, residentId, documentId }) => {
      const t0 = performance.now();
      const res = await send(h, "POST", "/fhir/ServiceRequest", request(residentId, documentId));
      latencies.push(performance.now() - t0);
      const task = ((res.json.entry as { resource: Json }[] | undefined) ?? []).find((e) => e.resource.resourceType === "Task")?.resource;
      const code =
        res.status === 201
          ? String((task?.businessStatus as { coding: { code: string }[] } | undefined)?.coding[0]?.code)
          : `HTTP ${res.status}`;
      outcomes.set(code, (outcomes.get(code) ?? 0) + 1);
      const owner = String((task?.owner as { reference?: string } | undefined)?.reference);
      owners.set(owner, (owners.get(owner) ?? 0) + 1);
    }),
  );
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))]!.toFixed(0);
  console.log(
    `telemedicine request → assigned, ${burst.length} county hospitals in ${new Set(burst.map((p) => p.h.cityId)).size} cities requesting at once, authorizer cache ${cacheSeconds} s: p50 ${at(0.5)} ms, p99 ${at(0.99)} ms; outcomes ${JSON.stringify(Object.fromEntries(outcomes))}; ${owners.size} experts assigned, at most ${Math.max(...owners.values())} each; the first request alone before (the experts' directory read) ${firstMs.toFixed(0)} ms`,
  );
} finally {
  await province.stop();
}
