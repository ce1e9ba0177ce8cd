/**
 * Publish a document (IHE MHD ITI-65) at the city that stores it.
 * Input: the calling hospital, its transaction Bundle. Output: a transaction-response Bundle, 201
 *   (or 200 with the original when the same version is published again).
 * Primary course: check the bundle (domain/documents/publish.ts) → the author is an active practitioner
 *   of the hospital → the resident's EMPI from the hub's MPI (beside it, whether the version is recorded) → the bytes' digests (inline, or a copy of
 *   the upload that no URL can write, of the size declared for the URL) against the attachment's size
 *   and hash → bytes to `docs/<class>/<sha256>` (content-addressed: never other bytes) → the document
 *   record, created only if absent (same masterIdentifier with other bytes → 409) → listed for the
 *   resident and recorded in the exchange outbox → the replaced version superseded the same way.
 *   Every step is idempotent, so a retried request completes a crashed one.
 */

import { randomBytes } from "node:crypto";
import {
  assertOwnDocument,
  checkAttachment,
  type Digest,
  digestOf,
  documentClassOf,
  documentIdOf,
  parsePublishBundle,
  publishedKey,
} from "#domain/documents/publish.ts";
import { residentSubject, typeTokensOf } from "#domain/documents/records.ts";
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from "#domain/errors.ts";
import type { DocumentIndex, StoredRecord } from "#ports/documents.ts";
import type { CityId } from "#schemas/city.ts";
import type { LocatorEntry, TransactionBundle } from "#schemas/documents.ts";
import { clock } from "#shared/clock.ts";
import { type RecordDeps, shareEntry } from "./exchange.ts";

export interface PublishDeps extends RecordDeps {
  resolveEmpi: (id: { system: string; value: string }, hospitalId: string) => Promise<string | undefined>;
  /** Is the practitioner active at the hospital with a licensed clinical role (doctor, nurse, pharmacist)? */
  isClinicalAuthor: (hospitalId: string, practitionerId: string) => Promise<boolean>;
}

export interface PublishInput {
  cityId: CityId;
  hospitalId: string;
  /** the X-Practitioner-Id already checked, when it names the author the check is not repeated */
  actingPractitionerId: string;
  bundle: TransactionBundle;
}

export interface PublishResult {
  statusCode: 200 | 201;
  bundle: Record<string, unknown>;
  documentId: string;
  empi: string;
}

/**
 * Uploaded content, made immutable: the upload is copied (server-side) to a key of this publish alone,
 * which no upload URL admits, and digested there; only that copy is published. Its size must be the
 * one declared for the upload URL (the POST policy bounds it in AWS; the local S3 emulator ignores
 * policies, so this is the check in both runtimes). A refusal leaves the upload as it is.
 */
async function stageUpload(index: DocumentIndex, hospitalId: string, uploadId: string): Promise<{ digest: Digest; staged: string }> {
  const grant = await index.upload(uploadId);
  if (!grant)
    throw new BadRequestError(
      `DocumentReference.content.attachment.url: no upload Binary/${uploadId} here`,
      "DocumentReference.content.attachment.url",
    );
  if (grant.hospitalId !== hospitalId)
    throw new ForbiddenError("DocumentReference.content.attachment.url: the upload URL was issued to another hospital");
  const staged = `${grant.s3Key}.${randomBytes(8).toString("hex")}`;
  const digest = (await index.copyObject(grant.s3Key, staged)) ? await index.digestObject(staged, grant.size) : undefined;
  if (!digest)
    throw new BadRequestError(
      `DocumentReference.content.attachment.url: nothing was uploaded to Binary/${uploadId} yet`,
      "DocumentReference.content.attachment.url",
    );
  if (digest === "too-large" || digest.size !== grant.size)
    throw new BadRequestError(
      `DocumentReference.content.attachment.size: the upload URL of Binary/${uploadId} was asked for ${grant.size} bytes; the upload has ${digest === "too-large" ? "more" : digest.size}`,
      "DocumentReference.content.attachment.size",
    );
  return { digest, staged };
}

const ENCOUNTER_REF = /^Encounter\/([a-z]+-[a-z0-9]{8,64})$/;

/** A document's context.encounter names the publishing hospital's own encounters only (403 otherwise) */
async function checkOwnEncounters(deps: PublishDeps, hospitalId: string, encounters: { reference?: string }[]): Promise<void> {
  for (const [i, e] of encounters.entries()) {
    const field = `DocumentReference.context.encounter[${i}]`;
    const id = e.reference ? ENCOUNTER_REF.exec(e.reference)?.[1] : undefined;
    const found = id ? await deps.index.get("Encounter", id) : undefined;
    if (!found || found.entry.hospitalId !== hospitalId)
      throw new ForbiddenError(`${field}: ${e.reference ?? "a reference-less entry"} is not an encounter of ${hospitalId}`, field);
  }
}

