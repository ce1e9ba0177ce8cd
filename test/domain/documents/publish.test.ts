/** The MHD publish transaction checked without I/O: what is accepted, and each refusal naming its field. */
import { describe, expect, it } from "vitest";
import {
  checkAttachment,
  digestOf,
  documentClassOf,
  documentIdOf,
  parsePublishBundle,
  publishedKey,
  servedContentType,
  storingCity,
} from "#domain/documents/publish.ts";
import { DomainError } from "#domain/errors.ts";
import { type DocOptions, FATHER_ID, publishBundle, sha1Base64 } from "#lib/world/index.ts";
import { documentSystem, MAX_INLINE_BYTES, type TransactionBundle } from "#schemas/documents.ts";
import { RESIDENT_ID_SYSTEM } from "#schemas/patient.ts";
import { statusOf } from "#shared/http.ts";

const hospital = { id: "h-sjz-001", cityId: "shijiazhuang", credential: "x", practitioners: ["p-1"] };
const subject = { system: RESIDENT_ID_SYSTEM, value: FATHER_ID };
const bytes = Buffer.from("<ClinicalDocument/>");
const bundle = (options: DocOptions = { bytes }, master = "DOC-1") =>
  publishBundle(hospital, master, subject, options) as TransactionBundle;
const parse = (b: TransactionBundle) => parsePublishBundle(b, hospital.id, hospital.cityId);

function refusal(run: () => unknown): { status: number; expression: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return { status: statusOf(error), expression: error.issues.map((i) => i.expression ?? "").join(",") };
    throw error;
  }
  throw new Error("accepted");
}

/** The bundle with fields of its DocumentReference replaced */
const withDocument = (fields: Record<string, unknown>) => {
  const b = bundle();
  Object.assign(b.entry[1]!.resource, fields);
  return b;
};

describe("parsePublishBundle", () => {
  it("keeps only the fields the schema knows, and names every related document", () => {
    const related = documentIdOf("shijiazhuang", { system: documentSystem(hospital.id), value: "DOC-0" });
    const request = parse(
      withDocument({
        custodian: { reference: `Organization/${hospital.id}` },
        extraClaim: { reference: "Organization/bd001" },
        relatesTo: [{ code: "appends", target: { reference: `DocumentReference/${related}` } }],
      }),
    );
    expect(request.document).not.toHaveProperty("extraClaim");
    expect(request.document.custodian).toEqual({ reference: `Organization/${hospital.id}` });
    expect(request.related).toEqual([{ code: "appends", id: related, field: "DocumentReference.relatesTo[0].target" }]);
    expect(request.replaces).toBeUndefined();
  });

  it("accepts a DocumentReference with its inline Binary and SubmissionSet", () => {
    const request = parse(bundle());
    expect(request.authorIds).toEqual(["p-1"]);
    expect(request.content).toMatchObject({ kind: "inline", contentType: "application/pdf" });
    expect(request.content.kind === "inline" && request.content.bytes.equals(bytes)).toBe(true);
    expect(request.submissionSet).toBeDefined();
  });

  it("accepts a bundle without a SubmissionSet, and content at an upload URL", () => {
    const upload = parse(bundle({ url: `Binary/shijiazhuang-u${"a".repeat(32)}`, withList: false }));
    expect(upload.content).toEqual({ kind: "upload", uploadId: `shijiazhuang-u${"a".repeat(32)}`, contentType: "application/pdf" });
    expect(upload.submissionSet).toBeUndefined();
  });

  it("names the replaced version by reference or by its masterIdentifier", () => {
    const old = documentIdOf("shijiazhuang", { system: documentSystem(hospital.id), value: "DOC-0" });
    expect(parse(bundle({ bytes, replaces: old })).replaces).toBe(old);
    expect(
      refusal(() =>
        parse(bundle({ bytes, replaces: documentIdOf("shijiazhuang", { system: documentSystem(hospital.id), value: "DOC-1" }) })),
      ).expression,
    ).toContain("relatesTo");
  });

  it.each([
    ["another hospital's masterIdentifier", () => parsePublishBundle(bundle(), "h-other", "shijiazhuang"), 403, "masterIdentifier.system"],
    [
      "no LOINC type",
      () => {
        const b = bundle();
        (b.entry[1]!.resource as unknown as { type: unknown }).type = {
          coding: [{ system: "https://hebei.health/CodeSystem/ws-t-500", code: "C0032" }],
        };
        return parse(b);
      },
      400,
      "type.coding",
    ],
    ["an author that is no Practitioner", () => parse(bundle({ bytes, author: "x/y" })), 403, "author[0]"],
    [
      "a second author that is another hospital's PractitionerRole",
      () => parse(withDocument({ author: [{ reference: "Practitioner/p-1" }, { reference: "PractitionerRole/bd001-p001-r1" }] })),
      403,
      "author[1]",
    ],
    [
      "a custodian that is another hospital",
      () => parse(withDocument({ custodian: { reference: "Organization/bd001" } })),
      403,
      "custodian",
    ],
    ["an attachment url matching no Binary", () => parse(bundle({ bytes, url: "urn:uuid:elsewhere" })), 400, "attachment.url"],
    [
      "a missing subject",
      () => {
        const b = bundle();
        delete (b.entry[1]!.resource as { subject?: unknown }).subject;
        return parse(b);
      },
      400,
      "subject",
    ],
    ["a date that is no instant", () => parse(bundle({ bytes, date: "yesterday" })), 400, "date"],
    [
      "two DocumentReferences",
      () => {
        const b = bundle();
        b.entry.push(b.entry[1]!);
        return parse(b);
      },
      400,
      "Bundle.entry",
    ],
    ["inline content over 4 MB", () => parse(bundle({ bytes: Buffer.alloc(MAX_INLINE_BYTES + 1) })), 413, "Binary.data"],
  ])("refuses %s", (_what, run, status, field) => {
    const r = refusal(run);
    expect(r.status).toBe(status);
    expect(r.expression).toContain(field);
  });
});

