/**
 * Nothing accepted is lost, nothing stored twice: the local province runs as a child process, is
 * killed with SIGKILL in the middle of a publishing burst, and started again on the same data folder.
 * Every document that got a 2xx is then stored once in its city, indexed at the hub and findable from
 * another city with its exact bytes — re-driven from the city's outbox (fauxqs lost its queues).
 */
import { afterAll, describe, expect, it } from "vitest";
import { documentIdOf } from "#domain/documents/publish.ts";
import { type ProvinceProcess, spawnProvince } from "#lib/harness/process.ts";
import { FATHER_ID, father, patientOf, publishBundle } from "#lib/world/index.ts";
import { documentSystem } from "#schemas/documents.ts";
import { RESIDENT_ID_SYSTEM } from "#schemas/patient.ts";
import { FIRST_RESEND_AFTER_SECONDS } from "#use-cases/outbox.ts";
import { advanceClock, freePort, newDataDir, waitFor } from "../support/province.ts";

let province: ProvinceProcess | undefined;
afterAll(async () => {
  await province?.stop();
});

describe("a province killed mid publishing burst", () => {
  it("keeps every document it acknowledged, once, indexed and findable after a restart", async () => {
    const dataDir = newDataDir();
    const port = await freePort();
    province = await spawnProvince(dataDir, port);
    const hospitals = province.credentials().hospitals.filter((h) => h.practitioners.length > 0);
    const publishers = hospitals.filter((h) => h.cityId === "baoding").slice(0, 8);
    const reader = hospitals.find((h) => h.cityId === "handan")!;
    const url = (cityId: string, path: string) => `${province!.url}/cities/${cityId}${path}`;
    const headers = (h: (typeof hospitals)[number]) => ({
      authorization: `Bearer ${h.credential}`,
      "x-practitioner-id": h.practitioners[0]!,
      "content-type": "application/fhir+json",
    });
    // prepare: the resident, known to the MPI
    const fed = await fetch(url("baoding", "/fhir/Patient"), {
      method: "POST",
      headers: headers(publishers[0]!),
      body: JSON.stringify(patientOf(publishers[0]!.id, "K-1", father)),
    });
    expect(fed.status).toBe(201);
    // the reader treats the resident too: the consent policy opens other hospitals' documents only then (docs/consent.md)
    const registered = await fetch(url("handan", "/fhir/Patient"), {
      method: "POST",
      headers: headers(reader),
      body: JSON.stringify(patientOf(reader.id, "K-2", father)),
    });
    expect([200, 201]).toContain(registered.status);
    const subject = { system: RESIDENT_ID_SYSTEM, value: FATHER_ID };

    // act: 8 hospitals publish as fast as they can; the province is killed once 40 were acknowledged
    const acknowledged = new Map<string, Buffer>();
    let killed = false;
    let killing: Promise<void> | undefined;
    await Promise.all(
      publishers.map(async (h) => {
        for (let n = 0; !killed; n++) {
          const master = `K-${h.id}-${n}`;
          const bytes = Buffer.from(`document ${master} ${"x".repeat(2000)}`);
          const res = await fetch(url("baoding", "/fhir"), {
            method: "POST",
            headers: headers(h),
            body: JSON.stringify(publishBundle(h, master, subject, { bytes, contentType: "text/plain" })),
          }).catch(() => undefined);
          if (res && res.status >= 200 && res.status < 300) {
            acknowledged.set(documentIdOf("baoding", { system: documentSystem(h.id), value: master }), bytes);
            if (acknowledged.size >= 40 && !killing) {
              killed = true;
              killing = province!.kill();
            }
          }
          await res?.arrayBuffer().catch(() => undefined);
        }
      }),
    );
    await killing;
    expect(acknowledged.size).toBeGreaterThanOrEqual(40);

    // assess: restarted on the same data folder, every acknowledged document is findable from another city, once
    province = await spawnProvince(dataDir, port);
    const search = async () => {
      const res = await fetch(
        url("handan", `/fhir/DocumentReference?patient.identifier=${encodeURIComponent(`${subject.system}|${subject.value}`)}`),
        {
          headers: headers(reader),
        },
      );
      const bundle = (await res.json()) as { entry?: { resource: { id: string } }[] };
      return (bundle.entry ?? []).map((e) => e.resource.id);
    };
    // the city's outbox sweeper (every minute) re-sends what the killed queues lost once it is due
    // (60 s after it was recorded): the province clock goes past both, instead of the test waiting them out
    await advanceClock(province, FIRST_RESEND_AFTER_SECONDS);
    const found = await waitFor(search, (ids) => [...acknowledged.keys()].every((id) => ids.includes(id)), 150_000);
    expect(new Set(found).size).toBe(found.length);
    for (const id of acknowledged.keys()) expect(found.filter((f) => f === id)).toHaveLength(1);
    // and their bytes, retrieved from Handan through presigned URLs Baoding issues
    const sample = [...acknowledged.entries()].slice(0, 5);
    for (const [id, bytes] of sample) {
      const res = await fetch(url("handan", `/fhir/Binary/${id}`), { headers: headers(reader) });
      expect(res.status).toBe(200);
      expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
    }
  }, 300_000);
});
