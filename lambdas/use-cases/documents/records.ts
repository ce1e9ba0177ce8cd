/**
 * A resident's record, from any city (IHE MHD ITI-67/68, the EHR timeline).
 * findRecords — input: the search (any identifier of the resident); output: a searchset of every
 *   matching DocumentReference or Encounter in the province: the hub's record locator merged with the
 *   asking city's own index (its own writes are visible at once), highest revision first.
 *   A page of them: `_count` (RECORD_PAGE) after the position the page token holds, with `self` and
 *   `next` links; `total` counts every match (docs/fhir-clients.md#paging).
 * readRecord — input: a DocumentReference or Encounter id; output: the resource, found by findRecords
 *   itself (`_id`) for its resident, so a read answers exactly what the search would (404 otherwise).
 * everything — the resident's timeline (documents not withdrawn, encounters) as one Bundle.
 * retrieveBinary — input: a document id; output: its exact bytes (≤ 4 MB: raw, or a FHIR Binary when
 *   asked for) or a redirect to a short-lived presigned URL issued by the city that stores them.
 *   Inline bytes are re-hashed against the recorded SHA-256; raw bytes are answered as an attachment
 *   with a content type from the safe list and `nosniff` (so are the presigned URL's).
 * Every read is decided by the consent policy (use-cases/consent/gate.ts): what the reader may not see
 * is absent from a search and its total; a direct read of it (Binary, $everything) is the uniform 403.
 * Each returns its decision for the read's AuditEvent.
 * issueUploadUrl / binaryLocation — the storing city's side: upload grants (a presigned POST for
 *   exactly the declared size) and presigned GET URLs.
 */

import { randomBytes } from "node:crypto";
import { type PrivacyDecision, type ReadItem, sensitiveLabelsOf } from "#domain/consent/policy.ts";
import { ConsentRefusedError } from "#domain/consent/refusal.ts";
import { digestOf, servedContentType, storingCity } from "#domain/documents/publish.ts";
import {
  comesAfter,
  matchesSearch,
  mergeEntries,
  type RecordSearch,
  renderEntry,
  searchset,
  timelineKey,
  uploadIdOf,
} from "#domain/documents/records.ts";
import { GoneError, NotFoundError, UpstreamError } from "#domain/errors.ts";
import { empiIdentifier } from "#domain/named-patients.ts";
import { openPageToken, PAGE_TOKEN, type PageCaller, pageAfter, sealPageToken } from "#domain/paging.ts";
import type { PrivacyContextSource } from "#ports/consent.ts";
import type { ClinicalNetwork, DocumentIndex } from "#ports/documents.ts";
import { type BinaryLocation, type EncounterSubject, type LocatorEntry, MAX_INLINE_BYTES, UPLOAD_PREFIX } from "#schemas/documents.ts";
import { EMPI_SYSTEM } from "#schemas/identifiers.ts";
import type { PrivacyContext } from "#schemas/privacy.ts";
import { clock } from "#shared/clock.ts";
import type { HttpResult } from "#shared/http.ts";
import { admitItem, admitResident, contextOf, filterItems, type ReadAccess } from "#use-cases/consent/gate.ts";
import { resolveEmpi } from "./resident.ts";

export const PRESIGNED_SECONDS = 300;
export const UPLOAD_SECONDS = 900;

export interface ReadDeps {
  index: DocumentIndex;
  network: ClinicalNetwork;
  /** The key of this city's page tokens */
  pageKey: () => Promise<Buffer>;
  /** the hub's privacy context of a read (consents, relationship, break-the-glass), cached briefly */
  privacy: PrivacyContextSource;
}

const itemOf = (e: LocatorEntry): ReadItem => ({ id: e.id, hospitalId: e.hospitalId, labels: sensitiveLabelsOf(e.resource) });

async function residentEntries(deps: ReadDeps, empi: string): Promise<LocatorEntry[]> {
  const [hub, own] = await Promise.all([deps.network.hubEntries(empi), deps.index.listing(empi)]);
  return mergeEntries(hub, own);
}

export async function findRecords(
  deps: ReadDeps,
  cityId: string,
  access: ReadAccess,
  resourceType: "DocumentReference" | "Encounter",
  search: RecordSearch,
): Promise<{ bundle: Record<string, unknown>; empi?: string; privacy?: PrivacyDecision }> {
  const base = await deps.network.ownBase(cityId);
  const caller: PageCaller = { hospitalId: access.hospitalId, practitionerId: access.practitionerId };
  const page = (entries: LocatorEntry[]) => pageOf(deps, base, resourceType, caller, search, entries);
  const empi = await resolveEmpi(deps.network, search.identifier, access.hospitalId);
  if (!empi) return { bundle: await page([]) };
  const [context, all] = await Promise.all([contextOf(deps.privacy, access, empi), residentEntries(deps, empi)]);
  const entries = all.filter((e) => e.resourceType === resourceType && matchesSearch(e, search));
  // what the reader may not see is absent from the page and from the total
  const { visible, privacy } = filterItems(context, access, entries, itemOf, clock.now());
  return { bundle: await page([...visible]), empi, privacy };
}

