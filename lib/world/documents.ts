/**
 * Clinical documents as hospitals publish them: a WS/T 500-style CDA document (XML) of a chosen
 * size, its DocumentReference, and the MHD publish (ITI-65) transaction Bundle that carries both.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Rng } from "#lib/seed/prng.ts";
import { documentSystem, LOINC_SYSTEM } from "#schemas/documents.ts";
import { ACT_CODE_SYSTEM, CONFIDENTIALITY_SYSTEM } from "#schemas/privacy.ts";
import type { Registration } from "./residents.ts";

export type Id = { system: string; value: string };
/** The publishing hospital: its id, and the practitioner who signs by default. */
export interface Publisher {
  id: string;
  practitioners: readonly string[];
}

export const WST500_SYSTEM = "https://hebei.health/CodeSystem/ws-t-500";
export const sha1Base64 = (bytes: Buffer): string => createHash("sha1").update(bytes).digest("base64");
/** Random bytes (not seeded): content whose only property that matters is its size. */
export const randomDocument = (size: number): Buffer => randomBytes(size);

/** A kind of document: LOINC with the national WS/T 500 code beside it */
export interface DocumentType {
  loinc: string;
  loincDisplay?: string;
  wst: string;
  wstDisplay?: string;
  /** the CDA title and the type's text */
  title?: string;
}
/** What the tests publish unless told otherwise */
export const DISCHARGE_SUMMARY: DocumentType = {
  loinc: "34133-9",
  loincDisplay: "Summary of episode note",
  wst: "C0032",
  wstDisplay: "出院小结",
};
/** The kinds the simulated hospitals publish */
export const DOCUMENT_TYPES: readonly DocumentType[] = [
  { loinc: "34133-9", wst: "C0032", title: "门诊摘要 Outpatient summary" },
  { loinc: "18842-5", wst: "C0053", title: "出院小结 Discharge summary" },
  { loinc: "11502-2", wst: "C0009", title: "检验报告 Laboratory report" },
  { loinc: "18748-4", wst: "C0011", title: "检查报告 Imaging report" },
];

/** A WS/T 500-style CDA document of about `bytes` bytes about `r` */
export function cdaDocument(title: string, r: Pick<Registration, "residentId" | "family" | "given">, bytes: number, rng: Rng): string {
  const head = `<?xml version="1.0" encoding="UTF-8"?>\n<ClinicalDocument xmlns="urn:hl7-org:v3"><title>${title}</title><recordTarget><patientRole><id root="2.16.156.10011.1.3" extension="${r.residentId ?? ""}"/><patient><name>${r.family}${r.given}</name></patient></patientRole></recordTarget><component><structuredBody>`;
  const words = ["主诉", "现病史", "既往史", "体格检查", "诊断", "处理", "医嘱", "血常规", "正常", "随访"];
  const parts: string[] = [head];
  let size = Buffer.byteLength(head);
  while (size < bytes) {
    const para = `<section><text>${rng.pick(words)}：${rng.int(0, 999_999_999).toString(36)}。</text></section>`;
    parts.push(para);
    size += Buffer.byteLength(para);
  }
  parts.push("</structuredBody></component></ClinicalDocument>");
  return parts.join("");
}

export interface DocOptions {
  contentType?: string;
  /** attachment.url: the Binary entry's fullUrl (default) or an upload's `Binary/<id>` */
  url?: string;
  size?: number | null;
  hash?: string | null;
  author?: string;
  replaces?: string;
  date?: string;
  /** the kind (default DISCHARGE_SUMMARY) */
  type?: DocumentType;
  /** another LOINC code for the kind */
  loinc?: string;
  withList?: boolean;
  /** inline bytes (omit for an uploaded content) */
  bytes?: Buffer;
  /** sensitive categories (docs/consent.md): "R" (confidentiality) or a v3-ActCode sensitivity code (HIV, PSY, SDV, ETH, GDIS) */
  labels?: readonly string[];
}

/** A document's securityLabel for sensitive categories */
export const securityLabels = (labels: readonly string[]) =>
  labels.map((code) => ({
    coding: [{ system: code === "R" ? CONFIDENTIALITY_SYSTEM : ACT_CODE_SYSTEM, code }],
  }));

export function documentReference(h: Publisher, master: string, subject: Id, options: DocOptions) {
  const bytes = options.bytes;
  const type = options.type ?? DISCHARGE_SUMMARY;
  return {
    resourceType: "DocumentReference",
    masterIdentifier: { system: documentSystem(h.id), value: master },
    status: "current",
    type: {
      coding: [
        { system: LOINC_SYSTEM, code: options.loinc ?? type.loinc, ...(type.loincDisplay ? { display: type.loincDisplay } : {}) },
        { system: WST500_SYSTEM, code: type.wst, ...(type.wstDisplay ? { display: type.wstDisplay } : {}) },
      ],
      ...(type.title ? { text: type.title } : {}),
    },
    subject: { identifier: subject },
    date: options.date ?? new Date().toISOString(),
    author: [{ reference: `Practitioner/${options.author ?? h.practitioners[0]}` }],
    ...(options.labels?.length ? { securityLabel: securityLabels(options.labels) } : {}),
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
export function publishBundle(h: Publisher, master: string, subject: Id, options: DocOptions) {
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
        date: options.date ?? new Date().toISOString(),
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

/**
 * A simulated hospital's document: a CDA document of about `bytes` bytes of the `kind`-th type about
 * `r`, published under `number` for the patient `mrn` (no SubmissionSet, as the FEPs send it).
 */
export function cdaPublishBundle(
  h: Publisher,
  author: string | undefined,
  number: string,
  subject: Id,
  r: Pick<Registration, "residentId" | "family" | "given">,
  at: string,
  kind: number,
  bytes: number,
  rng: Rng,
  labels: readonly string[] = [],
) {
  const type = DOCUMENT_TYPES[kind % DOCUMENT_TYPES.length]!;
  const content = Buffer.from(cdaDocument(type.title!, r, bytes, rng), "utf8");
  return publishBundle(h, number, subject, {
    bytes: content,
    contentType: "application/xml",
    type,
    date: at,
    withList: false,
    ...(author === undefined ? {} : { author }),
    ...(labels.length ? { labels } : {}),
  });
}
