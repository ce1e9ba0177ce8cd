/**
 * Public health (docs/public-health.md, issue 17): the diagnoses and service type an Encounter may
 * carry, the case-report message a hospital posts to `$process-message`, the case report as the hub
 * keeps it and as the lists show it, and the city → hub call that carries a report. The notifiable
 * diseases themselves (codes, classes, deadlines) are data in lambdas/domain/public-health/diseases.ts.
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
const identifierSchema = z.object({ system: z.string().min(1).max(200), value: z.string().min(1).max(128) });
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

/** ICD-10 code of a Condition (its first coding under the ICD-10 system) */
export const icd10Of = (condition: Pick<Condition, "code">): string =>
  condition.code.coding.find((c) => c.system === ICD10_SYSTEM && ICD10_CODE.test(c.code))!.code;

/** POST <city>/fhir/$process-message: a FHIR message Bundle; its MessageHeader first (read loosely, then by the domain) */
export const messageBundleSchema = z.looseObject({
  resourceType: z.literal("Bundle"),
  type: z.literal("message"),
  entry: z
    .array(z.looseObject({ fullUrl: z.string().max(200).optional(), resource: z.looseObject({ resourceType: z.string().max(64) }) }))
    .min(1)
    .max(10),
});
export type MessageBundle = z.infer<typeof messageBundleSchema>;

export const messageHeaderSchema = z.object({
  resourceType: z.literal("MessageHeader"),
  id: z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/),
  eventCoding: z.object({ system: z.string(), code: z.string() }),
  source: z.object({ endpoint: z.string().min(1).max(200) }),
  focus: z
    .array(z.object({ reference: z.string().max(200) }))
    .max(5)
    .optional(),
  author: z.object({ reference: z.string().max(200) }).optional(),
});

/** The case-report Condition of a message: the disease, the diagnosis time, the patient and encounter by identifier */
export const reportedConditionSchema = conditionSchema.extend({
  subject: z.object({ identifier: identifierSchema }),
  encounter: z.object({ identifier: identifierSchema }).optional(),
});

export const REPORT_STATUSES = ["received", "forwarded", "accepted", "rejected", "void"] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/** City → hub (POST /internal/public-health/case-reports): one message of a hospital, read and checked by the city */
export const caseMessageSchema = z.object({
  messageId: z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/),
  event: z.enum(["case-report", "update", "void"]),
  practitionerId: z.string().min(1).max(64),
  /** update and void: the report they amend or retract */
  reportId: z.string().max(64).optional(),
  /** case-report and update: the resident (EMPI), the identifier the hospital named, the disease, the diagnosis time */
  empi: z.string().min(1).max(64).optional(),
  resident: z.array(identifierSchema).max(5).optional(),
  code: z.string().max(40).optional(),
  diagnosedAt: isoInstant.optional(),
  /** the encounter's id at the city (`<cityId>-e…`) */
  encounterId: z.string().max(80).optional(),
});
export type CaseMessage = z.infer<typeof caseMessageSchema>;

/** A case report as the hub keeps it and the lists show it */
export interface CaseReport {
  reportId: string;
  /** The first message's id (MessageHeader.id as the hospital sent it) */
  messageId: string;
  hospitalId: string;
  cityId: string;
  practitionerId: string;
  empi: string;
  resident: { system: string; value: string }[];
  /** The notifiable disease's id in the list (docs/public-health.md), and the ICD-10 code reported */
  disease: string;
  diseaseClass: "A" | "B-as-A" | "B" | "C";
  code: string;
  diagnosedAt: string;
  deadline: string;
  receivedAt: string;
  late: boolean;
  status: ReportStatus;
  encounterId?: string;
  forwardedAt?: string;
  answeredAt?: string;
  /** Messages folded into it (duplicates within 7 days, updates) and its retraction */
  amendments: { messageId: string; kind: "duplicate" | "update" | "void"; at: string }[];
  /** How many messages went to disease control for it (the next one's sequence) */
  sent: number;
}

/** A notifiable diagnosis on an encounter awaiting its case report (the forgotten case's watch) */
export interface CaseExpectation {
  encounterId: string;
  hospitalId: string;
  cityId: string;
  empi: string;
  disease: string;
  code: string;
  diagnosedAt: string;
  deadline: string;
  /** diagnosis time + half the disease's limit: the hospital is reminded then */
  remindAt: string;
  reminded: boolean;
  missing: boolean;
}

export const caseReportQuerySchema = z.object({
  status: z.enum(REPORT_STATUSES).optional(),
  from: isoInstant.optional(),
  disease: z.string().min(1).max(40).optional(),
  city: z.string().min(1).max(40).optional(),
});

/** City → hub (POST /internal/public-health/expectations): an encounter's notifiable diagnoses */
export const expectationsRequestSchema = z.object({
  diagnoses: z
    .array(
      z.object({
        encounterId: z.string().min(1).max(80),
        empi: z.string().min(1).max(64),
        code: z.string().regex(ICD10_CODE),
        diagnosedAt: isoInstant,
      }),
    )
    .min(1)
    .max(20),
});
