/**
 * What the document use cases (use-cases/documents/) need: the city's document index and bucket, and
 * the clinical network (the hub's MPI and record locator, the city storing a document's bytes).
 */
import type { Digest } from "#domain/documents/publish.ts";
import type { BinaryLocation, LocatorEntry } from "#schemas/documents.ts";

export interface StoredContent extends Digest {
  contentType: string;
  /** the published object (`docs/<class>/<sha256>`, or `documents/<id>/<sha256>` for documents published before) */
  s3Key: string;
  /** the upload its bytes were copied from, when they came through an upload URL */
  uploadId?: string;
}

export interface StoredRecord {
  entry: LocatorEntry;
  /** documents only */
  content?: StoredContent;
  /** a document's masterIdentifier, an encounter's identifier: `system|value` */
  key: string;
}

export interface UploadGrant {
  uploadId: string;
  hospitalId: string;
  s3Key: string;
  contentType: string;
  /** the exact size the upload URL admits, declared when it was asked for */
  size: number;
  expires: string;
}

/** A presigned POST: the form fields to send, in order, before the file field */
export interface PresignedPost {
  url: string;
  fields: Record<string, string>;
}

/** The city's document index (one record per document or encounter, a listing per resident) and its bytes */
export interface DocumentIndex {
  get(resourceType: LocatorEntry["resourceType"], id: string): Promise<StoredRecord | undefined>;
  /** false when the record already exists */
  create(record: StoredRecord): Promise<boolean>;
  /** compare-and-set on the revision; false when it moved */
  update(record: StoredRecord, previousRevision: number): Promise<boolean>;
  /** lists the entry for its resident (keeps the highest revision) */
  list(entry: LocatorEntry): Promise<void>;
  listing(empi: string): Promise<LocatorEntry[]>;
  grantUpload(grant: UploadGrant): Promise<void>;
  upload(uploadId: string): Promise<UploadGrant | undefined>;
  putBytes(s3Key: string, bytes: Buffer, contentType: string): Promise<void>;
  getBytes(s3Key: string): Promise<Buffer>;
  /** the stored object's size and hash; "too-large" past `max` bytes; undefined when absent */
  digestObject(s3Key: string, max: number): Promise<Digest | "too-large" | undefined>;
  /** copies the object `from` to `to` inside the bucket (server-side); false when `from` is not there */
  copyObject(from: string, to: string): Promise<boolean>;
  /** a GET URL that answers the bytes as an attachment of the given content type */
  presignGet(s3Key: string, seconds: number, contentType: string): Promise<string>;
  /** a POST form that admits exactly `size` bytes of `contentType` at `s3Key` */
  presignPost(s3Key: string, seconds: number, upload: { size: number; contentType: string }): Promise<PresignedPost>;
}

/** What a city asks other nodes about a resident's record */
export interface ClinicalNetwork {
  /** The hub's PIXm Parameters for an identifier; undefined when the index does not know it (its 404 or 400) */
  pix(id: { system: string; value: string }, hospitalId: string): Promise<Record<string, unknown> | undefined>;
  /** The hub's record locator: every indexed document and encounter of the resident */
  hubEntries(empi: string): Promise<LocatorEntry[]>;
  /** Where the storing city keeps a document's bytes; undefined when it has no such document */
  binaryAt(cityId: string, id: string): Promise<BinaryLocation | undefined>;
  /** The resident of an encounter the storing city keeps; undefined when it has no such encounter */
  encounterSubjectAt(cityId: string, id: string): Promise<string | undefined>;
  /** Whether a city of this id exists (discovery) */
  isCity(cityId: string): Promise<boolean>;
  /** This node's base URL as hospitals call it */
  ownBase(cityId: string): Promise<string>;
}
