/**
 * Published bytes cannot change, and never render in a reader's browser, through the local province:
 * an upload URL is a presigned POST for the declared size; publishing copies the upload to
 * `docs/<class>/<sha256>` and checks its size and hash (the local S3 emulator ignores POST policies,
 * so the check at publish is what holds here); overwriting the upload afterwards through its URL
 * changes nothing a reader gets; inline reads are re-hashed; bytes are answered as attachments with
 * a safe content type and `nosniff`; unpublished uploads are gone a day later (province clock).
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { HeadObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentIdOf } from "#domain/documents/publish.ts";
import { type UploadUrl, uploadTo } from "#lib/harness/http.ts";
import { father, type Id, patientOf, publishBundle, randomDocument, sha1Base64 } from "#lib/world/index.ts";
import { documentSystem } from "#schemas/documents.ts";
import { mrnSystem } from "#schemas/patient.ts";
import { advanceClock, call, startTestProvince, type TestProvince, waitFor } from "../support/province.ts";

let t: TestProvince;
type Hospital = TestProvince["credentials"]["hospitals"][number];
let sjz: Hospital; // publishes, in Shijiazhuang
let ts: Hospital; // reads, in Tangshan
let db: DynamoDBDocumentClient;
let s3: S3Client;
let resident: Id;
const DAY = 24 * 3600;

const cityUrl = (h: Hospital, path: string) => `${t.province.url}/cities/${h.cityId}${path}`;
const as = (h: Hospital) => ({ token: h.credential, headers: { "x-practitioner-id": h.practitioners[0]! } });
const issues = (res: { json?: Record<string, unknown> }) => JSON.stringify(res.json?.issue);
const docId = (master: string) => documentIdOf("shijiazhuang", { system: documentSystem(sjz.id), value: master });
const bucket = () => t.province.resources.get("shijiazhuang")!.buckets.get("Documents")!;
const table = (id: string) => t.province.resources.get("shijiazhuang")!.tables.get(id)!;

const uploadUrl = async (contentType: string, size: unknown) =>
  call(cityUrl(sjz, "/fhir/Binary/$upload-url"), { ...as(sjz), body: { contentType, size } });
/** an upload URL for `declared` bytes, and `bytes` sent to it */
async function uploaded(bytes: Buffer, contentType = "application/pdf", declared = bytes.length): Promise<UploadUrl> {
  const issued = await uploadUrl(contentType, declared);
  expect(issued.status, issues(issued)).toBe(201);
  const upload = issued.json as unknown as UploadUrl;
  expect((await uploadTo(upload, bytes)).status).toBe(204);
  return upload;
}
const publishUpload = (master: string, upload: UploadUrl, bytes: Buffer, contentType = "application/pdf") =>
  call(cityUrl(sjz, "/fhir"), {
    ...as(sjz),
    body: publishBundle(sjz, master, resident, { url: upload.binary.reference, size: bytes.length, hash: sha1Base64(bytes), contentType }),
  });
/** GET /fhir/Binary/{id} from Tangshan, redirects not followed */
const retrieve = (id: string, accept?: string) =>
  fetch(cityUrl(ts, `/fhir/Binary/${id}`), {
    headers: { authorization: `Bearer ${ts.credential}`, "x-practitioner-id": ts.practitioners[0]!, ...(accept ? { accept } : {}) },
    redirect: "manual",
  });
/** the bytes a reader in Tangshan gets: inline, or through the presigned URL it is redirected to */
async function readBytes(id: string): Promise<{ status: number; bytes: Buffer; headers: Headers }> {
  let res = await waitFor(
    () => retrieve(id),
    (r) => r.status !== 404,
    10_000,
  );
  if (res.status === 302) res = await fetch(res.headers.get("location")!);
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()), headers: res.headers };
}
const storedRecord = async (master: string) =>
  (await db.send(new GetCommand({ TableName: table("DocumentIndex"), Key: { pk: `DocumentReference/${docId(master)}`, sk: "record" } })))
    .Item;
