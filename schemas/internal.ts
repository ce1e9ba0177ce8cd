/** Bodies of the hub's internal API that are not FHIR resources. */
import { z } from "zod";

/** POST /internal/practitioner-check: is this practitioner active at this hospital? */
export const practitionerCheckRequestSchema = z.strictObject({
  hospitalId: z.string().min(1).max(64),
  practitionerId: z.string().min(1).max(64),
});
export type PractitionerCheckRequest = z.infer<typeof practitionerCheckRequestSchema>;

export const practitionerCheckResponseSchema = z.discriminatedUnion("active", [
  z.object({ active: z.literal(true), practitionerId: z.string(), roles: z.array(z.string()) }),
  z.object({ active: z.literal(false), reason: z.string() }),
]);
export type PractitionerCheckResponse = z.infer<typeof practitionerCheckResponseSchema>;

/** Header a city adds when it forwards a hospital's request to the hub's internal API */
export const ACTING_HOSPITAL_HEADER = "x-hhc-hospital";
/** Header a city adds beside X-HHC-Hospital when it forwards a hospital's request: its own city id (informative: the hub reads the city from the caller's IAM identity) */
export const ACTING_CITY_HEADER = "x-hhc-city";
export const PRACTITIONER_HEADER = "x-practitioner-id";
/**
 * A city asks the hub to record a forwarded access's AuditEvent itself, in the same write as what the hub
 * records of it (a health card verification naming no practitioner: docs/health-card.md); the hub answers
 * AUDITED_AT_HUB_HEADER with the AuditEvent's id when it did, and the city, without it, audits as always.
 */
export const AUDIT_AT_HUB_HEADER = "x-hhc-audit";
export const AUDITED_AT_HUB_HEADER = "x-hhc-audited";
