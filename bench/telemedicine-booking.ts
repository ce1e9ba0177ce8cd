/**
 * Telemedicine booking contention through the local province (docs/telemedicine.md#scheduling):
 * `--tasks` dermatology consults requested by 5 of Baoding's county hospitals (one municipal expert of
 * Baoding serves dermatology in the seed, so every Task has the same owner), each accepted; then `--books`
 * `$book`s at once of `--slots` slots of that expert's schedule: Task k books slot k mod slots, by its
 * requester or by the expert's hospital in turn (6 hospitals, each within its throttle). Exactly one book
 * per slot may win; the rest are 409. Prints booked and refused counts and the $book latency p50 and p99.
 *   npx tsx bench/telemedicine-booking.ts [--tasks 10] [--slots 5] [--books 50]
 */
import { parseArgs } from "node:util";
import { freshDataDir, spawnProvince } from "#lib/harness/process.ts";
import { father, patientOf, publishBundle } from "#lib/world/index.ts";
import { mrnSystem, RESIDENT_ID_SYSTEM } from "#schemas/patient.ts";
import { DEPARTMENT_SYSTEM } from "#schemas/registry-codes.ts";
import { INFORMED_CONSENT_URL, TELEMEDICINE_CATEGORY_SYSTEM } from "#schemas/telemedicine.ts";

const { values } = parseArgs({
  options: {
    tasks: { type: "string", default: "10" },
    slots: { type: "string", default: "5" },
    books: { type: "string", default: "50" },
    port: { type: "string", default: "18193" },
  },
});
const [taskCount, slotCount, bookCount] = [Number(values.tasks), Number(values.slots), Number(values.books)];
const province = await spawnProvince(freshDataDir(), Number(values.port), { HHC_AUTHORIZER_CACHE_SECONDS: "60" });
type Json = Record<string, unknown>;
type Hospital = ReturnType<typeof province.credentials>["hospitals"][number];
try {
  const hospitals = province.credentials().hospitals;
  const counties = hospitals.filter((h) => h.cityId === "baoding" && h.level === 2 && h.practitioners.length > 0).slice(0, 5);
  const send = async (h: Hospital, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${province.url}/cities/${h.cityId}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${h.credential}`,
        "content-type": "application/fhir+json",
        "x-practitioner-id": h.practitioners[0]!,
        ...headers,
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, json: (await res.json()) as Json };
  };
  const must = (what: string, res: { status: number; json: Json }, status: number) => {
    if (res.status !== status) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.json).slice(0, 400)}`);
    return res.json;
  };

  // the resident and a document of theirs, known to the hub's record locator
  const [first] = counties;
  const mrn = { system: mrnSystem(first!.id), value: "BENCH-BOOK-1" };
  must("feed", await send(first!, "POST", "/fhir/Patient", patientOf(first!.id, mrn.value, father)), 201);
  const published = must(
    "publish",
    await send(
      first!,
      "POST",
      "/fhir",
      publishBundle(first!, "BENCH-BOOK-DOC", mrn, { bytes: Buffer.from("<ClinicalDocument/>"), withList: false }),
    ),
    201,
  );
  const documentId = String((published.entry as { response: { location: string } }[])[0]!.response.location).split("/")[1]!;
  const query = `/fhir/DocumentReference?patient.identifier=${encodeURIComponent(`${RESIDENT_ID_SYSTEM}|${father.residentId}`)}`;
  for (let tries = 0; !JSON.stringify((await send(first!, "GET", query)).json).includes(documentId); tries++) {
    if (tries > 300) throw new Error("the document never reached the hub");
    await new Promise((r) => setTimeout(r, 200));
  }

  // the consults, accepted by their owner
  const request = {
    resourceType: "ServiceRequest",
    category: [{ coding: [{ system: TELEMEDICINE_CATEGORY_SYSTEM, code: "consult" }] }],
    priority: "routine",
    subject: { identifier: { system: RESIDENT_ID_SYSTEM, value: father.residentId } },
    performerType: { coding: [{ system: DEPARTMENT_SYSTEM, code: "dermatology" }] },
    note: [{ text: "bench: a consult" }],
    supportingInfo: [{ reference: `DocumentReference/${documentId}` }],
    extension: [{ url: INFORMED_CONSENT_URL, valueBoolean: true }],
  };
  const tasks: { requester: Hospital; task: Json }[] = [];
  for (let k = 0; k < taskCount; k++) {
    const requester = counties[k % counties.length]!;
    const created = must("request", await send(requester, "POST", "/fhir/ServiceRequest", request), 201);
    tasks.push({ requester, task: (created.entry as { resource: Json }[]).find((e) => e.resource.resourceType === "Task")!.resource });
  }
  const ownerId = (task: Json) =>
    String((task.extension as { valueReference: { reference: string } }[])[0]!.valueReference.reference).split("/")[1]!;
  const owners = new Set(tasks.map((x) => ownerId(x.task)));
  if (owners.size !== 1) throw new Error(`the consults went to ${owners.size} hospitals, not one expert`);
  const expert = hospitals.find((h) => h.id === ownerId(tasks[0]!.task))!;
  for (const x of tasks) {
    const version = (x.task.meta as { versionId: string }).versionId;
    x.task = must(
      "accept",
      await send(expert, "PUT", `/fhir/Task/${x.task.id}`, { resourceType: "Task", status: "accepted" }, { "if-match": `W/"${version}"` }),
      200,
    );
  }
  const role = (tasks[0]!.task.owner as { reference: string }).reference;
  const found = must("slots", await send(expert, "GET", `/fhir/Slot?schedule.actor=${role}&status=free`), 200);
  const slots = (found.entry as { resource: { id: string } }[]).slice(10, 10 + slotCount).map((e) => e.resource.id);

  // the contention
  const latencies: number[] = [];
  const outcomes = new Map<number, number>();
  await Promise.all(
    Array.from({ length: bookCount }, async (_, i) => {
      const { requester, task } = tasks[i % tasks.length]!;
      const by = Math.floor(i / tasks.length) % 2 ? expert : requester;
      const body = {
        resourceType: "Parameters",
        parameter: [
          { name: "slot", valueReference: { reference: `Slot/${slots[(i % tasks.length) % slots.length]}` } },
          { name: "task", valueReference: { reference: `Task/${task.id}` } },
          { name: "patient", valueReference: { reference: (task.for as { reference: string }).reference } },
        ],
      };
      const t0 = performance.now();
      const res = await send(by, "POST", "/fhir/Appointment/$book", body);
      latencies.push(performance.now() - t0);
      outcomes.set(res.status, (outcomes.get(res.status) ?? 0) + 1);
    }),
  );
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))]!.toFixed(0);
  const booked = outcomes.get(200) ?? 0;
  const refused = outcomes.get(409) ?? 0;
  console.log(
    `telemedicine $book contention: ${bookCount} concurrent $book of ${slots.length} slots (${tasks.length} consults of one expert, ${counties.length + 1} hospitals): booked ${booked}, refused 409 ${refused}, other ${bookCount - booked - refused} ${JSON.stringify(Object.fromEntries(outcomes))}; latency p50 ${at(0.5)} ms, p99 ${at(0.99)} ms`,
  );
} finally {
  await province.stop();
}
