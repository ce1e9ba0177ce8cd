/**
 * What a city needs to decide a read (docs/consent.md), apart from the Consent resource itself
 * (schemas/consent.ts): the purposes and sensitive labels, the read's headers, and the privacy context
 * the hub answers. Its own module so that every reading function carries only these few schemas.
 */
import { z } from "zod";

export const CONSENT_SCOPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/consentscope";
export const CONSENT_CATEGORY_LOINC = "59284-0";
export const PURPOSE_OF_USE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ActReason";
export const ACT_CODE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
export const CONFIDENTIALITY_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality";

/** PurposeOfUse codes a Consent or a read may carry */
export const PURPOSES = ["TREAT", "ETREAT", "HPAYMT", "PUBHLTH", "HRESCH"] as const;
export type Purpose = (typeof PURPOSES)[number];
/** Sensitivity codes (v3-ActCode) that make a document sensitive, beside confidentiality R */
export const SENSITIVITY_CODES = ["HIV", "PSY", "SDV", "ETH", "GDIS"] as const;
/** The labels a Consent may name: the sensitivity codes and confidentiality R */
export const SENSITIVE_LABELS = ["R", ...SENSITIVITY_CODES] as const;
export type SensitiveLabel = (typeof SENSITIVE_LABELS)[number];

/** Headers of a read: the purpose of use and, for ETREAT, why the glass is broken */
export const PURPOSE_HEADER = "x-purpose-of-use";
export const BREAK_GLASS_REASON_HEADER = "x-break-glass-reason";

/** A dateTime as the decider compares it */
const periodSchema = z.object({ start: z.string().optional(), end: z.string().optional() });

/** A recorded Consent as the decider reads it (domain/consent/policy.ts) */
export const consentRuleSchema = z.object({
  id: z.string(),
  empi: z.string(),
  status: z.enum(["active", "inactive"]),
  dateTime: z.string(),
  type: z.enum(["permit", "deny"]),
  /** hospital ids the provision names; absent: everyone */
  actors: z.array(z.string()).optional(),
  purposes: z.array(z.string()).optional(),
  labels: z.array(z.string()).optional(),
  period: periodSchema.optional(),
});
export type ConsentRule = z.infer<typeof consentRuleSchema>;

/** POST /internal/privacy/context: what the city needs to decide a hospital's read about one resident */
export const privacyContextRequestSchema = z.strictObject({
  /** an EMPI (the city resolved it) */
  empi: z.string().min(1).max(64),
  practitionerId: z.string().min(1).max(64).optional(),
  purpose: z.enum(PURPOSES).optional(),
  /** ETREAT with a reason: opens the resident to the practitioner (a practitioner with an emergency role) */
  breakGlass: z.strictObject({ reason: z.string().min(1).max(1000) }).optional(),
});
export type PrivacyContextRequest = z.infer<typeof privacyContextRequestSchema>;

export const breakGlassGrantSchema = z.object({ id: z.string(), reason: z.string(), at: z.string(), expires: z.string() });
export type BreakGlassGrant = z.infer<typeof breakGlassGrantSchema>;

export const privacyContextSchema = z.object({
  /** the resident's EMPI as the MPI answers it (the survivor of a merge); absent: unknown resident */
  empi: z.string().optional(),
  /** the calling hospital's treatment relationship with the resident, now */
  relationship: z.boolean(),
  /** the resident's consents (active and revoked: the decider keeps the active ones) */
  consents: z.array(consentRuleSchema),
  /** the practitioner's break-the-glass access to this resident, while it lasts */
  breakGlass: breakGlassGrantSchema.optional(),
  /** documents the hospital may read as the owner of an open telemedicine Task (its ServiceRequest's supportingInfo) */
  telemedicineDocuments: z.array(z.string()),
  policyVersion: z.string(),
});
export type PrivacyContext = z.infer<typeof privacyContextSchema>;
