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
