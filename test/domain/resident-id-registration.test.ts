/**
 * A newborn's household registration split in two (docs/departments.md#births): the exchange queues the
 * number only for a resident the MPI has (use-cases/departments/births.ts); the MPI's function adds it to
 * the newborn's record once, however often the queue delivers it (use-cases/mpi/resident-ids.ts).
 */
import { describe, expect, it } from "vitest";
import { makeResidentId } from "#domain/mpi/resident-id.ts";
import { EMPI_SYSTEM, MOTHER_EXTENSION_URL, mrnSystem, RESIDENT_ID_SYSTEM } from "#schemas/patient.ts";
import type { ResidentIdRegistration } from "#schemas/resident-id-registration.ts";
import { residentIdRegistrationSchema } from "#schemas/resident-id-registration.ts";
import { queueResidentId } from "#use-cases/departments/births.ts";
import { feedPatient } from "#use-cases/mpi/feed.ts";
import { feedSource } from "#use-cases/mpi/patient-record.ts";
import { pixQuery } from "#use-cases/mpi/queries.ts";
import { registerResidentId } from "#use-cases/mpi/resident-ids.ts";
import { memoryMpi } from "./patient-memory-stores.ts";

const mother = makeResidentId("130602", "1992-03-04", "024");
// a girl: the sequence even
const number = makeResidentId("130602", "2025-06-29", "016");

async function newborn(m: ReturnType<typeof memoryMpi>) {
  const patient = {
    resourceType: "Patient" as const,
    identifier: [{ system: mrnSystem("bd001"), value: "NB-1" }],
    name: [{ family: "王" }],
    gender: "female" as const,
    birthDate: "2025-06-29",
    multipleBirthInteger: 1,
    extension: [{ url: MOTHER_EXTENSION_URL, valueIdentifier: { system: RESIDENT_ID_SYSTEM, value: mother } }],
  };
  const fed = await feedPatient(m.deps, m.mpi, { hospitalId: "bd001", patient, source: feedSource("bd001", patient) });
  return fed.identifiers.find((i) => i.system === EMPI_SYSTEM)!.value;
}

describe("household registration: the exchange queues, the MPI applies", () => {
  it("queues a valid registration for a newborn the MPI has, and refuses an unknown EMPI without queueing", async () => {
    const m = memoryMpi();
    const empi = await newborn(m);
    const queued: ResidentIdRegistration[] = [];
    const deps = { mpi: m.deps, publish: async (r: ResidentIdRegistration) => void queued.push(r) };
    const now = new Date("2025-07-02T09:00:00Z");
    expect(await queueResidentId(deps, "hr-1", empi, number, now)).toBe(true);
    expect(await queueResidentId(deps, "hr-2", "E9999999999999", number, now)).toBe(false);
    expect(queued).toEqual([
      { type: "resident-id-registration", version: 1, messageId: "hr-1", empi, residentId: number, at: now.toISOString() },
    ]);
    expect(residentIdRegistrationSchema.parse(queued[0])).toEqual(queued[0]);
  });

  it("adds the number once: PIXm resolves it, and a second delivery writes nothing", async () => {
    const m = memoryMpi();
    const empi = await newborn(m);
    expect(await registerResidentId(m.deps, m.mpi, empi, number)).toBe(true);
    const pix = JSON.stringify((await pixQuery(m.deps, `${RESIDENT_ID_SYSTEM}|${number}`)).parameters);
    expect(pix).toContain(empi);
    const versions = () => [...m.records.records.values()].map((r) => r.version);
    const before = versions();
    expect(await registerResidentId(m.deps, m.mpi, empi, number)).toBe(true);
    expect(versions()).toEqual(before);
    expect(await registerResidentId(m.deps, m.mpi, "E9999999999999", number)).toBe(false);
  });
});