/** The page of a search's entries the request asks for (all of them without `page`), as a searchset */
async function pageOf(
  deps: ReadDeps,
  base: string,
  resourceType: string,
  caller: PageCaller,
  search: RecordSearch,
  entries: LocatorEntry[],
): Promise<Record<string, unknown>> {
  const render = (list: LocatorEntry[]) => list.map((e) => renderEntry(e, base));
  if (!search.page) return searchset(render(entries), base, clock.now());
  const { count, token, query } = search.page;
  const key = await deps.pageKey();
  const position = token === undefined ? undefined : openPageToken(key, caller, query, token);
  const after = typeof position === "string" ? position : undefined;
  const { page, next } = pageAfter(entries, timelineKey, count, after, comesAfter);
  const link = (extra: [string, string][]) => `${base}/fhir/${resourceType}?${new URLSearchParams([...query, ...extra]).toString()}`;
  return searchset(render(page), base, clock.now(), "searchset", {
    total: entries.length,
    link: [
      { relation: "self", url: link(token === undefined ? [] : [[PAGE_TOKEN, token]]) },
      ...(next ? [{ relation: "next", url: link([[PAGE_TOKEN, sealPageToken(key, caller, query, next)]]) }] : []),
    ],
  });
}

/** The searchset of the entries the reader may see, and the decision */
function visibleBundle(context: PrivacyContext, access: ReadAccess, entries: readonly LocatorEntry[], base: string) {
  const { visible, privacy } = filterItems(context, access, entries, itemOf, clock.now());
  return {
    bundle: searchset(
      visible.map((e) => renderEntry(e, base)),
      base,
      clock.now(),
    ),
    privacy,
  };
}

/** The resident a record of this province is about, asked of the city that stores it; undefined when none */
async function subjectOf(deps: ReadDeps, cityId: string, resourceType: LocatorEntry["resourceType"], id: string) {
  const storing = storingCity(id);
  if (!storing) return undefined;
  if (storing === cityId) return (await deps.index.get(resourceType, id))?.entry.empi;
  if (!(await deps.network.isCity(storing))) return undefined;
  if (resourceType === "Encounter") return deps.network.encounterSubjectAt(storing, id);
  return (await deps.network.binaryAt(storing, id))?.empi;
}

/**
 * One DocumentReference or Encounter by id: the resident's search by `_id`, so it answers exactly
 * what the search would. A record of the province that the reader may not see is the uniform 403
 * of a direct read (as a Binary's), naming the resident for their access report; an unknown id 404.
 */
export async function readRecord(
  deps: ReadDeps,
  cityId: string,
  access: ReadAccess,
  resourceType: LocatorEntry["resourceType"],
  id: string,
): Promise<{ resource: Record<string, unknown>; empi: string; privacy?: PrivacyDecision }> {
  const unknown = () => new NotFoundError(`${resourceType}/${id} is not a record of this province`, "id");
  const empi = await subjectOf(deps, cityId, resourceType, id);
  if (!empi) throw unknown();
  const search: RecordSearch = { identifier: { system: EMPI_SYSTEM, value: empi }, types: [], dates: [], statuses: [], ids: [id] };
  const [context, all] = await Promise.all([contextOf(deps.privacy, access, empi), residentEntries(deps, empi)]);
  const entry = all.find((e) => e.resourceType === resourceType && matchesSearch(e, search));
  if (!entry) throw unknown();
  let privacy: PrivacyDecision;
  try {
    privacy = admitItem(context, access, itemOf(entry), clock.now(), "id");
  } catch (error) {
    if (error instanceof ConsentRefusedError) throw new ConsentRefusedError(error.privacy, "id", [empiIdentifier(empi)]);
    throw error;
  }
  const base = await deps.network.ownBase(cityId);
  return { resource: renderEntry(entry, base), empi, privacy };
}

export async function everything(
  deps: ReadDeps,
  cityId: string,
  access: ReadAccess,
  empi: string,
): Promise<{ bundle: Record<string, unknown>; privacy: PrivacyDecision }> {
  const base = await deps.network.ownBase(cityId);
  const resolved = await resolveEmpi(deps.network, { system: EMPI_SYSTEM, value: empi }, access.hospitalId);
  // an unknown resident gets the same refusal as one the reader may not see
  const context = resolved
    ? await contextOf(deps.privacy, access, resolved)
    : { relationship: false, consents: [], telemedicineDocuments: [], policyVersion: "" };
  const admitted = admitResident(context, access, clock.now(), "id");
  const entries = (await residentEntries(deps, resolved!)).filter((e) => e.status !== "entered-in-error");
  const { bundle, privacy } = visibleBundle(context, access, entries, base);
  return {
    bundle,
    privacy: {
      ...privacy,
      decision: privacy.hidden ? "permit-with-filter" : admitted.decision,
      consents: [...new Set([...admitted.consents, ...privacy.consents])],
    },
  };
}

