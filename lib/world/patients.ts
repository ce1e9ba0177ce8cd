/** The FHIR Patient a hospital's system feeds for a registration (PIXm ITI-104), under the hospital's MRN. */
import { type FeedPatient, HEALTH_CARD_SYSTEM, mrnSystem, RESIDENT_ID_SYSTEM } from "#schemas/patient.ts";
import type { Registration } from "./residents.ts";

export function patientOf(hospitalId: string, mrn: string, r: Registration): FeedPatient {
  return {
    resourceType: "Patient",
    identifier: [
      { system: mrnSystem(hospitalId), value: mrn },
      ...(r.residentId ? [{ system: RESIDENT_ID_SYSTEM, value: r.residentId }] : []),
      ...(r.healthCard ? [{ system: HEALTH_CARD_SYSTEM, value: r.healthCard }] : []),
    ],
    name: [{ family: r.family, given: [r.given] }],
    ...(r.sex ? { gender: r.sex } : {}),
    ...(r.birthDate ? { birthDate: r.birthDate } : {}),
    ...(r.phone ? { telecom: [{ system: "phone" as const, value: r.phone }] } : {}),
    ...(r.address ? { address: [{ text: r.address }] } : {}),
  };
}
