/**
 * Audit events on their own path (city AuditLog → hub Audit queue → audit repository).
 * The FHIR AuditEvent travels whole, with the few values the repository indexes it by.
 */
import { z } from "zod";
import { cityIdSchema } from "./city.ts";

export const auditOutcomeSchema = z.enum(["0", "4", "8", "12"]);

export const auditIndexSchema = z.object({
  recorded: z.iso.datetime({ offset: true }),
  /** "system|value" of every patient identifier the access named */
  patients: z.array(z.string()),
  /** Hospital id and, where a person acted, practitioner id */
  agents: z.array(z.string()),
  outcome: auditOutcomeSchema,
  node: z.string(),
});
export type AuditIndex = z.infer<typeof auditIndexSchema>;

/** City → hub (Audit queue) */
export const auditEventMessageV1 = z.object({
  type: z.literal("audit-event"),
  version: z.literal(1),
  /** The AuditEvent's id */
  messageId: z.string().min(1),
  cityId: cityIdSchema,
  index: auditIndexSchema,
  event: z.record(z.string(), z.unknown()).refine((e) => e.resourceType === "AuditEvent", "event must be an AuditEvent"),
});
export type AuditEventMessageV1 = z.infer<typeof auditEventMessageV1>;

export const auditMessageSchema = z.discriminatedUnion("type", [auditEventMessageV1]);
