/** A hospital of a running province submitting claims and reading their settlements, for the settlement tests and bench (registering its patients: patients.ts). */
import { claimSystem } from "#schemas/settlement.ts";
import { call } from "./http.ts";
import type { Hospital } from "./patients.ts";

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
