import { describe, expect, it } from "vitest";
import { encounterContacts, hasTreatmentRelationship, RELATIONSHIP_DAYS, relationshipLapsedOn } from "#domain/push/relationship.ts";
import { father, patientOf } from "#lib/world/index.ts";
import type { LocatorEntry } from "#schemas/documents.ts";
import { EMPI_SYSTEM } from "#schemas/patient.ts";
import { feedPatient } from "#use-cases/mpi/feed.ts";
import { feedSource } from "#use-cases/mpi/patient-record.ts";
import { encounterSource, residentContacts } from "#use-cases/push/relationship.ts";
import { memoryMpi } from "./patient-memory-stores.ts";

const now = new Date("2026-06-01T00:00:00Z");
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000).toISOString();

describe("treatment relationship", () => {
  it("holds while the hospital's own contact is within 90 days", () => {
    expect(hasTreatmentRelationship([{ hospitalId: "bd001", at: daysAgo(1) }], "bd001", now)).toBe(true);
    expect(hasTreatmentRelationship([{ hospitalId: "bd001", at: daysAgo(RELATIONSHIP_DAYS) }], "bd001", now)).toBe(true);
    expect(hasTreatmentRelationship([{ hospitalId: "bd001", at: daysAgo(RELATIONSHIP_DAYS + 1) }], "bd001", now)).toBe(false);
  });
  it("is the hospital's own: another hospital's contact does not count", () => {
    expect(hasTreatmentRelationship([{ hospitalId: "ts001", at: daysAgo(1) }], "bd001", now)).toBe(false);
    expect(hasTreatmentRelationship([], "bd001", now)).toBe(false);
  });
  it("at a delivery: holds through 90 days after the latest own contact, later contacts included; else names the day it lapsed", () => {
    expect(relationshipLapsedOn([{ hospitalId: "bd001", at: daysAgo(RELATIONSHIP_DAYS) }], "bd001", now)).toBeUndefined();
    expect(relationshipLapsedOn([{ hospitalId: "bd001", at: daysAgo(-3) }], "bd001", now)).toBeUndefined(); // updated since
    const contacts = [
      { hospitalId: "bd001", at: daysAgo(RELATIONSHIP_DAYS + 10) },
      { hospitalId: "bd001", at: daysAgo(RELATIONSHIP_DAYS + 5) },
      { hospitalId: "ts001", at: daysAgo(1) },
    ];
    expect(relationshipLapsedOn(contacts, "bd001", now)).toBe("2026-05-27");
    expect(relationshipLapsedOn([], "bd001", now)).toBe("2026-06-01");
  });
  it("an open contact (an open telemedicine Task) holds whatever its age, at subscribing and at a delivery", () => {
    const task = { hospitalId: "bd001", at: daysAgo(RELATIONSHIP_DAYS + 200), open: true };
    expect(hasTreatmentRelationship([task], "bd001", now)).toBe(true);
    expect(relationshipLapsedOn([task], "bd001", now)).toBeUndefined();
    expect(hasTreatmentRelationship([{ ...task, open: false }], "bd001", now)).toBe(false);
    expect(hasTreatmentRelationship([task], "ts001", now)).toBe(false);
  });
});

const entry = (resourceType: LocatorEntry["resourceType"], hospitalId: string, status: string, at: string, empi = "E1"): LocatorEntry => ({
  resourceType,
  id: `shijiazhuang-${hospitalId}${status.replace(/-/g, "")}`.slice(0, 40),
  empi,
  cityId: "shijiazhuang",
  hospitalId,
  revision: 1,
  status,
  typeTokens: [],
  recordedAt: at,
  resource: {},
});

describe("treatment relationship: encounters count (issue 12)", () => {
  it("an encounter the hospital recorded is a contact at its latest revision; documents, cancelled and mistaken encounters are not", () => {
    const entries = [
      entry("Encounter", "bd001", "finished", daysAgo(10)),
      entry("Encounter", "ts001", "entered-in-error", daysAgo(1)),
      entry("Encounter", "hd001", "cancelled", daysAgo(1)),
      entry("DocumentReference", "sjz001", "current", daysAgo(1)),
    ];
    expect(encounterContacts(entries)).toEqual([{ hospitalId: "bd001", at: daysAgo(10) }]);
    for (const [hospitalId, held] of [
      ["bd001", true],
      ["ts001", false],
      ["hd001", false],
      ["sjz001", false],
    ] as const)
      expect(hasTreatmentRelationship(encounterContacts(entries), hospitalId, now), hospitalId).toBe(held);
    // 91 days after the encounter: gone, and lapsed 90 days after it
    const later = new Date(Date.parse(daysAgo(10)) + (RELATIONSHIP_DAYS + 1) * 86_400_000);
    expect(hasTreatmentRelationship(encounterContacts(entries), "bd001", later)).toBe(false);
    expect(relationshipLapsedOn(encounterContacts(entries), "bd001", later)).toBe("2026-08-20");
  });

  it("the hub's facts: the hospitals' feeds at the MPI and their encounters in the record locator, for every EMPI of the resident", async () => {
    const m = memoryMpi(() => now);
    const patient = patientOf("bd001", "M-1", father);
    const fed = await feedPatient(m.deps, m.mpi, { hospitalId: "bd001", patient, source: feedSource("bd001", patient) });
    const empi = fed.identifiers.find((i) => i.system === EMPI_SYSTEM)!.value;
    const asked: string[][] = [];
    const locator = {
      list: async (e: string, type?: LocatorEntry["resourceType"]) => {
        asked.push([e, String(type)]);
        return [entry("Encounter", "ts001", "in-progress", daysAgo(3), e)];
      },
    };
    const contacts = await residentContacts({ mpi: m.deps, sources: [encounterSource(locator)] }, empi);
    expect(contacts.map((c) => c.hospitalId).sort()).toEqual(["bd001", "ts001"]);
    expect(asked).toEqual([[empi, "Encounter"]]); // only the encounters, under the resident's EMPIs
    expect(hasTreatmentRelationship(contacts, "ts001", now)).toBe(true); // never fed them, recorded an encounter
    expect(hasTreatmentRelationship(contacts, "hd001", now)).toBe(false);
    expect(await residentContacts({ mpi: m.deps, sources: [encounterSource(locator)] }, "E000000000000")).toEqual([]);
  });
});
