/**
 * The MHD publish transaction (ITI-65), checked without I/O: one DocumentReference, its content as an
 * inline Binary entry (referenced by the Binary's fullUrl) or an upload the node issued
 * (`Binary/<uploadId>`), and an optional SubmissionSet List. Every refusal names the field.
 */
import { createHash } from "node:crypto";
import { BadRequestError, ForbiddenError, PayloadTooLargeError, zodIssues } from "#domain/errors.ts";
import {
  binarySchema,
  type DocumentReferenceInput,
  documentReferenceSchema,
  documentSystem,
  LOINC_SYSTEM,
  MAX_INLINE_BYTES,
  PUBLISHED_PREFIX,
  SERVED_CONTENT_TYPES,
  type TransactionBundle,
} from "#schemas/documents.ts";
import { documentAuthors } from "./claims.ts";

export type PublishContent =
  | { kind: "inline"; bytes: Buffer; contentType: string }
  | { kind: "upload"; uploadId: string; contentType: string };

export interface PublishRequest {
  document: DocumentReferenceInput;
  content: PublishContent;
  /** the authors' Practitioner ids (each to be a clinical practitioner of the publishing hospital) */
  authorIds: string[];
  /** the id of the document this version replaces (relatesTo replaces) */
  replaces?: string;
  /** every document relatesTo names (the replaced one included), each to be the hospital's own */
  related: { code: string; id: string; field: string }[];
  /** the SubmissionSet List, when the bundle carried one */
  submissionSet?: Record<string, unknown>;
}

export interface Digest {
  size: number;
  /** hex */
  sha256: string;
  /** base64, as FHIR Attachment.hash */
  sha1: string;
}

export const digestOf = (bytes: Buffer): Digest => ({
  size: bytes.length,
  sha256: createHash("sha256").update(bytes).digest("hex"),
  sha1: createHash("sha1").update(bytes).digest("base64"),
});

const UPLOAD_REF = /(?:^|\/fhir\/)Binary\/([a-z]+-u[a-f0-9]{32})$/;
const DOCUMENT_REF = /^DocumentReference\/([a-z]+-[a-z0-9]{8,64})$/;

/** `<cityId>-<32 hex>`, derived from the masterIdentifier: a re-published version lands on the same id. */
export const documentIdOf = (cityId: string, master: { system: string; value: string }): string =>
  `${cityId}-${createHash("sha256").update(`${master.system}|${master.value}`).digest("hex").slice(0, 32)}`;

/** The document id a publish names (for its AuditEvent), read leniently from the parsed body */
export function documentHint(cityId: string, json: unknown): string | undefined {
  const entries = (json as { entry?: unknown } | undefined)?.entry;
  const master = (Array.isArray(entries) ? entries : [])
    .map((e) => (e as { resource?: { resourceType?: unknown; masterIdentifier?: { system?: unknown; value?: unknown } } })?.resource)
    .find((r) => r?.resourceType === "DocumentReference")?.masterIdentifier;
  return typeof master?.system === "string" && typeof master.value === "string"
    ? documentIdOf(cityId, { system: master.system, value: master.value })
    : undefined;
}

/** The city that stores a document, encounter or upload (its id starts with it) */
export const storingCity = (id: string): string | undefined => /^([a-z]+)-[a-z0-9]{8,64}$/.exec(id)?.[1];

