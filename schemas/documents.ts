/**
 * Clinical documents and encounters (IHE MHD ITI-65/67/68, FHIR R4): the publish transaction Bundle,
 * the Encounter a hospital records, the upload-URL request, and the record-locator entry the city and
 * the hub keep per resident. A stored DocumentReference or Encounter keeps only the elements named here
 * (unknown ones are dropped: a resource served province-wide carries no unchecked claims); the
 * transaction Bundle around them is read loosely.
 */
import { z } from "zod";

export const DOCUMENT_SYSTEM_PREFIX = "https://hebei.health/sid/document/";
export const ENCOUNTER_SYSTEM_PREFIX = "https://hebei.health/sid/encounter/";
export const documentSystem = (hospitalId: string): string => `${DOCUMENT_SYSTEM_PREFIX}${hospitalId}`;
export const encounterSystem = (hospitalId: string): string => `${ENCOUNTER_SYSTEM_PREFIX}${hospitalId}`;
export const LOINC_SYSTEM = "http://loinc.org";

/** Inline content (a Binary entry of the transaction, a retrieval answered with the bytes): Lambda's 6 MB less base64 */
export const MAX_INLINE_BYTES = 4 * 1024 * 1024;
/** Content uploaded to an upload URL */
export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;
/**
 * Where upload URLs put their bytes in the city's Documents bucket. Nothing is read from here once a
 * document is published (publishing copies the bytes to `docs/<class>/<sha256>`), so a lifecycle rule
 * expires everything under it after UPLOAD_EXPIRY_DAYS (in AWS the bucket's rule, locally a sweeper).
 */
/**
 * Not `uploads/`: before documents were content-addressed, published bytes stayed under
 * `uploads/<id>`, and records of a deployed province still point there; that prefix never expires.
 */
export const UPLOAD_PREFIX = "incoming/";
export const UPLOAD_EXPIRY_DAYS = 1;
/** Where published bytes live, content-addressed under the document's class (docs/documents.md) */
export const PUBLISHED_PREFIX = "docs/";

/**
 * The content types document bytes are served with as they were declared; any other is served as
 * application/octet-stream. Every answer of bytes is also an attachment with `nosniff`, so nothing a
 * hospital uploads (text/html, SVG, …) renders or runs in a reader's browser.
 */
export const SERVED_CONTENT_TYPES: readonly string[] = [
  "application/pdf",
  "application/xml",
  "text/xml",
  "application/hl7-v3+xml",
  "application/hl7-cda+xml",
  "application/fhir+json",
  "application/fhir+xml",
  "application/json",
  "application/dicom",
  "text/plain",
  "image/jpeg",
  "image/png",
  "image/tiff",
];

const isoInstant = z.iso.datetime({ offset: true });
/** FHIR dateTime: a date, or an instant with its offset */
export const fhirDateTime = z.union([z.iso.date(), isoInstant], {
  error: "must be a FHIR dateTime (YYYY-MM-DD or an ISO instant with offset)",
});

export const identifierSchema = z.object({ system: z.string().min(1).max(200), value: z.string().min(1).max(128) });
export type Identifier = z.infer<typeof identifierSchema>;
export const codingSchema = z.object({ system: z.string().min(1).optional(), code: z.string().min(1), display: z.string().optional() });
export const conceptSchema = z.object({ coding: z.array(codingSchema).min(1), text: z.string().optional() });
export const referenceSchema = z.object({
  reference: z.string().min(1).optional(),
  identifier: identifierSchema.optional(),
  display: z.string().optional(),
});

export const attachmentSchema = z.object({
  contentType: z.string().min(1).max(200),
  url: z.string().min(1).max(2000),
  size: z.number().int().min(0).optional(),
  /** SHA-1 of the bytes, base64 (FHIR R4 Attachment.hash) */
  hash: z.string().min(1).optional(),
  title: z.string().optional(),
  language: z.string().optional(),
  creation: z.string().optional(),
});

