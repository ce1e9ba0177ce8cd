/**
 * Public health (docs/public-health.md, issue 17): the diagnoses and service type an Encounter may
 * carry, the case-report message a hospital posts to `$process-message`, the case report as the hub
 * keeps it and as the lists show it, and the city → hub call that carries a report. The notifiable
 * diseases themselves (codes, classes, deadlines) are data in lambdas/domain/public-health/diseases.ts.
 */
import { z } from "zod";

export {
  CASE_REPORT_SYSTEM,
  type Condition,
  conditionSchema,
  ENCOUNTER_SERVICE_SYSTEM,
  encounterDiagnosisFields,
  ICD10_CODE,
  ICD10_SYSTEM,
  SERVICE_TYPES,
  type ServiceType,
} from "./encounter-diagnosis.ts";

import { type Condition, conditionSchema, ICD10_CODE, ICD10_SYSTEM } from "./encounter-diagnosis.ts";

const isoInstant = z.iso.datetime({ offset: true });
const identifierSchema = z.object({ system: z.string().min(1).max(200), value: z.string().min(1).max(128) });

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
