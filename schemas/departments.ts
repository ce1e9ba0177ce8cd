/**
 * The department exchange's contracts (issue 16): the service catalogue's shape, FHIR messages
 * (a Bundle of type `message` whose first entry is a MessageHeader), and the delivery queue's message.
 * Member ids and events: schemas/department-members.ts (light; read paths import that one).
 */
import { z } from "zod";
import { MEMBER_IDS, MESSAGE_EVENT_SYSTEM, MESSAGE_EVENTS } from "./department-members.ts";

export const memberIdSchema = z.enum(MEMBER_IDS);
export const messageEventSchema = z.enum(MESSAGE_EVENTS);

/** Share classes of the 2025 regulation on government data sharing */
export const SHARE_CLASSES = ["unconditional", "conditional", "not-shared"] as const;
export type ShareClass = (typeof SHARE_CLASSES)[number];

export interface DepartmentService {
  /** The service id, which is also the message event it carries */
  id: string;
  name: string;
  /** The member offering the service (the health cloud, or a department) */
  provider: string;
  /** The members that receive it, or may call it */
  consumers: readonly string[];
  shareClass: ShareClass;
  fields: readonly string[];
  legalBasis: string;
}

const MESSAGE_ID = /^[A-Za-z0-9\-.]{1,64}$/;

const resourceSchema = z.looseObject({ resourceType: z.string().min(1).max(64), id: z.string().max(64).optional() });

export const messageHeaderSchema = z.looseObject({
  resourceType: z.literal("MessageHeader"),
  id: z.string().regex(MESSAGE_ID, "a FHIR id: 1-64 of [A-Za-z0-9-.]"),
  eventCoding: z.object({ system: z.literal(MESSAGE_EVENT_SYSTEM), code: messageEventSchema }),
  source: z.looseObject({ endpoint: z.string().min(1).max(200) }),
  destination: z
    .array(z.looseObject({ endpoint: z.string().min(1).max(200) }))
    .min(1)
    .max(10),
  focus: z
    .array(z.object({ reference: z.string().min(1).max(200) }))
    .max(20)
    .optional(),
  response: z.object({ identifier: z.string().max(64), code: z.enum(["ok", "transient-error", "fatal-error"]) }).optional(),
});
export type MessageHeader = z.infer<typeof messageHeaderSchema>;

/** A FHIR message as it travels: the header first, then the focus resources */
export const messageBundleSchema = z.looseObject({
  resourceType: z.literal("Bundle"),
  type: z.literal("message"),
  id: z.string().max(64).optional(),
  timestamp: z.string().max(40).optional(),
  entry: z
    .array(z.looseObject({ fullUrl: z.string().max(200).optional(), resource: resourceSchema }))
    .min(1)
    .max(50),
});
export type MessageBundle = z.infer<typeof messageBundleSchema>;

/** One delivery on the department delivery queue: a message to one member */
export const departmentDeliverySchema = z.object({
  type: z.literal("department-delivery"),
  version: z.literal(1),
  /** `<message id>|<member>`: the outbox record's key */
  messageId: z.string().min(1).max(140),
  member: memberIdSchema,
  event: messageEventSchema,
  bundle: messageBundleSchema,
});
export type DepartmentDelivery = z.infer<typeof departmentDeliverySchema>;

/** POST /xchg/access-requests (a member) */
export const accessRequestSchema = z.strictObject({
  service: z.string().min(1).max(64),
  purpose: z.string().min(1).max(500),
  legalBasis: z.string().min(1).max(500),
});

/** POST /xchg/access-requests/{id}/decision (the operator) */
export const accessDecisionSchema = z.strictObject({
  decision: z.enum(["grant", "deny", "revoke"]),
  reason: z.string().min(1).max(500),
  /** A grant's length in days (none: until revoked) */
  days: z.int().min(1).max(3660).optional(),
});

/** A change of a resident's vital status, on the hub's ResidentEvents queue (its consumer runs the death's cascade) */
export const residentVitalEventSchema = z.object({
  type: z.literal("resident-vital-change"),
  version: z.literal(1),
  /** `vital-<empi>-<status version>`: one per change */
  messageId: z.string().min(1).max(140),
  empi: z.string().min(1).max(20),
  /** "born": a newborn registered under its mother's number, with its own EMPI (the birth-notification) */
  change: z.enum(["deceased", "restored", "born"]),
  deceasedDateTime: z.string().max(40).optional(),
  residentId: z.string().max(18).optional(),
  /** a hospital's report (the death-notification goes to the departments), or public security's register */
  source: z.enum(["health", "public-security"]),
  /** the hospital that reported it */
  reportedBy: z.string().max(20).optional(),
  /** a newborn's Patient as registered (born) */
  newborn: z.looseObject({ resourceType: z.literal("Patient") }).optional(),
  at: z.string().max(40),
});
export type ResidentVitalEvent = z.infer<typeof residentVitalEventSchema>;