const outboxMessage = async (master: string) =>
  (await db.send(new GetCommand({ TableName: table("Outbox"), Key: { messageId: `DocumentReference/${docId(master)}/1` } }))).Item;
const objectSize = (key: string) =>
  s3.send(new HeadObjectCommand({ Bucket: bucket(), Key: key })).then(
    (o) => o.ContentLength,
    () => undefined,
  );

beforeAll(async () => {
  t = await startTestProvince();
  db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: t.province.endpoints.dynamodb }));
  s3 = new S3Client({ endpoint: t.province.endpoints.s3, forcePathStyle: true });
  const inCity = (city: string) => t.credentials.hospitals.find((h) => h.cityId === city && h.practitioners.length > 0)!;
  sjz = inCity("shijiazhuang");
  ts = inCity("tangshan");
  const fed = await call(cityUrl(sjz, "/fhir/Patient"), { token: sjz.credential, body: patientOf(sjz.id, "B-1001", father) });
  expect(fed.status).toBe(201);
  resident = { system: mrnSystem(sjz.id), value: "B-1001" };
  // the reader treats the resident too: the consent policy opens another hospital's documents only then (docs/consent.md)
  const registered = await call(cityUrl(ts, "/fhir/Patient"), { token: ts.credential, body: patientOf(ts.id, "B-2001", father) });
  expect([200, 201]).toContain(registered.status);
}, 120_000);
afterAll(async () => {
  s3?.destroy();
  await t?.province.stop();
});

