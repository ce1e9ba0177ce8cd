/** Encounters as a hospital's system records them: outpatient visits (finished) and inpatient stays (in progress). */
import { mrnSystem } from "#schemas/patient.ts";

export function encounterOf(hospitalId: string, number: string, mrn: string, inpatient: boolean, start: string, end?: string) {
  return {
    resourceType: "Encounter",
    identifier: [{ system: `https://hebei.health/sid/encounter/${hospitalId}`, value: number }],
    status: end ? "finished" : "in-progress",
    class: inpatient
      ? { system: "http://terminology.hl7.org/CodeSystem/v3-ActCode", code: "IMP", display: "inpatient encounter" }
      : { system: "http://terminology.hl7.org/CodeSystem/v3-ActCode", code: "AMB", display: "ambulatory" },
    subject: { identifier: { system: mrnSystem(hospitalId), value: mrn } },
    period: { start, ...(end ? { end } : {}) },
  };
}

/**
 * The encounter with implanted devices (docs/drugs-devices.md#implants): one contained Device per UDI,
 * its patient the encounter's subject, each referenced by the implanted-device extension.
 */
export function withImplants<E extends { subject: { identifier: { system: string; value: string } } }>(encounter: E, udis: string[]) {
  return {
    ...encounter,
    contained: udis.map((udi, i) => ({
      resourceType: "Device",
      id: `implant-${i + 1}`,
      udiCarrier: [{ carrierHRF: udi }],
      patient: { identifier: encounter.subject.identifier },
    })),
    extension: udis.map((_, i) => ({
      url: "https://hebei.health/fhir/StructureDefinition/implanted-device",
      valueReference: { reference: `#implant-${i + 1}` },
    })),
  };
}
