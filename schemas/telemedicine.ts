/**
 * Three-tier telemedicine (docs/telemedicine.md): the code systems, the ServiceRequest a hospital
 * sends (POST /fhir/ServiceRequest), the Task update it PUTs (PUT /fhir/Task/{id}) and the Task
 * search's query. Shapes only; the rules (who moves a Task where) are in lambdas/domain/telemedicine.
 */
import { z } from "zod";
import { DEPARTMENT_SYSTEM, DEPARTMENTS, HHC_PRACTITIONER_ROLE_SYSTEM, TELEMEDICINE_EXPERT } from "./registry-codes.ts";

export const TELEMEDICINE_CATEGORY_SYSTEM = "https://hebei.health/fhir/CodeSystem/telemedicine-category";
export const TASK_BUSINESS_STATUS_SYSTEM = "https://hebei.health/fhir/CodeSystem/telemedicine-task-status";
export const INFORMED_CONSENT_URL = "https://hebei.health/fhir/StructureDefinition/informed-consent";
/** On a Task: the hospital of its owner (PractitionerRole), so a party knows whose the Task is */
export const OWNER_ORGANIZATION_URL = "https://hebei.health/fhir/StructureDefinition/owner-organization";
/** The second `code` entry of an expert's PractitionerRole (the registry allows exactly this one) */
export const TELEMEDICINE_EXPERT_CODE = TELEMEDICINE_EXPERT;
export const TELEMEDICINE_EXPERT_SYSTEM = HHC_PRACTITIONER_ROLE_SYSTEM;

export const TELEMEDICINE_CATEGORIES = ["consult", "imaging-read", "ecg-read", "pathology-read", "referral"] as const;
export type TelemedicineCategory = (typeof TELEMEDICINE_CATEGORIES)[number];
export const TELEMEDICINE_PRIORITIES = ["routine", "urgent", "stat"] as const;
export type TelemedicinePriority = (typeof TELEMEDICINE_PRIORITIES)[number];

/** FHIR Task.status values a Task takes here ("rejected" is sent by an owner, and returns the Task to requested) */
export const TASK_STATUSES = ["requested", "accepted", "rejected", "on-hold", "in-progress", "completed", "cancelled"] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const BUSINESS_STATUSES = [
  "awaiting-assignment",
  "assigned",
  "escalated",
  "no-expert",
  "report-overdue",
  "report-reviewed",
] as const;
export type BusinessStatus = (typeof BUSINESS_STATUSES)[number];

const text = z.string().trim().min(1, "must not be empty").max(4000);
const id = z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/, "must be a FHIR id");
const coding = z.object({
  system: z.string().min(1).max(1024),
  code: z.string().min(1).max(200),
  display: z.string().max(1024).optional(),
});
const note = z.array(z.object({ text })).min(1).max(20);
const DEPARTMENT_CODES = Object.keys(DEPARTMENTS) as [keyof typeof DEPARTMENTS, ...(keyof typeof DEPARTMENTS)[]];

