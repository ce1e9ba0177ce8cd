/**
 * The monthly figures of public health per city (docs/public-health.md#monthly-figures), as FHIR
 * MeasureReports in the IHE mADX shape: one group per indicator, its count as the initial population,
 * each stratified by the residents' sex (the MPI's), the notifiable cases also by disease and by class. Counted from the month's encounters (the
 * hub's record locator: service type, diagnoses, class), birth certificates (the record locator's
 * current DocumentReferences typed LOINC 71230-7, one birth per newborn) and case reports (not void), by calendar month
 * in China Standard Time. Deterministic: the same inputs make the same reports (ids per month × city). Pure.
 */
import { ENCOUNTER_SERVICE_SYSTEM, ICD10_SYSTEM } from "#schemas/public-health.ts";

export const INDICATOR_SYSTEM = "https://hebei.health/fhir/CodeSystem/public-health-indicator";
export const MONTHLY_MEASURE = "https://hebei.health/fhir/Measure/public-health-monthly";
export const INDICATORS = [
  "notifiable-cases",
  "prenatal-visits",
  "deliveries",
  "child-health-checks",
  "hypertension-follow-ups",
  "diabetes-follow-ups",
  "tcm-outpatient-visits",
  "births",
] as const;
export type Indicator = (typeof INDICATORS)[number];

const CST_MS = 8 * 3_600_000;

/** The month (YYYY-MM, China Standard Time) of a FHIR dateTime: a date is read as it is written, an instant in CST */
export function monthOf(dateTime: string): string | undefined {
  if (/^\d{4}-\d{2}(-\d{2})?$/.test(dateTime)) return dateTime.slice(0, 7);
  const ms = Date.parse(dateTime);
  return Number.isNaN(ms) ? undefined : new Date(ms + CST_MS).toISOString().slice(0, 7);
}

/** The month's bounds as instants with the +08:00 offset */
export function monthPeriod(month: string): { start: string; end: string } {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
  return { start: `${month}-01T00:00:00+08:00`, end: `${next}-01T00:00:00+08:00` };
}

/** What the figures read of an encounter (the stored FHIR resource) */
export interface CountedEncounter {
  cityId: string;
  /** the resident (the record locator's entry names it): for the strata by sex */
  empi?: string;
  resource: {
    status?: string;
    class?: { code?: string };
    period?: { start?: string };
    serviceType?: { coding?: { system?: string; code?: string }[] };
    contained?: { id?: string; code?: { coding?: { system?: string; code?: string }[] } }[];
    diagnosis?: { condition?: { reference?: string } }[];
  };
}

export interface CountedReport {
  cityId: string;
  empi?: string;
  disease: string;
  diseaseClass: string;
  diagnosedAt: string;
  status: string;
}

/** A birth certificate as the record locator holds it (LOINC 71230-7): the newborn, its date, its status */
export interface CountedBirth {
  cityId: string;
  /** the newborn's EMPI: a certificate published again counts once */
  empi: string;
  /** DocumentReference.date (the certificate's), else when the hub recorded it */
  date: string;
  status: string;
}

export const BIRTH_CERTIFICATE_LOINC = "71230-7";

const SERVICE_INDICATOR: Record<string, Indicator> = {
  "prenatal-care": "prenatal-visits",
  delivery: "deliveries",
  "child-health-check": "child-health-checks",
};

/** ICD-10 three-character categories in [from, to] (same letter): I10–I15, E10–E14 */
const inCategories = (code: string, letter: string, from: number, to: number): boolean => {
  if (code[0] !== letter) return false;
  const n = Number(code.slice(1, 3));
  return n >= from && n <= to;
};

function diagnosisCodes(resource: CountedEncounter["resource"]): string[] {
  const referenced = new Set((resource.diagnosis ?? []).map((d) => d.condition?.reference?.slice(1)));
  return (resource.contained ?? [])
    .filter((c) => referenced.has(c.id))
    .flatMap((c) => (c.code?.coding ?? []).filter((k) => k.system === ICD10_SYSTEM && k.code).map((k) => k.code!));
}

/** The indicators one encounter counts towards */
export function encounterIndicators(resource: CountedEncounter["resource"]): Indicator[] {
  if (resource.status === "cancelled" || resource.status === "entered-in-error") return [];
  const service = resource.serviceType?.coding?.find((c) => c.system === ENCOUNTER_SERVICE_SYSTEM)?.code;
  const out: Indicator[] = [];
  const byService = service ? SERVICE_INDICATOR[service] : undefined;
  if (byService) out.push(byService);
  if (service === "tcm" && resource.class?.code === "AMB") out.push("tcm-outpatient-visits");
  const codes = diagnosisCodes(resource);
  if (codes.some((c) => inCategories(c, "I", 10, 15))) out.push("hypertension-follow-ups");
  if (codes.some((c) => inCategories(c, "E", 10, 14))) out.push("diabetes-follow-ups");
  return out;
}