/** The storing city's answer about one of its documents (for itself, or another city over IAM) */
export async function binaryLocation(index: DocumentIndex, id: string): Promise<BinaryLocation | undefined> {
  const record = await index.get("DocumentReference", id);
  if (!record?.content) return undefined;
  const { content, entry } = record;
  const labels = sensitiveLabelsOf(entry.resource);
  return {
    id,
    empi: entry.empi,
    hospitalId: entry.hospitalId,
    ...(labels.length ? { labels } : {}),
    status: entry.status,
    contentType: content.contentType,
    size: content.size,
    sha256: content.sha256,
    url: await index.presignGet(content.s3Key, PRESIGNED_SECONDS, servedContentType(content.contentType)),
    expires: new Date(clock.nowMs() + PRESIGNED_SECONDS * 1000).toISOString(),
  };
}

/** The storing city's answer to another city: the resident of an encounter it stores (404 when not one of this city's) */
export async function storedEncounterSubject(index: DocumentIndex, id: string): Promise<EncounterSubject> {
  const record = await index.get("Encounter", id);
  if (!record) throw new NotFoundError(`Encounter/${id} is not an encounter of this city`);
  return { resourceType: "Encounter", id, empi: record.entry.empi };
}

/** The storing city's answer to another city: where a document's bytes are (404 when not a document of this city) */
export async function storedBinaryLocation(index: DocumentIndex, id: string): Promise<BinaryLocation> {
  const location = await binaryLocation(index, id);
  if (!location) throw new NotFoundError(`Binary/${id} is not a document of this city`);
  return location;
}

export async function retrieveBinary(
  deps: ReadDeps,
  cityId: string,
  access: ReadAccess,
  id: string,
  asFhir: boolean,
): Promise<{ result: HttpResult; empi: string; privacy: PrivacyDecision }> {
  const storing = storingCity(id);
  if (!storing || (storing !== cityId && !(await deps.network.isCity(storing))))
    throw new NotFoundError(`Binary/${id} is not a document of this province`);
  const location = storing === cityId ? await binaryLocation(deps.index, id) : await deps.network.binaryAt(storing, id);
  if (!location) throw new NotFoundError(`Binary/${id} is not a document of this province`);
  // decided before anything of the document is answered: its status, its bytes, a presigned URL
  const context = await contextOf(deps.privacy, access, location.empi);
  const item: ReadItem = { id, hospitalId: location.hospitalId ?? "", labels: (location.labels ?? []) as ReadItem["labels"] };
  let privacy: PrivacyDecision;
  try {
    privacy = admitItem(context, access, item, clock.now(), "id");
  } catch (error) {
    // the refusal's AuditEvent names the resident: it shows in their access report
    if (error instanceof ConsentRefusedError) throw new ConsentRefusedError(error.privacy, "id", [empiIdentifier(location.empi)]);
    throw error;
  }
  const empi = location.empi;
  if (location.status === "entered-in-error") throw new GoneError(`Binary/${id} was withdrawn (entered in error)`);
  if (location.size > MAX_INLINE_BYTES) return { result: { statusCode: 302, headers: { location: location.url } }, empi, privacy };
  const bytes = await fetchBytes(location.url);
  const digest = digestOf(bytes);
  if (digest.size !== location.size || digest.sha256 !== location.sha256)
    throw new UpstreamError(`Binary/${id}: the stored bytes differ from the recorded size and SHA-256; nothing is served`);
  if (asFhir)
    return {
      result: {
        statusCode: 200,
        headers: { "x-content-type-options": "nosniff" },
        body: { resourceType: "Binary", id, contentType: location.contentType, data: bytes.toString("base64") },
      },
      empi,
      privacy,
    };
  return { result: { statusCode: 200, headers: bytesHeaders(location.contentType), raw: bytes }, empi, privacy };
}

/** Document bytes never render in a reader's browser: a safe content type, no sniffing, an attachment */
const bytesHeaders = (contentType: string): Record<string, string> => ({
  "content-type": servedContentType(contentType),
  "x-content-type-options": "nosniff",
  "content-disposition": "attachment",
});

async function fetchBytes(url: string): Promise<Buffer> {
  const res = await fetch(url, { signal: AbortSignal.timeout(15_000) });
  if (res.status !== 200) throw new Error(`the storing city's presigned URL answered ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

/**
 * An upload URL: a presigned POST (a form: `fields`, then the file) for exactly `size` bytes of
 * `contentType`, valid UPLOAD_SECONDS, recorded as the hospital's grant. Publishing copies the bytes
 * away; whatever stays under the upload prefix expires after a day (the bucket's lifecycle rule).
 */
export async function issueUploadUrl(
  index: DocumentIndex,
  cityId: string,
  hospitalId: string,
  upload: { contentType: string; size: number },
) {
  const uploadId = uploadIdOf(cityId, randomBytes(16).toString("hex"));
  const s3Key = `${UPLOAD_PREFIX}${uploadId}`;
  const expires = new Date(clock.nowMs() + UPLOAD_SECONDS * 1000).toISOString();
  await index.grantUpload({ uploadId, hospitalId, s3Key, contentType: upload.contentType, size: upload.size, expires });
  const post = await index.presignPost(s3Key, UPLOAD_SECONDS, upload);
  return { url: post.url, method: "POST", fields: post.fields, size: upload.size, expires, binary: { reference: `Binary/${uploadId}` } };
}
