/**
 * The diagnoses and service type an Encounter may carry (public health, docs/public-health.md): a
 * light module, apart from the case-report messages in public-health.ts, because the documents' read
 * and write paths parse Encounters and their bundles must stay small (zod schemas are not tree-shaken).
 */
import { z } from "zod";

export const ICD10_SYSTEM = "http://hl7.org/fhir/sid/icd-10";
export const ENCOUNTER_SERVICE_SYSTEM = "https://hebei.health/fhir/CodeSystem/encounter-service";
export const SERVICE_TYPES = ["prenatal-care", "delivery", "child-health-check", "chronic-follow-up", "tcm", "general"] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];
/** The identifier system of a case report's id at the hub (the answer's focus) */
export const CASE_REPORT_SYSTEM = "https://hebei.health/sid/case-report";

const isoInstant = z.iso.datetime({ offset: true });
const fhirDateTime = z.union([z.iso.date(), isoInstant], { error: "must be a FHIR dateTime (YYYY-MM-DD or an ISO instant with offset)" });
/** ICD-10 (A00) and its refinements, the national clinical edition's longer codes (A01.000x001) included */
export const ICD10_CODE = /^[A-Z][0-9]{2}(\.[0-9A-Za-z+]{1,12})?$/;
const codingSchema = z.object({
  system: z.string().min(1).max(200).optional(),
  code: z.string().min(1).max(40),
  display: z.string().optional(),
});

/** A Condition as an Encounter contains it (its id referenced as `#<id>`) or a case report carries it */
export const conditionSchema = z.object({
  resourceType: z.literal("Condition"),
  id: z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/),
  code: z
    .object({ coding: z.array(codingSchema).min(1).max(10), text: z.string().max(200).optional() })
    .refine((code) => code.coding.some((c) => c.system === ICD10_SYSTEM && ICD10_CODE.test(c.code)), {
      message: `needs a coding under ${ICD10_SYSTEM} (an ICD-10 code such as A09 or A01.000)`,
      path: ["coding"],
    }),
  onsetDateTime: fhirDateTime.optional(),
  /** The diagnosis time */
  recordedDate: isoInstant,
});
export type Condition = z.infer<typeof conditionSchema>;

/** What an Encounter adds for public health (optional: encounters without them stay valid) */
export const encounterDiagnosisFields = {
  contained: z.array(conditionSchema).max(20).optional(),
  diagnosis: z
    .array(
      z.object({
        condition: z.object({ reference: z.string().regex(/^#[A-Za-z0-9\-.]{1,64}$/, "must reference a contained Condition: #<id>") }),
        rank: z.number().int().min(1).max(100).optional(),
      }),
    )
    .max(20)
    .optional(),
  serviceType: z
    .object({
      coding: z.array(z.object({ system: z.literal(ENCOUNTER_SERVICE_SYSTEM), code: z.enum(SERVICE_TYPES) })).length(1),
      text: z.string().max(100).optional(),
    })
    .optional(),
};
