/** Residents and FHIR Claims as hospital FEPs would submit them, for the local-province tests and the bench. */
import { makeResidentId } from "#domain/mpi/resident-id.ts";
import type { LocalCredentials } from "#local/seed.ts";
import { mrnSystem } from "#schemas/patient.ts";
import { CLAIM_TYPE_SYSTEM, claimSystem, INSURANCE_CATEGORY_EXTENSION } from "#schemas/settlement.ts";
import { patientOf } from "../domain/patient-fixtures.ts";
import { call } from "./province.ts";

export type Hospital = LocalCredentials["hospitals"][number];

const FAMILIES = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林"];
const GIVENS = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超"];

/** A distinct resident number `n` registered in `regionCode` (e.g. "130102" Shijiazhuang, "130203" Tangshan) */
export function resident(n: number, regionCode = "130102") {
  const year = 1940 + (n % 60);
  const birthDate = `${year}-${String(1 + (n % 12)).padStart(2, "0")}-${String(1 + (n % 28)).padStart(2, "0")}`;
  return {
    residentId: makeResidentId(regionCode, birthDate, String(n % 1000).padStart(3, "0")),
    family: FAMILIES[n % FAMILIES.length]!,
    given: `${GIVENS[Math.floor(n / FAMILIES.length) % GIVENS.length]!}${GIVENS[(n * 7) % GIVENS.length]!}`,
    // the resident ID number's 17th digit: odd for men
    gender: n % 2 === 1 ? ("male" as const) : ("female" as const),
    birthDate,
  };
}

/** Feeds the resident at hospital `h` under MRN `mrn`; returns the MRN identifier claims name the patient by. */
export async function register(
  base: string,
  h: Hospital,
  mrn: string,
  person: ReturnType<typeof resident> | Omit<ReturnType<typeof resident>, "residentId">,
) {
  const res = await call(`${base}/cities/${h.cityId}/fhir/Patient`, { token: h.credential, body: patientOf(h.id, mrn, person) });
  if (res.status !== 201 && res.status !== 200) throw new Error(`feed answered ${res.status}: ${JSON.stringify(res.json)}`);
  return { system: mrnSystem(h.id), value: mrn };
}

export interface ClaimOptions {
  kind?: "institutional" | "professional";
  status?: "active" | "cancelled";
  start?: string;
  /** [category, CNY amount] */
  items: [string, number][];
  provider?: string;
  system?: string;
}

export function claimOf(h: Hospital, number: string, patient: { system: string; value: string }, o: ClaimOptions): Record<string, unknown> {
  return {
    resourceType: "Claim",
    identifier: [{ system: o.system ?? claimSystem(h.id), value: number }],
    status: o.status ?? "active",
    type: { coding: [{ system: CLAIM_TYPE_SYSTEM, code: o.kind ?? "institutional" }] },
    use: "claim",
    patient: { identifier: patient },
    billablePeriod: { start: o.start ?? "2026-03-01", end: o.start ?? "2026-03-01" },
    created: "2026-03-05T10:00:00+08:00",
    provider: { reference: o.provider ?? `Organization/${h.id}` },
    priority: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/processpriority", code: "normal" }] },
    insurance: [{ sequence: 1, focal: true, coverage: { display: "城乡居民基本医疗保险" } }],
    item: o.items.map(([category, cny], i) => ({
      sequence: i + 1,
      productOrService: { coding: [{ system: "https://hebei.health/fhir/CodeSystem/service", code: `S${i + 1}` }] },
      net: { value: cny, currency: "CNY" },
      extension: [{ url: INSURANCE_CATEGORY_EXTENSION, valueCode: category }],
    })),
  };
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
