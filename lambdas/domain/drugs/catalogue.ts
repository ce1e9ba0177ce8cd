/**
 * The drug catalogue's rules (docs/drugs-devices.md#the-catalogue): which code a search names, the
 * keys under which an entry is found (one per code it carries), an entry's own consistency, and the
 * FHIR R4 MedicationKnowledge it is served as. Pure.
 */
import {
  CATALOGUE_VALIDITY_EXTENSION,
  CATALOGUE_VERSION_EXTENSION,
  type CatalogueEntry,
  GTIN_SYSTEM,
  INSURANCE_DRUG_CODE_SYSTEM,
  NATIONAL_DRUG_CODE_SYSTEM,
} from "#schemas/drugs.ts";
import { INSURANCE_CATEGORY_EXTENSION } from "#schemas/settlement.ts";
import { gtin14, gtinProblems, insuranceDrugCodeProblems, nationalDrugCodeProblems } from "./codes.ts";

export type CodeKind = "national" | "insurance" | "gtin";

/** A Map, not an object: a system the caller names ("valueOf", "__proto__") must never find an inherited member */
const SYSTEMS = new Map<string, CodeKind>([
  [NATIONAL_DRUG_CODE_SYSTEM, "national"],
  [INSURANCE_DRUG_CODE_SYSTEM, "insurance"],
  [GTIN_SYSTEM, "gtin"],
]);
const PROBLEMS: Record<CodeKind, (code: string) => string[]> = {
  national: nationalDrugCodeProblems,
  insurance: insuranceDrugCodeProblems,
  gtin: gtinProblems,
};

export type NamedCode = { ok: true; kind: CodeKind; value: string } | { ok: false; problem: string };

/**
 * The code a search names: "<system>|<value>" under one of the three systems, or a bare value told
 * apart by its form (23 characters starting X or Z: insurance; 14 digits starting 86: national;
 * other digits: GTIN). A GTIN-14 starting 86 needs its system. The code must pass its own check.
 */
export function namedCode(text: string): NamedCode {
  const bar = text.indexOf("|");
  let kind: CodeKind;
  let value: string;
  if (bar >= 0) {
    const system = text.slice(0, bar);
    const known = SYSTEMS.get(system);
    if (!known) return { ok: false, problem: `unknown code system ${JSON.stringify(system)} (${[...SYSTEMS.keys()].join(", ")})` };
    kind = known;
    value = text.slice(bar + 1);
  } else {
    value = text;
    kind = /^[XZ]/.test(value)
      ? "insurance"
      : /^86/.test(value) && value.length === 14
        ? "national"
        : /^[0-9]+$/.test(value)
          ? "gtin"
          : "insurance";
  }
  const problems = PROBLEMS[kind](value);
  if (problems.length > 0)
    return {
      ok: false,
      problem: `${kind === "national" ? "national drug code" : kind === "insurance" ? "insurance drug code" : "GTIN"} ${JSON.stringify(value)}: ${problems[0]}`,
    };
  return { ok: true, kind, value: kind === "gtin" ? gtin14(value) : value };
}

/** The key an entry is found under for one of its codes */
export const codeKey = (kind: CodeKind, value: string): string => `${kind}|${value}`;
/** The code of a key (codeKey's value) */
export const keyValue = (key: string): string => key.slice(key.indexOf("|") + 1);

/** Every key of an entry: its national and insurance codes, and its GTIN (as GTIN-14) where known */
export const entryKeys = (entry: CatalogueEntry): string[] => [
  codeKey("national", entry.nationalDrugCode),
  codeKey("insurance", entry.insuranceCode),
  ...(entry.gtin ? [codeKey("gtin", gtin14(entry.gtin))] : []),
];

/** Why an entry cannot enter the catalogue (its codes' checks, its validity); empty when it can */
export function entryProblems(entry: CatalogueEntry): { field: string; problem: string }[] {
  const out: { field: string; problem: string }[] = [];
  for (const problem of nationalDrugCodeProblems(entry.nationalDrugCode)) out.push({ field: "nationalDrugCode", problem });
  for (const problem of insuranceDrugCodeProblems(entry.insuranceCode)) out.push({ field: "insuranceCode", problem });
  for (const problem of entry.gtin ? gtinProblems(entry.gtin) : []) out.push({ field: "gtin", problem });
  if (entry.validTo !== null && entry.validTo < entry.validFrom) out.push({ field: "validTo", problem: "ends before validFrom" });
  return out;
}

/** Whether the entry is in force on a day (YYYY-MM-DD) */
export const inForce = (entry: CatalogueEntry, day: string): boolean =>
  entry.validFrom <= day && (entry.validTo === null || day <= entry.validTo);

/** The entry as FHIR R4 MedicationKnowledge (id: its national drug code) */
export function medicationKnowledge(entry: CatalogueEntry, meta: { version: number; lastUpdated: string; today: string }) {
  return {
    resourceType: "MedicationKnowledge" as const,
    id: entry.nationalDrugCode,
    meta: { versionId: String(meta.version), lastUpdated: meta.lastUpdated },
    extension: [
      { url: INSURANCE_CATEGORY_EXTENSION, valueCode: entry.category },
      { url: CATALOGUE_VALIDITY_EXTENSION, valuePeriod: { start: entry.validFrom, ...(entry.validTo ? { end: entry.validTo } : {}) } },
      { url: CATALOGUE_VERSION_EXTENSION, valueInteger: meta.version },
    ],
    code: {
      coding: [
        { system: NATIONAL_DRUG_CODE_SYSTEM, code: entry.nationalDrugCode, display: entry.name },
        { system: INSURANCE_DRUG_CODE_SYSTEM, code: entry.insuranceCode, display: entry.genericName },
        ...(entry.gtin ? [{ system: GTIN_SYSTEM, code: gtin14(entry.gtin) }] : []),
      ],
      text: entry.name,
    },
    status: inForce(entry, meta.today) ? ("active" as const) : ("inactive" as const),
    manufacturer: { display: entry.manufacturer },
    doseForm: { text: entry.dosageForm },
    synonym: [entry.genericName],
    drugCharacteristic: [{ type: { text: "strength" }, valueString: entry.strength }],
  };
}