export const measureReportId = (cityId: string, month: string): string => `mr-${cityId}-${month}`;

/** The strata by sex (FHIR administrative gender): a resident whose sex the MPI does not know is `unknown` */
export const SEXES = ["female", "male", "other", "unknown"] as const;
export type CountedSex = (typeof SEXES)[number];
const sexOf = (sexes: ReadonlyMap<string, string> | undefined, empi: string | undefined): CountedSex => {
  const sex = empi ? sexes?.get(empi) : undefined;
  return (SEXES as readonly string[]).includes(sex ?? "") ? (sex as CountedSex) : "unknown";
};

/** The month's MeasureReport of each city (every city named, with zeros where nothing happened) */
export function monthlyReports(
  month: string,
  cities: readonly string[],
  encounters: readonly CountedEncounter[],
  reports: readonly CountedReport[],
  births: readonly CountedBirth[] = [],
  /** each counted resident's sex, by EMPI (the MPI's records): the strata by sex */
  sexes?: ReadonlyMap<string, string>,
) {
  const counts = new Map(cities.map((c) => [c, new Map<Indicator, number>(INDICATORS.map((i) => [i, 0]))]));
  const bySex = new Map(cities.map((c) => [c, new Map<Indicator, Map<string, number>>(INDICATORS.map((i) => [i, new Map()]))]));
  const diseases = new Map(cities.map((c) => [c, new Map<string, number>()]));
  const classes = new Map(cities.map((c) => [c, new Map<string, number>()]));
  const add = <K>(m: Map<K, number>, k: K) => m.set(k, (m.get(k) ?? 0) + 1);
  for (const e of encounters) {
    const city = counts.get(e.cityId);
    if (!city || !e.resource.period?.start || monthOf(e.resource.period.start) !== month) continue;
    for (const indicator of encounterIndicators(e.resource)) {
      add(city, indicator);
      add(bySex.get(e.cityId)!.get(indicator)!, sexOf(sexes, e.empi));
    }
  }
  const born = new Set<string>();
  for (const b of births) {
    const city = counts.get(b.cityId);
    if (!city || b.status !== "current" || monthOf(b.date) !== month || born.has(b.empi)) continue;
    born.add(b.empi);
    add(city, "births");
    add(bySex.get(b.cityId)!.get("births")!, sexOf(sexes, b.empi));
  }
  for (const r of reports) {
    const city = counts.get(r.cityId);
    if (!city || r.status === "void" || monthOf(r.diagnosedAt) !== month) continue;
    add(city, "notifiable-cases");
    add(bySex.get(r.cityId)!.get("notifiable-cases")!, sexOf(sexes, r.empi));
    add(diseases.get(r.cityId)!, r.disease);
    add(classes.get(r.cityId)!, r.diseaseClass);
  }
  const period = monthPeriod(month);
  const stratifier = (code: string, values: Map<string, number>) => ({
    code: [{ text: code }],
    stratum: [...values.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([value, count]) => ({ value: { text: value }, population: [{ code: initialPopulation, count }] })),
  });
  return cities.map((cityId) => ({
    resourceType: "MeasureReport" as const,
    id: measureReportId(cityId, month),
    status: "complete",
    type: "summary",
    measure: MONTHLY_MEASURE,
    subject: { identifier: { system: "https://hebei.health/sid/city", value: cityId } },
    date: period.end,
    period,
    group: INDICATORS.map((indicator) => ({
      code: { coding: [{ system: INDICATOR_SYSTEM, code: indicator }] },
      population: [{ code: initialPopulation, count: counts.get(cityId)!.get(indicator)! }],
      stratifier: [
        ...(indicator === "notifiable-cases"
          ? [stratifier("disease", diseases.get(cityId)!), stratifier("class", classes.get(cityId)!)]
          : []),
        stratifier("sex", bySex.get(cityId)!.get(indicator)!),
      ],
    })),
  }));
}

const initialPopulation = { coding: [{ system: "http://terminology.hl7.org/CodeSystem/measure-population", code: "initial-population" }] };

export type MonthlyReport = ReturnType<typeof monthlyReports>[number];

/** A kept MeasureReport's counts by indicator (what the dashboard draws) */
export function figuresOf(report: Record<string, unknown>): Record<string, number> {
  const groups = (report.group ?? []) as { code?: { coding?: { code?: string }[] }; population?: { count?: number }[] }[];
  return Object.fromEntries(
    groups.flatMap((g) => (g.code?.coding?.[0]?.code ? [[g.code.coding[0].code, g.population?.[0]?.count ?? 0]] : [])),
  );
}