export const serviceRequestSchema = z
  .object({
    resourceType: z.literal("ServiceRequest"),
    /** the requesting hospital's own identifier (its order number): a retry with it never makes a second Task */
    identifier: z
      .array(z.object({ system: z.string().min(1).max(1024), value: z.string().trim().min(1).max(64) }))
      .min(1)
      .max(5)
      .optional(),
    status: z.literal("active").optional(),
    intent: z.literal("order").optional(),
    category: z
      .array(
        z.object({
          coding: z
            .array(z.object({ system: z.literal(TELEMEDICINE_CATEGORY_SYSTEM), code: z.enum(TELEMEDICINE_CATEGORIES) }))
            .length(1, "one coding of the telemedicine categories"),
        }),
      )
      .length(1, "a request has exactly one category"),
    priority: z.enum(TELEMEDICINE_PRIORITIES),
    subject: z.object({ identifier: z.object({ system: z.string().min(1).max(1024), value: z.string().trim().min(1).max(64) }) }),
    requester: z.object({ reference: z.string().regex(/^Practitioner\/[A-Za-z0-9\-.]{1,64}$/, "must be Practitioner/<id>") }).optional(),
    performerType: z.object({
      coding: z
        .array(z.object({ system: z.literal(DEPARTMENT_SYSTEM), code: z.enum(DEPARTMENT_CODES) }))
        .length(1, "one department code: the wanted specialty"),
    }),
    reasonCode: z
      .array(z.object({ coding: z.array(coding).optional(), text: text.optional() }))
      .max(10)
      .optional(),
    note: note.optional(),
    supportingInfo: z
      .array(z.object({ reference: z.string().regex(/^DocumentReference\/[A-Za-z0-9\-.]{1,64}$/, "must be DocumentReference/<id>") }))
      .min(1, "at least one of the resident's DocumentReferences: the minimum dataset the expert reads")
      .max(20),
    extension: z.array(z.object({ url: z.string().min(1), valueBoolean: z.boolean().optional() })).max(20),
    /** a down-referral: the referral it follows (docs/telemedicine.md#referrals) */
    basedOn: z
      .array(z.object({ reference: z.string().regex(/^ServiceRequest\/[A-Za-z0-9\-.]{1,64}$/, "must be ServiceRequest/<id>") }))
      .length(1, "one ServiceRequest: the referral this down-referral follows")
      .optional(),
  })
  .superRefine((request, ctx) => {
    if (request.basedOn && request.category[0]?.coding[0]?.code !== "referral")
      ctx.addIssue({ code: "custom", path: ["basedOn"], message: "only a down-referral (category referral) is basedOn a ServiceRequest" });
    const consent = request.extension.find((e) => e.url === INFORMED_CONSENT_URL);
    if (consent?.valueBoolean !== true)
      ctx.addIssue({
        code: "custom",
        path: ["extension"],
        message: `${INFORMED_CONSENT_URL} valueBoolean true: the requester attests the patient's signed informed consent`,
      });
    if (!request.reasonCode?.length && !request.note?.length)
      ctx.addIssue({ code: "custom", path: ["reasonCode"], message: "a reasonCode or a note says what the expert is asked" });
  });
export type ServiceRequestInput = z.infer<typeof serviceRequestSchema>;

/** The Task a party PUTs: the status it moves to and what goes with it; everything else is the hub's */
export const taskUpdateSchema = z.object({
  resourceType: z.literal("Task"),
  id: id.optional(),
  status: z.enum(TASK_STATUSES),
  businessStatus: z
    .object({ coding: z.array(z.object({ system: z.string().optional(), code: z.enum(BUSINESS_STATUSES) })).min(1) })
    .optional(),
  statusReason: z.object({ text }).optional(),
  note: note.optional(),
  output: z
    .array(
      z.object({
        type: z.object({ text: z.string().max(200).optional() }).optional(),
        valueReference: z.object({
          reference: z.string().regex(/^DocumentReference\/[A-Za-z0-9\-.]{1,64}$/, "must be DocumentReference/<id>"),
        }),
      }),
    )
    .max(5)
    .optional(),
});
export type TaskUpdateInput = z.infer<typeof taskUpdateSchema>;

/** GET /fhir/Task: by requester or owner hospital (exactly one), narrowed by status and _lastUpdated */
export const taskSearchSchema = z
  .object({
    requester: z
      .string()
      .regex(/^Organization\/[A-Za-z0-9\-.]{1,64}$/, "must be Organization/<id>")
      .optional(),
    "owner-organization": z
      .string()
      .regex(/^(Organization\/)?[A-Za-z0-9\-.]{1,64}$/, "must be <id> or Organization/<id>")
      .optional(),
    status: z.enum(TASK_STATUSES).optional(),
    _lastUpdated: z
      .string()
      .regex(/^(gt|ge|lt|le)?\d{4}-\d{2}-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:\d{2}))?$/, "must be [gt|ge|lt|le]<date or instant>")
      .optional(),
  })
  .refine((q) => Boolean(q.requester) !== Boolean(q["owner-organization"]), {
    message: "exactly one of requester or owner-organization",
    path: ["requester"],
  });
export type TaskSearch = z.infer<typeof taskSearchSchema>;