describe("published bytes are immutable", () => {
  it("answers an upload URL as a presigned POST for the declared size, and refuses one without a size", async () => {
    const issued = await uploadUrl("application/pdf", 1234);
    expect(issued.status, issues(issued)).toBe(201);
    expect(issued.json).toMatchObject({
      method: "POST",
      size: 1234,
      fields: { key: expect.stringMatching(/^incoming\/shijiazhuang-u[a-f0-9]{32}$/), "Content-Type": "application/pdf" },
      binary: { reference: expect.stringMatching(/^Binary\/shijiazhuang-u/) },
    });
    const policy = JSON.parse(Buffer.from((issued.json as unknown as UploadUrl).fields.Policy!, "base64").toString("utf8"));
    expect(policy.conditions).toContainEqual(["content-length-range", 1234, 1234]);
    for (const size of [undefined, 0, 100 * 1024 * 1024 + 1]) {
      const refused = await uploadUrl("application/pdf", size);
      expect(refused.status).toBe(400);
      expect(issues(refused)).toContain("size");
    }
  });

  it("stores the published bytes content-addressed under the document's class", async () => {
    const bytes = Buffer.from(`<report>content-addressed ${Date.now()}</report>`);
    const upload = await uploaded(bytes);
    const res = await publishUpload("B-KEY", upload, bytes);
    expect(res.status, issues(res)).toBe(201);
    const record = await storedRecord("B-KEY");
    expect(record?.content.s3Key).toMatch(/^docs\/34133-9\/[a-f0-9]{64}$/);
    expect(await objectSize(record!.content.s3Key)).toBe(bytes.length);
  });

  it("serves the published bytes after the upload is overwritten through its URL (inline read)", async () => {
    const bytes = Buffer.from(`<report>the published version ${Date.now()}</report>`);
    const upload = await uploaded(bytes);
    const res = await publishUpload("B-SMALL", upload, bytes);
    expect(res.status, issues(res)).toBe(201);
    const other = Buffer.alloc(bytes.length, "X");
    expect((await uploadTo(upload, other)).status).toBe(204); // the URL is still valid for 15 minutes
    const read = await readBytes(docId("B-SMALL"));
    expect(read.status).toBe(200);
    expect(read.bytes.equals(bytes)).toBe(true);
  });

  it("serves the published bytes after the upload is overwritten (a large document, through the presigned URL)", async () => {
    const large = randomDocument(4 * 1024 * 1024 + 4096);
    const upload = await uploaded(large, "text/html");
    const res = await publishUpload("B-LARGE", upload, large, "text/html");
    expect(res.status, issues(res)).toBe(201);
    expect((await uploadTo(upload, randomDocument(large.length))).status).toBe(204);
    const read = await readBytes(docId("B-LARGE"));
    expect(read.status).toBe(200);
    expect(read.bytes.equals(large)).toBe(true);
    // an uploader's text/html is a download, never a page
    expect(read.headers.get("content-type")).toBe("application/octet-stream");
    expect(read.headers.get("content-disposition")).toBe("attachment");
  });

  it("refuses an upload of another size than declared, with nothing recorded, sent or changed", async () => {
    const declared = 2048;
    for (const [master, bytes] of [
      ["B-MORE", randomDocument(declared + 10)],
      ["B-LESS", randomDocument(declared - 1)],
    ] as const) {
      // the local S3 emulator ignores the POST policy (S3 would answer 400): the upload lands
      const upload = await uploaded(bytes, "application/pdf", declared);
      const res = await publishUpload(master, upload, bytes);
      expect(res.status, master).toBe(400);
      expect(res.json!.resourceType).toBe("OperationOutcome");
      expect(issues(res)).toContain("DocumentReference.content.attachment.size");
      expect(await storedRecord(master)).toBeUndefined();
      expect(await outboxMessage(master)).toBeUndefined();
      expect(await objectSize(upload.fields.key!)).toBe(bytes.length); // the upload is left as it was
    }
    const found = await call(
      cityUrl(sjz, `/fhir/DocumentReference?patient.identifier=${encodeURIComponent(`${resident.system}|${resident.value}`)}`),
      as(sjz),
    );
    const ids = ((found.json!.entry ?? []) as { resource: { id: string } }[]).map((e) => e.resource.id);
    expect(ids).not.toContain(docId("B-MORE"));
    expect(ids).not.toContain(docId("B-LESS"));
  });

  it("refuses an upload whose hash differs from the attachment's, or that was never sent", async () => {
    const bytes = randomDocument(1000);
    const upload = await uploaded(bytes);
    const wrongHash = await call(cityUrl(sjz, "/fhir"), {
      ...as(sjz),
      body: publishBundle(sjz, "B-HASH", resident, { url: upload.binary.reference, size: 1000, hash: sha1Base64(Buffer.from("x")) }),
    });
    expect(wrongHash.status).toBe(400);
    expect(issues(wrongHash)).toContain("DocumentReference.content.attachment.hash");
    const never = (await uploadUrl("application/pdf", 1000)).json as unknown as UploadUrl;
    const missing = await publishUpload("B-NONE", never, bytes);
    expect(missing.status).toBe(400);
    expect(issues(missing)).toContain("DocumentReference.content.attachment.url");
    expect(await storedRecord("B-HASH")).toBeUndefined();
    expect(await storedRecord("B-NONE")).toBeUndefined();
  });

  it("answers a re-publish through the same upload with the original", async () => {
    const bytes = Buffer.from(`<report>published twice ${Date.now()}</report>`);
    const upload = await uploaded(bytes);
    expect((await publishUpload("B-AGAIN", upload, bytes)).status).toBe(201);
    const again = await publishUpload("B-AGAIN", upload, bytes);
    expect(again.status, issues(again)).toBe(200);
  });

  it("re-hashes inline reads: bytes changed in the bucket behind the index are not served", async () => {
    const bytes = Buffer.from(`<report>tampered with ${Date.now()}</report>`);
    const published = await call(cityUrl(sjz, "/fhir"), { ...as(sjz), body: publishBundle(sjz, "B-TAMPER", resident, { bytes }) });
    expect(published.status, issues(published)).toBe(201);
    const record = await storedRecord("B-TAMPER");
    await s3.send(new PutObjectCommand({ Bucket: bucket(), Key: record!.content.s3Key, Body: Buffer.alloc(bytes.length, "Z") }));
    const res = await retrieve(docId("B-TAMPER"));
    expect(res.status).toBe(502);
    const body = await res.text();
    expect(body).toContain("OperationOutcome");
    expect(body).not.toContain("ZZZZ");
  });
});

