/**
 * Consent, sensitive records and break-the-glass (docs/consent.md): the FHIR R4 Consent a hospital
 * records for a resident (IHE Privacy Consent on FHIR), the $decide Parameters, the privacy context a
 * city asks the hub for on every read, and the break-the-glass review.
 */
import { z } from "zod";

import { PURPOSES, SENSITIVE_LABELS } from "./privacy.ts";

const isoInstant = z.iso.datetime({ offset: true });
const fhirDateTime = z.union([z.iso.date(), isoInstant], { error: "must be a FHIR dateTime (YYYY-MM-DD or an ISO instant with offset)" });
const identifierSchema = z.object({ system: z.string().min(1).max(200), value: z.string().min(1).max(128) });
const codingSchema = z.object({
  system: z.string().min(1).max(200).optional(),
  code: z.string().min(1).max(64),
  display: z.string().max(200).optional(),
});
const conceptSchema = z.object({ coding: z.array(codingSchema).min(1).max(10), text: z.string().max(500).optional() });
const referenceSchema = z.object({
  reference: z.string().min(1).max(200).optional(),
  identifier: identifierSchema.optional(),
  display: z.string().max(200).optional(),
});
const periodSchema = z.object({ start: fhirDateTime.optional(), end: fhirDateTime.optional() });

const purposeCoding = codingSchema.refine((c) => (PURPOSES as readonly string[]).includes(c.code), {
  error: `must be a PurposeOfUse code: ${PURPOSES.join(", ")}`,
});
const labelCoding = codingSchema.refine((c) => (SENSITIVE_LABELS as readonly string[]).includes(c.code), {
  error: `must be a sensitive category: ${SENSITIVE_LABELS.join(", ")}`,
});

/** A guardian signing for a minor: a contained RelatedPerson with the relationship and the guardian's ID */
const relatedPersonSchema = z.object({
  resourceType: z.literal("RelatedPerson"),
  id: z.string().min(1).max(64),
  relationship: z.array(conceptSchema).min(1).max(5),
  identifier: z.array(identifierSchema).min(1).max(5),
  name: z
    .array(
      z.object({
        text: z.string().max(200).optional(),
        family: z.string().max(100).optional(),
        given: z.array(z.string().max(100)).max(5).optional(),
      }),
    )
    .max(5)
    .optional(),
  patient: referenceSchema.optional(),
});

export const consentSchema = z.object({
  resourceType: z.literal("Consent"),
  id: z.string().max(64).optional(),
  status: z.enum(["draft", "proposed", "active", "rejected", "inactive", "entered-in-error"]),
  scope: conceptSchema,
  category: z.array(conceptSchema).min(1).max(5),
  patient: z.object({ identifier: identifierSchema }),
  dateTime: isoInstant,
  performer: z.array(referenceSchema).max(5).optional(),
  contained: z.array(relatedPersonSchema).max(5).optional(),
  policyRule: conceptSchema,
  sourceAttachment: z
    .object({
      contentType: z.string().max(200).optional(),
      url: z.string().max(2000).optional(),
      title: z.string().max(500).optional(),
      data: z.string().max(1_000_000).optional(),
    })
    .optional(),
  sourceReference: referenceSchema.optional(),
  provision: z.object({
    type: z.enum(["permit", "deny"]),
    period: periodSchema.optional(),
    actor: z
      .array(z.object({ role: conceptSchema.optional(), reference: referenceSchema }))
      .max(50)
      .optional(),
    purpose: z.array(purposeCoding).max(5).optional(),
    securityLabel: z.array(labelCoding).max(6).optional(),
  }),
});
export type ConsentInput = z.infer<typeof consentSchema>;

/** POST /fhir/Consent/$decide: a Parameters of patient, purpose, securityLabel (repeatable) */
export const decideParametersSchema = z.object({
  resourceType: z.literal("Parameters"),
  parameter: z
    .array(
      z.object({
        name: z.enum(["patient", "purpose", "securityLabel"]),
        valueIdentifier: identifierSchema.optional(),
        valueCoding: codingSchema.optional(),
      }),
    )
    .min(1)
    .max(12),
});
export type DecideParameters = z.infer<typeof decideParametersSchema>;

/** POST /privacy/break-glass/{id}/review (operator): the privacy officer's outcome and note */
export const breakGlassReviewSchema = z.strictObject({
  outcome: z.enum(["justified", "unjustified"]),
  note: z.string().min(1).max(2000),
});
export type BreakGlassReview = z.infer<typeof breakGlassReviewSchema>;

/** GET /privacy/break-glass?status=unreviewed|reviewed|overdue */
export const breakGlassQuerySchema = z.strictObject({ status: z.enum(["unreviewed", "reviewed", "overdue"]).optional() });