export const documentReferenceSchema = z.object({
  resourceType: z.literal("DocumentReference"),
  id: z.string().optional(),
  masterIdentifier: identifierSchema,
  status: z.enum(["current", "superseded", "entered-in-error"]),
  type: conceptSchema,
  category: z.array(conceptSchema).optional(),
  subject: z.object({ identifier: identifierSchema }),
  date: isoInstant,
  author: z.array(referenceSchema).min(1),
  /** the publishing hospital, when given: Organization/<hospitalId> */
  custodian: referenceSchema.optional(),
  /** confidentiality and sensitivity labels (docs/consent.md): a sensitive document is shown only as the consent policy permits */
  securityLabel: z.array(conceptSchema).max(10).optional(),
  description: z.string().max(2000).optional(),
  relatesTo: z.array(z.object({ code: z.enum(["replaces", "transforms", "signs", "appends"]), target: referenceSchema })).optional(),
  content: z.array(z.object({ attachment: attachmentSchema, format: codingSchema.optional() })).length(1),
  context: z
    .object({
      encounter: z.array(referenceSchema).optional(),
      period: z.object({ start: fhirDateTime.optional(), end: fhirDateTime.optional() }).optional(),
    })
    .optional(),
});
export type DocumentReferenceInput = z.infer<typeof documentReferenceSchema>;

export const binarySchema = z.looseObject({
  resourceType: z.literal("Binary"),
  contentType: z.string().min(1).max(200),
  data: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, "must be base64"),
});

const entrySchema = z.looseObject({
  fullUrl: z.string().min(1).optional(),
  resource: z.looseObject({ resourceType: z.string() }),
  request: z.looseObject({ method: z.enum(["POST", "PUT"]), url: z.string().min(1) }).optional(),
});

export const transactionBundleSchema = z.looseObject({
  resourceType: z.literal("Bundle"),
  type: z.literal("transaction"),
  entry: z.array(entrySchema).min(1).max(10),
});
export type TransactionBundle = z.infer<typeof transactionBundleSchema>;

/** POST /fhir/Binary/$upload-url: the upload's content type and its exact size in bytes (the URL admits no other) */
export const uploadUrlRequestSchema = z.strictObject({
  contentType: z.string().min(1).max(200),
  size: z.number().int().min(1).max(MAX_UPLOAD_BYTES),
});

/**
 * One resource of a resident's record as the record locator / EHR timeline keeps it: the city stores
 * it at once, the hub after the exchange; a higher revision replaces a lower one (status changes).
 */
export const locatorEntrySchema = z.object({
  resourceType: z.enum(["DocumentReference", "Encounter"]),
  /** `<cityId>-…`: the storing city is part of the id */
  id: z.string().regex(/^[a-z]+-[a-z0-9]{8,64}$/),
  empi: z.string().min(1),
  cityId: z.string().min(1),
  hospitalId: z.string().min(1),
  revision: z.number().int().min(1),
  status: z.string().min(1),
  /** DocumentReference.date, Encounter.period.start (for date searches and the timeline order) */
  date: z.string().optional(),
  /** "system|code" of every coding of the type, for type searches */
  typeTokens: z.array(z.string()),
  recordedAt: isoInstant,
  /** The FHIR resource as stored; a DocumentReference's attachment.url is relative (`Binary/<id>`) */
  resource: z.record(z.string(), z.unknown()),
});
export type LocatorEntry = z.infer<typeof locatorEntrySchema>;

/** The storing city's answer to GET /internal/fhir/Binary/{id} (IAM, between city nodes) */
export const binaryLocationSchema = z.object({
  id: z.string(),
  empi: z.string(),
  status: z.string(),
  /** the publishing hospital, and the document's sensitive labels (the reading city decides on them) */
  hospitalId: z.string().optional(),
  labels: z.array(z.string()).optional(),
  contentType: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  /** Presigned GET, short-lived */
  url: z.string().url(),
  expires: isoInstant,
});
export type BinaryLocation = z.infer<typeof binaryLocationSchema>;

/** The storing city's answer to GET /internal/fhir/Encounter/{id}: the resident it is about */
export const encounterSubjectSchema = z.object({ resourceType: z.literal("Encounter"), id: z.string(), empi: z.string().min(1) });
export type EncounterSubject = z.infer<typeof encounterSubjectSchema>;