describe("document bytes never render in a reader's browser", () => {
  it("answers text/html content as an application/octet-stream attachment with nosniff", async () => {
    const html = Buffer.from("<html><script>alert(document.cookie)</script></html>");
    const published = await call(cityUrl(sjz, "/fhir"), {
      ...as(sjz),
      body: publishBundle(sjz, "B-HTML", resident, { bytes: html, contentType: "text/html" }),
    });
    expect(published.status, issues(published)).toBe(201);
    const raw = await waitFor(
      () => retrieve(docId("B-HTML")),
      (r) => r.status !== 404,
      10_000,
    );
    expect(raw.status).toBe(200);
    expect(raw.headers.get("content-type")).toBe("application/octet-stream");
    expect(raw.headers.get("x-content-type-options")).toBe("nosniff");
    expect(raw.headers.get("content-disposition")).toBe("attachment");
    expect(Buffer.from(await raw.arrayBuffer()).equals(html)).toBe(true);
    // as a FHIR Binary it keeps the declared type, inside JSON
    const fhir = await retrieve(docId("B-HTML"), "application/fhir+json");
    expect(fhir.headers.get("x-content-type-options")).toBe("nosniff");
    expect(((await fhir.json()) as { contentType: string }).contentType).toBe("text/html");
  });
});

describe("unpublished uploads expire after a day (province clock)", () => {
  it("removes an unpublished upload a day later, and keeps every published document", async () => {
    // a canary, 23.5 hours older than the uploads under test: its removal shows a sweep ran an hour after them
    const canary = await uploaded(randomDocument(100));
    // S3 dates an object to the whole second, and the sweeper takes a write made in the second of a
    // clock advance as made after it (never early): the canary's second must be over before the advance
    await new Promise((resolve) => setTimeout(resolve, 1001 - (Date.now() % 1000)));
    await advanceClock(t.province, DAY - 1800);
    const unpublished = await uploaded(randomDocument(500));
    const fresh = Buffer.from(`<report>published before the day passed ${Date.now()}</report>`);
    const published = await uploaded(fresh);
    expect((await publishUpload("B-KEPT", published, fresh)).status).toBe(201);
    await advanceClock(t.province, 3600); // an hour: the canary is over a day old, the uploads under test are not
    // the sweep lists what is due, then deletes it: once the canary is gone, that sweep has passed over the others
    await waitFor(
      () => objectSize(canary.fields.key!),
      (size) => size === undefined,
      15_000,
    );
    expect(await objectSize(unpublished.fields.key!)).toBe(500);

    // likewise the uploads' second must be over: an advance within it would date them after it
    await new Promise((resolve) => setTimeout(resolve, 1001 - (Date.now() % 1000)));
    await advanceClock(t.province, DAY);
    // the sweep deletes one object after another: wait for both uploads (a published document's too)
    const sizes = await waitFor(
      async () => [await objectSize(unpublished.fields.key!), await objectSize(published.fields.key!)],
      (both) => both.every((size) => size === undefined),
      15_000,
    );
    expect(sizes).toEqual([undefined, undefined]);
    const late = await publishUpload("B-LATE", unpublished, randomDocument(500));
    expect(late.status).toBe(400);
    expect(issues(late)).toContain("DocumentReference.content.attachment.url");
    const read = await readBytes(docId("B-KEPT"));
    expect(read.status).toBe(200);
    expect(read.bytes.equals(fresh)).toBe(true);
  });
});
