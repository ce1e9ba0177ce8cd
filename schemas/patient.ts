/**
 * The Patient resource of the patient feed (IHE PIXm ITI-104) and the identifier systems of the
 * master patient index. Structural faults (not a Patient, a date that is not a FHIR date, an
 * identifier value of the wrong length or characters) fail here with the field named; a well-formed
 * resident ID number whose check character or date is wrong passes, and the index keeps and flags it.
 */
import { z } from "zod";
import { isMalformedResidentId } from "./checks/resident-id.ts";

import { EMPI_SYSTEM, HEALTH_CARD_SYSTEM, MRN_SYSTEM_PREFIX, mrnHospital, parseToken, RESIDENT_ID_SYSTEM } from "./identifiers.ts";

export {
  EMPI_SYSTEM,
  HEALTH_CARD_SYSTEM,
  isKnownSystem,
  MATCH_FLAG_SYSTEM,
  MATCH_TAG_SYSTEM,
  MRN_SYSTEM_PREFIX,
  mrnHospital,
  mrnSystem,
  NAME_REPRESENTATION_URL,
  parseToken,
  RESIDENT_ID_SYSTEM,
} from "./identifiers.ts";

const MRN_VALUE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const HEALTH_CARD = /^[0-9A-Za-z]{6,40}$/;

// ——— FHIR date ———

const FHIR_DATE = /^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1]))?)?$/;

/** A FHIR date (YYYY, YYYY-MM or YYYY-MM-DD) naming a real calendar day */
export const fhirDateSchema = z.string().refine((value) => {
  if (!FHIR_DATE.test(value)) return false;
  if (value.length < 10) return true;
  const [y, m, d] = value.split("-").map(Number) as [number, number, number];
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}, "must be a FHIR date: YYYY, YYYY-MM or YYYY-MM-DD, a real calendar day");

// ——— datatypes (unknown elements and extensions are kept) ———

const identifierSchema = z.looseObject({
  system: z.string().min(1).max(200),
  value: z.string().min(1).max(100),
});
export type FeedIdentifier = z.infer<typeof identifierSchema>;

const extensionSchema = z.looseObject({ url: z.string(), valueCode: z.string().optional() });

const humanNameSchema = z.looseObject({
  use: z.string().optional(),
  text: z.string().max(100).optional(),
  family: z.string().max(50).optional(),
  given: z.array(z.string().max(50)).max(5).optional(),
  extension: z.array(extensionSchema).optional(),
});
export type FeedHumanName = z.infer<typeof humanNameSchema>;

const contactPointSchema = z.looseObject({
  system: z.enum(["phone", "fax", "email", "pager", "url", "sms", "other"]).optional(),
  value: z.string().max(100).optional(),
  use: z.string().optional(),
});

const addressSchema = z.looseObject({
  use: z.string().optional(),
  text: z.string().max(300).optional(),
  line: z.array(z.string().max(200)).max(5).optional(),
  city: z.string().max(50).optional(),
  district: z.string().max(50).optional(),
  state: z.string().max(50).optional(),
  postalCode: z.string().max(20).optional(),
  country: z.string().max(50).optional(),
});

/** Checks each identifier value against its system's format; the issue names identifier.<i>.value */
function checkIdentifierValues(identifiers: FeedIdentifier[] | undefined, ctx: z.RefinementCtx): void {
  for (const [i, { system, value }] of (identifiers ?? []).entries()) {
    const path = ["identifier", i, "value"];
    let message: string | undefined;
    if (system === RESIDENT_ID_SYSTEM && isMalformedResidentId(value)) {
      message = "a resident ID number has 18 characters (17 digits, then a digit or X) or, issued before 1999, 15 digits";
    } else if (system === HEALTH_CARD_SYSTEM && !HEALTH_CARD.test(value.trim())) {
      message = "a health card number has 6 to 40 letters or digits";
    } else if (system.startsWith(MRN_SYSTEM_PREFIX) && !mrnHospital(system)) {
      ctx.addIssue({ code: "custom", path: ["identifier", i, "system"], message: `expected ${MRN_SYSTEM_PREFIX}<hospitalId>` });
    } else if (mrnHospital(system) && !MRN_VALUE.test(value)) {
      message = "a patient number has 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit";
    } else if (system === EMPI_SYSTEM && !/^E\d{13}$/.test(value)) {
      message = "an EMPI is E and 13 digits";
    }
    if (message) ctx.addIssue({ code: "custom", path, message });
  }
}

