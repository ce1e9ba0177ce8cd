/**
 * The evidence log's cost (docs/departments.md#evidence-log): inbound messages through the department
 * exchange (`POST /hub/xchg/messages` as public security, `--concurrency` at a time) with evidence logging
 * on and off. One data folder, two starts of the province: `HHC_EVIDENCE_LOGGING=off` (this bench's switch
 * only: no entries, no fail-closed check) then on (the default). Each message is an `update` of one earlier
 * household registration: recorded, answered and (on) logged, with no other effect. Prints messages/s for
 * each and the cost as a percentage. Both starts lift the API's per-caller throttle (`HHC_THROTTLE_SCALE`,
 * ×`--throttle-scale`): one member's declared 50 /s would otherwise bound both runs and hide the cost;
 * `--throttle-scale 1` measures with the declared limits.
 *   npx tsx bench/evidence.ts [--messages 500] [--concurrency 8] [--throttle-scale 20]
 */
import { parseArgs } from "node:util";
import { makeResidentId } from "#domain/mpi/resident-id.ts";
import { freshDataDir, type ProvinceProcess, spawnProvince } from "#lib/harness/process.ts";
import { MESSAGE_EVENT_SYSTEM } from "#schemas/department-members.ts";
import { EMPI_SYSTEM, MOTHER_EXTENSION_URL, mrnSystem, RESIDENT_ID_SYSTEM } from "#schemas/patient.ts";

const { values } = parseArgs({
  options: {
    messages: { type: "string", default: "500" },
    concurrency: { type: "string", default: "8" },
    port: { type: "string", default: "18194" },
    "throttle-scale": { type: "string", default: "20" },
  },
});
const total = Number(values.messages);
const concurrency = Number(values.concurrency);
const dataDir = freshDataDir();

const message = (id: string, event: string, focus: Record<string, unknown>[]) => ({
  resourceType: "Bundle",
  type: "message",
  entry: [
    {
      resource: {
        resourceType: "MessageHeader",
        id,
        eventCoding: { system: MESSAGE_EVENT_SYSTEM, code: event },
        source: { endpoint: "urn:hhc:member:public-security" },
        destination: [{ endpoint: "urn:hhc:member:health-cloud" }],
        focus: focus.map((r) => ({ reference: `${r.resourceType}/${r.id}` })),
      },
    },
    ...focus.map((resource) => ({ resource })),
  ],
});

async function run(mode: "on" | "off"): Promise<number> {
  const province: ProvinceProcess = await spawnProvince(dataDir, Number(values.port), {
    HHC_EVIDENCE_LOGGING: mode,
    HHC_THROTTLE_SCALE: values["throttle-scale"],
  });
  try {
    const credentials = province.credentials();
    const ps = credentials.departments.find((d) => d.id === "public-security")!.credential;
    let throttled = 0;
    const send = async (body: unknown): Promise<void> => {
      const res = await fetch(`${province.url}/hub/xchg/messages`, {
        method: "POST",
        headers: { authorization: `Bearer ${ps}`, "content-type": "application/fhir+json" },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      // the member API's per-caller throttle (50 /s, burst 100, unless scaled): wait and send again, as a member would
      if (res.status === 429) {
        throttled++;
        await new Promise((r) => setTimeout(r, 100));
        return send(body);
      }
      if (res.status !== 200) throw new Error(`POST /hub/xchg/messages answered ${res.status}: ${text}`);
    };
    // the original: a newborn's household registration (each run its own newborn)
    const h = credentials.hospitals.find((x) => x.cityId === "baoding")!;
    const nb = await fetch(`${province.url}/cities/baoding/fhir/Patient`, {
      method: "POST",
      headers: { authorization: `Bearer ${h.credential}`, "content-type": "application/fhir+json" },
      body: JSON.stringify({
        resourceType: "Patient",
        identifier: [{ system: mrnSystem(h.id), value: `BENCH-EV-${mode}` }],
        gender: "female",
        birthDate: "2026-12-02",
        multipleBirthInteger: mode === "on" ? 1 : 2,
        extension: [
          {
            url: MOTHER_EXTENSION_URL,
            valueIdentifier: { system: RESIDENT_ID_SYSTEM, value: makeResidentId("130602", "1990-01-01", "022") },
          },
        ],
      }),
    });
    const empi = ((await nb.json()) as { identifier: { system: string; value: string }[] }).identifier.find(
      (i) => i.system === EMPI_SYSTEM,
    )!.value;
    const original = `bench-registration-${mode}`;
    await send(
      message(original, "household-registration", [
        {
          resourceType: "Patient",
          id: "nb",
          identifier: [
            { system: EMPI_SYSTEM, value: empi },
            { system: RESIDENT_ID_SYSTEM, value: makeResidentId("130602", "2026-12-02", mode === "on" ? "031" : "032") },
          ],
        },
      ]),
    );
    const update = (i: number) =>
      message(`bench-${mode}-${i}`, "update", [
        { resourceType: "Parameters", id: "p", parameter: [{ name: "messageId", valueString: original }] },
        { resourceType: "Patient", id: "nb", gender: "female" },
      ]);
    for (let i = 0; i < 20; i++) await send(update(-i - 1)); // warm-up: every function loaded
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < total) await send(update(next++));
      }),
    );
    const rate = total / ((performance.now() - started) / 1000);
    console.log(
      `evidence logging ${mode}: ${total} messages at concurrency ${concurrency}: ${rate.toFixed(1)} messages/s (${throttled} answers 429 from the API's per-caller throttle ×${values["throttle-scale"]}, sent again)`,
    );
    return rate;
  } finally {
    await province.stop();
  }
}

const off = await run("off");
const on = await run("on");
console.log(
  `the evidence log's cost: ${(((off - on) / off) * 100).toFixed(1)} % of the exchange's throughput (${off.toFixed(1)} → ${on.toFixed(1)} messages/s)`,
);
