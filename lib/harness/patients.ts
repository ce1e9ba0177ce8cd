/** A hospital of a running province registering its patients through the PIXm feed (tests and benches). */
import { patientOf } from "#lib/world/patients.ts";
import type { Registration } from "#lib/world/residents.ts";
import type { LocalCredentials } from "#local/seed.ts";
import { mrnSystem } from "#schemas/patient.ts";
import { call } from "./http.ts";

export type Hospital = LocalCredentials["hospitals"][number];

/** Feeds the resident at hospital `h` under MRN `mrn`; returns the MRN identifier claims and searches name the patient by. */
export async function register(base: string, h: Hospital, mrn: string, person: Registration) {
  const res = await call(`${base}/cities/${h.cityId}/fhir/Patient`, { token: h.credential, body: patientOf(h.id, mrn, person) });
  if (res.status !== 201 && res.status !== 200) throw new Error(`feed answered ${res.status}: ${JSON.stringify(res.json)}`);
  return { system: mrnSystem(h.id), value: mrn };
}
