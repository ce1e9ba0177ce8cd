/** A hospital of a running province registering residents and submitting claims, for the settlement tests and bench. */
import { patientOf } from "#lib/world/patients.ts";
import type { Registration } from "#lib/world/residents.ts";
import type { LocalCredentials } from "#local/seed.ts";
import { mrnSystem } from "#schemas/patient.ts";
import { claimSystem } from "#schemas/settlement.ts";
import { call } from "./http.ts";

export type Hospital = LocalCredentials["hospitals"][number];

/** Feeds the resident at hospital `h` under MRN `mrn`; returns the MRN identifier claims name the patient by. */
export async function register(base: string, h: Hospital, mrn: string, person: Registration) {
  const res = await call(`${base}/cities/${h.cityId}/fhir/Patient`, { token: h.credential, body: patientOf(h.id, mrn, person) });
  if (res.status !== 201 && res.status !== 200) throw new Error(`feed answered ${res.status}: ${JSON.stringify(res.json)}`);
  return { system: mrnSystem(h.id), value: mrn };
}

export const submit = (base: string, h: Hospital, claim: unknown, rawBody?: string) =>
  call(`${base}/cities/${h.cityId}/fhir/Claim`, {
    token: h.credential,
    ...(rawBody === undefined ? { body: claim } : { rawBody, headers: { "content-type": "application/fhir+json" } }),
    headers: { "x-practitioner-id": h.practitioners[0]!, ...(rawBody === undefined ? {} : { "content-type": "application/fhir+json" }) },
  });

export interface ClaimResponseLike {
  status: string;
  outcome: string;
  total: { category: { coding: { code: string }[] }; amount: { value: number } }[];
  error?: { code: { coding: { code: string }[] } }[];
  extension?: { url: string; valueString: string }[];
}

export async function claimResponses(base: string, h: Hospital, number: string): Promise<ClaimResponseLike[]> {
  const res = await call(
    `${base}/cities/${h.cityId}/fhir/ClaimResponse?request.identifier=${encodeURIComponent(`${claimSystem(h.id)}|${number}`)}`,
    { token: h.credential, headers: { "x-practitioner-id": h.practitioners[0]! } },
  );
  if (res.status !== 200) throw new Error(`ClaimResponse search answered ${res.status}: ${JSON.stringify(res.json)}`);
  return ((res.json?.entry ?? []) as { resource: ClaimResponseLike }[]).map((e) => e.resource);
}

/** The four totals in fen (read from the CNY decimal text) */
export function totalsFen(r: ClaimResponseLike): Record<string, number> {
  return Object.fromEntries(
    r.total.map((t) => {
      const [int, frac = ""] = String(t.amount.value).split(".");
      const sign = int!.startsWith("-") ? -1 : 1;
      return [t.category.coding[0]!.code, sign * (Math.abs(Number.parseInt(int!, 10)) * 100 + Number.parseInt(frac.padEnd(2, "0"), 10))];
    }),
  );
}