export async function publishDocument(deps: PublishDeps, input: PublishInput): Promise<PublishResult> {
  const { cityId, hospitalId } = input;
  const request = parsePublishBundle(input.bundle, hospitalId, cityId);
  const { document } = request;
  for (const [i, authorId] of request.authorIds.entries())
    if (authorId !== input.actingPractitionerId && !(await deps.isClinicalAuthor(hospitalId, authorId)))
      throw new ForbiddenError(
        `DocumentReference.author[${i}]: Practitioner/${authorId} is not an active practitioner of ${hospitalId} with a licensed clinical role`,
        `DocumentReference.author[${i}]`,
      );
  await checkOwnEncounters(deps, hospitalId, document.context?.encounter ?? []);
  const id = documentIdOf(cityId, document.masterIdentifier);
  // whether this version is already recorded is read beside PIXm (the city's own index: nothing written)
  const recorded = deps.index.get("DocumentReference", id);
  recorded.catch(() => undefined); // awaited below, unless PIXm refuses first
  const empi = await deps.resolveEmpi(document.subject.identifier, hospitalId);
  if (!empi)
    throw new BadRequestError(
      `DocumentReference.subject.identifier: ${document.subject.identifier.system}|${document.subject.identifier.value} names no resident known to the master patient index`,
      "DocumentReference.subject.identifier",
    );

  const attachment = document.content[0]!.attachment;
  const { content } = request;
  if (content.kind === "upload") {
    // the same version again, through the same upload: answered from the record (the upload may be gone)
    const published = await recorded;
    if (published?.content?.uploadId === content.uploadId) {
      checkAttachment(attachment, published.content);
      return answerExisting(deps, input, published, { ...published.content, empi }, await replacedRecord(deps, request, hospitalId, empi));
    }
  }
  const staged = content.kind === "upload" ? await stageUpload(deps.index, hospitalId, content.uploadId) : undefined;
  const digest: Digest = content.kind === "inline" ? digestOf(content.bytes) : staged!.digest;
  checkAttachment(attachment, digest);
  const replaced = await replacedRecord(deps, request, hospitalId, empi);

  // an upload's staging took its time: read again what an inline publish read beside PIXm
  const existing = content.kind === "inline" ? await recorded : await deps.index.get("DocumentReference", id);
  if (existing) return answerExisting(deps, input, existing, { ...digest, empi }, replaced);

  // content-addressed under the document's class: a key holds these bytes or none, whoever writes it
  const s3Key = publishedKey(documentClassOf(document), digest.sha256);
  if (content.kind === "inline") await deps.index.putBytes(s3Key, content.bytes, content.contentType);
  else if (!(await deps.index.copyObject(staged!.staged, s3Key)))
    throw new ConflictError(`Binary/${content.uploadId}: its staged copy vanished while it was published; nothing was recorded, retry`);
  const now = deps.now().toISOString();
  const resource: Record<string, unknown> = {
    ...document,
    id,
    status: "current",
    subject: residentSubject(empi),
    ...(request.related.length > 0
      ? { relatesTo: request.related.map((r) => ({ code: r.code, target: { reference: `DocumentReference/${r.id}` } })) }
      : {}),
    content: [{ ...document.content[0], attachment: { ...attachment, url: `Binary/${id}`, size: digest.size, hash: digest.sha1 } }],
  };
  const entry: LocatorEntry = {
    resourceType: "DocumentReference",
    id,
    empi,
    cityId,
    hospitalId,
    revision: 1,
    status: "current",
    date: document.date,
    typeTokens: typeTokensOf(document.type),
    recordedAt: now,
    resource,
  };
  const record: StoredRecord = {
    entry,
    key: `${document.masterIdentifier.system}|${document.masterIdentifier.value}`,
    content: {
      size: digest.size,
      sha256: digest.sha256,
      sha1: digest.sha1,
      s3Key,
      contentType: content.contentType,
      ...(content.kind === "upload" ? { uploadId: content.uploadId } : {}),
    },
  };
  if (!(await deps.index.create(record))) {
    const raced = await deps.index.get("DocumentReference", id);
    if (!raced) throw new ConflictError("The document is being published concurrently; retry");
    return answerExisting(deps, input, raced, { ...digest, empi }, replaced);
  }
  await shareEntry(deps, cityId, entry);
  if (replaced) await supersede(deps, cityId, replaced.entry.id);
  return { statusCode: 201, bundle: transactionResponse(input.bundle, entry, "201 Created", request.submissionSet), documentId: id, empi };
}

