/** FHIR Claims as hospitals' billing systems send them (docs/settlement.md): amounts in CNY with 2 decimals. */
import type { Rng } from "#lib/seed/prng.ts";
import { INSURANCE_DRUG_CODE_SYSTEM } from "#schemas/drugs.ts";
import { CLAIM_TYPE_SYSTEM, claimSystem, INSURANCE_CATEGORY_EXTENSION } from "#schemas/settlement.ts";

export type ClaimItem = [category: string, cny: number];

export interface ClaimOptions {
  kind?: "institutional" | "professional";
  status?: "active" | "cancelled";
  /** the service date */
  start?: string;
  created?: string;
  /** [category, CNY amount] */
  items: ClaimItem[];
  provider?: string;
  system?: string;
}

export function claimOf(
  h: { id: string },
  number: string,
  patient: { system: string; value: string },
  o: ClaimOptions,
): Record<string, unknown> {
  return {
    resourceType: "Claim",
    identifier: [{ system: o.system ?? claimSystem(h.id), value: number }],
    status: o.status ?? "active",
    type: { coding: [{ system: CLAIM_TYPE_SYSTEM, code: o.kind ?? "institutional" }] },
    use: "claim",
    patient: { identifier: patient },
    billablePeriod: { start: o.start ?? "2026-03-01", end: o.start ?? "2026-03-01" },
    created: o.created ?? "2026-03-05T10:00:00+08:00",
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

/** A medicine item coded by its insurance drug code (no category: the insurance platform's catalogue copy gives it) */
export const codedDrugItem = (sequence: number, insuranceCode: string, cny: number) => ({
  sequence,
  productOrService: { coding: [{ system: INSURANCE_DRUG_CODE_SYSTEM, code: insuranceCode }] },
  net: { value: cny, currency: "CNY" },
});

/** 1–4 items of a stay (200–15,200 CNY each) or a visit (5–605 CNY); categories A 60 %, B 25 %, C 15 % */
export function claimItems(rng: Rng, inpatient: boolean): ClaimItem[] {
  return Array.from({ length: rng.int(1, 4) }, () => {
    const fen = inpatient ? rng.int(20_000, 1_519_999) : rng.int(500, 60_499);
    const category = rng.next() < 0.6 ? "A" : rng.next() < 0.85 ? "B" : "C";
    return [category, Number(`${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, "0")}`)];
  });
}
