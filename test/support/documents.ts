/** Builders for the document tests and benches: MHD publish bundles and the hospitals' requests. */
import { createHash, randomBytes } from "node:crypto";
import { documentSystem, LOINC_SYSTEM } from "#schemas/documents.ts";

export type Id = { system: string; value: string };
export interface HospitalCredential {
  id: string;
  cityId: string;
  credential: string;
  practitioners: string[];
}

export const sha1Base64 = (bytes: Buffer): string => createHash("sha1").update(bytes).digest("base64");
export const WST500_SYSTEM = "https://hebei.health/CodeSystem/ws-t-500";

export interface DocOptions {
  contentType?: string;
  /** attachment.url: the Binary entry's fullUrl (default) or an upload's `Binary/<id>` */
  url?: string;
  size?: number | null;
  hash?: string | null;
  author?: string;
  replaces?: string;
  date?: string;
  loinc?: string;
  withList?: boolean;
  /** inline bytes (omit for an uploaded content) */
  bytes?: Buffer;
}

export function documentReference(h: HospitalCredential, master: string, subject: Id, options: DocOptions) {
  const bytes = options.bytes;
  return {
    resourceType: "DocumentReference",
    masterIdentifier: { system: documentSystem(h.id), value: master },
    status: "current",
    type: {
      coding: [
        { system: LOINC_SYSTEM, code: options.loinc ?? "34133-9", display: "Summary of episode note" },
        { system: WST500_SYSTEM, code: "C0032", display: "出院小结" },
      ],
    },
    subject: { identifier: subject },
    date: options.date ?? new Date().toISOString(),
    author: [{ reference: `Practitioner/${options.author ?? h.practitioners[0]}` }],
    ...(options.replaces ? { relatesTo: [{ code: "replaces", target: { reference: `DocumentReference/${options.replaces}` } }] } : {}),
    content: [
      {
        attachment: {
          contentType: options.contentType ?? "application/pdf",
          url: options.url ?? "urn:uuid:binary-1",
          ...(options.size === null ? {} : { size: options.size ?? bytes?.length }),
          ...(options.hash === null || !bytes ? (options.hash ? { hash: options.hash } : {}) : { hash: options.hash ?? sha1Base64(bytes) }),
        },
      },
    ],
  };
}

/** An MHD ITI-65 transaction: the DocumentReference, its Binary (when inline) and, unless told, the SubmissionSet */
export function publishBundle(h: HospitalCredential, master: string, subject: Id, options: DocOptions) {
  const entries: Record<string, unknown>[] = [];
  if (options.withList !== false)
    entries.push({
      fullUrl: "urn:uuid:submission-set",
      resource: {
        resourceType: "List",
        status: "current",
        mode: "working",
        code: { coding: [{ system: "https://profiles.ihe.net/ITI/MHD/CodeSystem/MHDlistTypes", code: "submissionset" }] },
        subject: { identifier: subject },
        date: new Date().toISOString(),
        entry: [{ item: { reference: "urn:uuid:document-1" } }],
      },
      request: { method: "POST", url: "List" },
    });
  entries.push({
    fullUrl: "urn:uuid:document-1",
    resource: documentReference(h, master, subject, options),
    request: { method: "POST", url: "DocumentReference" },
  });
  if (options.bytes)
    entries.push({
      fullUrl: "urn:uuid:binary-1",
      resource: { resourceType: "Binary", contentType: options.contentType ?? "application/pdf", data: options.bytes.toString("base64") },
      request: { method: "POST", url: "Binary" },
    });
  return { resourceType: "Bundle", type: "transaction", entry: entries };
}

export const randomDocument = (size: number): Buffer => randomBytes(size);