/** The version a publish replaces (relatesTo replaces): a document of this hospital about the same resident */
async function replacedRecord(
  deps: PublishDeps,
  request: ReturnType<typeof parsePublishBundle>,
  hospitalId: string,
  empi: string,
): Promise<StoredRecord | undefined> {
  // every related document (any relatesTo code) is the caller's own, about the same resident
  let replaced: StoredRecord | undefined;
  for (const r of request.related) {
    const target = await deps.index.get("DocumentReference", r.id);
    if (!target || target.entry.hospitalId !== hospitalId)
      throw new ForbiddenError(
        `${r.field}: DocumentReference/${r.id} is not a document of ${hospitalId}; a document relates only to its hospital's own`,
        r.field,
      );
    if (target.entry.empi !== empi) throw new BadRequestError(`${r.field}: the related document is about another resident`, r.field);
    if (r.code === "replaces") replaced = target;
  }
  return replaced;
}

/** The same version again: the original (completing what a crashed attempt left), or 409 for other bytes. */
async function answerExisting(
  deps: PublishDeps,
  input: PublishInput,
  existing: StoredRecord,
  digest: Digest & { empi: string },
  replaced: StoredRecord | undefined,
): Promise<PublishResult> {
  if (existing.content?.sha256 !== digest.sha256 || existing.entry.empi !== digest.empi)
    throw new ConflictError(
      `DocumentReference.masterIdentifier ${existing.key} was published with other content or for another resident; a new version needs its own masterIdentifier`,
    );
  await shareEntry(deps, input.cityId, existing.entry);
  if (replaced) await supersede(deps, input.cityId, replaced.entry.id);
  return {
    statusCode: 200,
    bundle: transactionResponse(input.bundle, existing.entry, "200 OK"),
    documentId: existing.entry.id,
    empi: existing.entry.empi,
  };
}

/** Moves a document to `status` (superseded, entered-in-error) by compare-and-set, and shares the new revision. */
export async function changeStatus(
  deps: RecordDeps,
  cityId: CityId,
  id: string,
  status: "superseded" | "entered-in-error",
): Promise<LocatorEntry> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await deps.index.get("DocumentReference", id);
    if (!current) throw new NotFoundError(`DocumentReference/${id} is not a document of this city`);
    if (current.entry.status === status || current.entry.status === "entered-in-error") {
      await shareEntry(deps, cityId, current.entry);
      return current.entry;
    }
    const entry: LocatorEntry = {
      ...current.entry,
      revision: current.entry.revision + 1,
      status,
      recordedAt: deps.now().toISOString(),
      resource: { ...current.entry.resource, status },
    };
    if (await deps.index.update({ ...current, entry }, current.entry.revision)) {
      await shareEntry(deps, cityId, entry);
      return entry;
    }
  }
  throw new ConflictError(`DocumentReference/${id} is being changed concurrently; retry`);
}

const supersede = (deps: RecordDeps, cityId: CityId, id: string) => changeStatus(deps, cityId, id, "superseded");

/**
 * Withdraws a document published in error (its hospital only): the change must be the status
 * entered-in-error, naming no other id than the URL's.
 */
export async function withdrawDocument(
  deps: RecordDeps,
  cityId: CityId,
  hospitalId: string,
  id: string,
  change: { status?: string; id?: string },
): Promise<LocatorEntry> {
  if (change.status !== "entered-in-error")
    throw new BadRequestError("DocumentReference.status: only entered-in-error (withdrawal) is accepted here", "DocumentReference.status");
  if (change.id !== undefined && change.id !== id)
    throw new BadRequestError("DocumentReference.id: differs from the URL", "DocumentReference.id");
  const current = await deps.index.get("DocumentReference", id);
  if (!current) throw new NotFoundError(`DocumentReference/${id} is not a document of this city`);
  assertOwnDocument(current.entry.hospitalId, hospitalId, "DocumentReference");
  return changeStatus(deps, cityId, id, "entered-in-error");
}

function transactionResponse(
  bundle: TransactionBundle,
  entry: LocatorEntry,
  status: string,
  submissionSet?: Record<string, unknown>,
): Record<string, unknown> {
  const location = (type: string) =>
    type === "DocumentReference"
      ? `DocumentReference/${entry.id}/_history/${entry.revision}`
      : type === "Binary"
        ? `Binary/${entry.id}`
        : `List/${entry.id}`;
  const entries = bundle.entry.map((e) => ({
    response: { status, location: location(e.resource.resourceType) },
    ...(e.resource.resourceType === "DocumentReference" ? { resource: entry.resource } : {}),
  }));
  // a bundle without its SubmissionSet is given one
  if (!bundle.entry.some((e) => e.resource.resourceType === "List") && !submissionSet)
    entries.push({ response: { status, location: `List/${entry.id}` } });
  return { resourceType: "Bundle", type: "transaction-response", timestamp: clock.isoNow(), entry: entries };
}