export function parsePublishBundle(bundle: TransactionBundle, hospitalId: string, cityId: string): PublishRequest {
  const byType = (type: string) => bundle.entry.map((e, i) => ({ ...e, index: i })).filter((e) => e.resource.resourceType === type);
  const documents = byType("DocumentReference");
  if (documents.length !== 1)
    throw new BadRequestError("Bundle.entry: exactly one DocumentReference is published per transaction", "Bundle.entry");
  const unknown = bundle.entry.find((e) => !["DocumentReference", "Binary", "List"].includes(e.resource.resourceType));
  if (unknown) throw new BadRequestError(`Bundle.entry: ${unknown.resource.resourceType} has no place in an MHD publish`, "Bundle.entry");
  const at = `Bundle.entry[${documents[0]!.index}].resource`;
  const parsed = documentReferenceSchema.safeParse(documents[0]!.resource);
  if (!parsed.success) throw new BadRequestError(zodIssues(parsed.error, at));
  const document = parsed.data;

  if (document.masterIdentifier.system !== documentSystem(hospitalId))
    throw new ForbiddenError(
      `DocumentReference.masterIdentifier.system must be this hospital's ${documentSystem(hospitalId)}`,
      "DocumentReference.masterIdentifier.system",
    );
  if (document.status !== "current")
    throw new BadRequestError(
      "DocumentReference.status: a published document is current (withdraw with PUT DocumentReference/<id>)",
      "DocumentReference.status",
    );
  if (!document.type.coding.some((c) => c.system === LOINC_SYSTEM))
    throw new BadRequestError("DocumentReference.type: a LOINC coding (http://loinc.org) is required", "DocumentReference.type.coding");
  const authorIds = documentAuthors(document, hospitalId);

  const related = (document.relatesTo ?? []).map((r, i) => {
    const field = `DocumentReference.relatesTo[${i}].target`;
    const id = r.target.reference
      ? DOCUMENT_REF.exec(r.target.reference)?.[1]
      : r.target.identifier
        ? documentIdOf(cityId, r.target.identifier)
        : undefined;
    if (!id) throw new BadRequestError(`${field}: DocumentReference/<id> or the related version's masterIdentifier`, field);
    if (id === documentIdOf(cityId, document.masterIdentifier))
      throw new BadRequestError("DocumentReference.relatesTo: a version cannot relate to itself", "DocumentReference.relatesTo");
    return { code: r.code, id, field };
  });
  const replacing = related.filter((r) => r.code === "replaces");
  if (replacing.length > 1)
    throw new BadRequestError("DocumentReference.relatesTo: one document is replaced at most", "DocumentReference.relatesTo");
  const replaces = replacing[0]?.id;

  const attachment = document.content[0]!.attachment;
  const binaries = byType("Binary");
  let content: PublishContent;
  const upload = UPLOAD_REF.exec(attachment.url);
  if (upload) {
    if (binaries.length) throw new BadRequestError("Bundle.entry: a Binary entry and an uploaded content at once", "Bundle.entry");
    content = { kind: "upload", uploadId: upload[1]!, contentType: attachment.contentType };
  } else {
    const binary = binaries.find((b) => b.fullUrl === attachment.url);
    if (!binary || binaries.length !== 1)
      throw new BadRequestError(
        "DocumentReference.content.attachment.url: must be the fullUrl of the one Binary entry, or Binary/<id> of an upload URL",
        "DocumentReference.content.attachment.url",
      );
    const b = binarySchema.safeParse(binary.resource);
    if (!b.success) throw new BadRequestError(zodIssues(b.error, `Bundle.entry[${binary.index}].resource`));
    // base64: 4 characters per 3 bytes
    if (Math.floor((b.data.data.length * 3) / 4) > MAX_INLINE_BYTES + 2) throw tooLarge();
    const bytes = Buffer.from(b.data.data, "base64");
    if (bytes.length > MAX_INLINE_BYTES) throw tooLarge();
    if (bytes.length === 0) throw new BadRequestError("Binary.data: the document is empty", "Binary.data");
    content = { kind: "inline", bytes, contentType: attachment.contentType };
  }
  const list = byType("List")[0]?.resource;
  return { document, content, authorIds, related, ...(replaces ? { replaces } : {}), ...(list ? { submissionSet: list } : {}) };
}

const tooLarge = () =>
  new PayloadTooLargeError([
    {
      code: "too-costly",
      diagnostics: `Binary.data: inline content is limited to ${MAX_INLINE_BYTES} bytes; larger documents go to POST /fhir/Binary/$upload-url`,
      expression: "Binary.data",
    },
  ]);

/**
 * The class a document's bytes are filed under in the bucket: its LOINC type code (every published
 * document has one), so that lifecycle or retention rules by kind of document stay possible.
 */
export function documentClassOf(document: Pick<DocumentReferenceInput, "type">): string {
  const code = document.type.coding.find((c) => c.system === LOINC_SYSTEM)?.code ?? "";
  return /^[A-Za-z0-9][A-Za-z0-9.-]{0,63}$/.test(code) ? code : "other";
}

/** Where published bytes live: content-addressed, never overwritten by other bytes */
export const publishedKey = (documentClass: string, sha256: string): string => `${PUBLISHED_PREFIX}${documentClass}/${sha256}`;

/** The content type bytes are served with: the declared one when it is on the safe list, else application/octet-stream */
export function servedContentType(declared: string): string {
  const [base, ...parameters] = declared.split(";").map((part) => part.trim().toLowerCase());
  if (!SERVED_CONTENT_TYPES.includes(base!)) return "application/octet-stream";
  const charset = parameters.find((p) => /^charset=[a-z0-9_.-]{1,40}$/.test(p));
  return charset ? `${base}; ${charset}` : base!;
}

/** Refuses content whose size or SHA-1 differs from what the attachment declares. */
export function checkAttachment(attachment: { size?: number; hash?: string }, digest: Digest): void {
  if (attachment.size !== undefined && attachment.size !== digest.size)
    throw new BadRequestError(
      `DocumentReference.content.attachment.size: ${attachment.size} declared, the content has ${digest.size} bytes`,
      "DocumentReference.content.attachment.size",
    );
  if (attachment.hash !== undefined && attachment.hash !== digest.sha1)
    throw new BadRequestError(
      "DocumentReference.content.attachment.hash: the SHA-1 (base64) of the content differs",
      "DocumentReference.content.attachment.hash",
    );
}

/** Only the hospital that published a document may replace or withdraw it. */
export function assertOwnDocument(owner: string, hospitalId: string, field: string): void {
  if (owner !== hospitalId) throw new ForbiddenError(`${field}: the document belongs to another hospital`);
}