/** A Patient as a hospital feeds it */
/** A newborn's mother, by her resident ID number (`valueIdentifier`), while the newborn has no number of its own (docs/departments.md#births) */
export const MOTHER_EXTENSION_URL = "https://hebei.health/fhir/StructureDefinition/mother";

export const feedPatientSchema = z
  .looseObject({
    resourceType: z.literal("Patient"),
    id: z.string().max(64).optional(),
    identifier: z.array(identifierSchema).max(20).optional(),
    active: z.boolean().optional(),
    name: z.array(humanNameSchema).max(10).optional(),
    telecom: z.array(contactPointSchema).max(10).optional(),
    gender: z.enum(["male", "female", "other", "unknown"]).optional(),
    birthDate: fhirDateSchema.optional(),
    address: z.array(addressSchema).max(10).optional(),
    /** a newborn's birth order, registered under its mother's resident ID number (docs/mpi.md) */
    multipleBirthInteger: z.number().int().min(1).max(16).optional(),
    /** a death reported by the hospital: the MPI marks the resident deceased (docs/departments.md#deaths) */
    deceasedDateTime: z.iso.datetime({ offset: true }).optional(),
  })
  .superRefine((patient, ctx) => checkIdentifierValues(patient.identifier, ctx));
export type FeedPatient = z.infer<typeof feedPatientSchema>;

/** The PDQm search parameters the index answers (each at most once) */
export const PDQM_PARAMETERS = ["identifier", "family", "given", "name", "birthdate", "gender", "telecom", "_count"] as const;

export const pdqmQuerySchema = z.strictObject({
  identifier: z.string().min(3).max(200).optional(),
  family: z.string().min(1).max(50).optional(),
  given: z.string().min(1).max(50).optional(),
  name: z.string().min(1).max(100).optional(),
  birthdate: fhirDateSchema.optional(),
  gender: z.enum(["male", "female", "other", "unknown"]).optional(),
  telecom: z.string().min(3).max(100).optional(),
  _count: z.coerce.number().int().min(1).max(50).optional(),
});
export type PdqmQuery = z.infer<typeof pdqmQuerySchema>;

export const pixmQuerySchema = z.strictObject({
  sourceIdentifier: z.string().min(3).max(200),
  targetSystem: z.array(z.string().min(1).max(200)).max(10).optional(),
  _format: z.string().optional(),
});
export type PixmQuery = z.infer<typeof pixmQuerySchema>;

// ——— stewardship (operator API at the hub; plain JSON bodies) ———

const empiSchema = z.string().regex(/^E\d{13}$/, "an EMPI is E and 13 digits");
const sourceSchema = z.string().refine((s) => parseToken(s) !== undefined && mrnHospital(parseToken(s)!.system) !== undefined, {
  message: `expected ${MRN_SYSTEM_PREFIX}<hospitalId>|<patient number>`,
});

export const linkRequestSchema = z.strictObject({ source: sourceSchema, empi: empiSchema, reason: z.string().max(500).optional() });
export const unlinkRequestSchema = z.strictObject({ source: sourceSchema, reason: z.string().max(500).optional() });
export const mergeRequestSchema = z.strictObject({ survivor: empiSchema, merged: empiSchema, reason: z.string().max(500).optional() });
export const unmergeRequestSchema = z.strictObject({ merged: empiSchema, reason: z.string().max(500).optional() });
export const dismissRequestSchema = z.strictObject({ reason: z.string().max(500).optional() });
export type LinkRequest = z.infer<typeof linkRequestSchema>;
export type UnlinkRequest = z.infer<typeof unlinkRequestSchema>;
export type MergeRequest = z.infer<typeof mergeRequestSchema>;
export type UnmergeRequest = z.infer<typeof unmergeRequestSchema>;