describe("checkAttachment", () => {
  const digest = digestOf(bytes);
  it("accepts matching or absent size and hash", () => {
    expect(() => checkAttachment({ size: bytes.length, hash: sha1Base64(bytes) }, digest)).not.toThrow();
    expect(() => checkAttachment({}, digest)).not.toThrow();
  });
  it("refuses a size or SHA-1 that differs, naming the field", () => {
    expect(refusal(() => checkAttachment({ size: bytes.length + 1 }, digest)).expression).toBe("DocumentReference.content.attachment.size");
    expect(refusal(() => checkAttachment({ hash: sha1Base64(Buffer.from("x")) }, digest)).expression).toBe(
      "DocumentReference.content.attachment.hash",
    );
  });
});

describe("where published bytes live, and how they are served", () => {
  it("files bytes under the document's LOINC type code, by SHA-256", () => {
    const type = {
      coding: [
        { system: "https://hebei.health/CodeSystem/ws-t-500", code: "C0032" },
        { system: "http://loinc.org", code: "34133-9" },
      ],
    };
    expect(documentClassOf({ type })).toBe("34133-9");
    expect(documentClassOf({ type: { coding: [{ system: "http://loinc.org", code: "../x" }] } })).toBe("other");
    expect(publishedKey("34133-9", "ab".repeat(32))).toBe(`docs/34133-9/${"ab".repeat(32)}`);
  });
  it("serves a content type of the safe list as declared (with its charset), anything else as application/octet-stream", () => {
    expect(servedContentType("application/pdf")).toBe("application/pdf");
    expect(servedContentType("Text/Plain; charset=UTF-8")).toBe("text/plain; charset=utf-8");
    expect(servedContentType("text/html")).toBe("application/octet-stream");
    expect(servedContentType("image/svg+xml")).toBe("application/octet-stream");
    expect(servedContentType("application/pdf; x=<script>")).toBe("application/pdf");
  });
});

describe("document ids", () => {
  it("derive from the masterIdentifier and name the storing city", () => {
    const a = documentIdOf("baoding", { system: documentSystem("h1"), value: "1" });
    expect(a).toBe(documentIdOf("baoding", { system: documentSystem("h1"), value: "1" }));
    expect(a).not.toBe(documentIdOf("baoding", { system: documentSystem("h1"), value: "2" }));
    expect(storingCity(a)).toBe("baoding");
    expect(storingCity("../etc")).toBeUndefined();
  });
});
