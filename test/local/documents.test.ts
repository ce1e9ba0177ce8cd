/**
 * Clinical documents through the local province (IHE MHD): a hospital publishes in one city, a
 * hospital of another city finds and retrieves the exact bytes (inline and through an upload URL);
 * re-publishing is idempotent, other bytes under the same masterIdentifier are refused, a new version
 * supersedes the old, a withdrawn one disappears; bad publishes are refused with nothing stored; and
 * encounters build the resident's timeline.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentIdOf } from "#domain/documents/publish.ts";
import { type UploadUrl, uploadTo } from "#lib/harness/http.ts";
import { FATHER_ID, father, type Id, patientOf, publishBundle, randomDocument, SON_ID, sha1Base64 } from "#lib/world/index.ts";
import { documentSystem, encounterSystem } from "#schemas/documents.ts";
import { EMPI_SYSTEM, mrnSystem, RESIDENT_ID_SYSTEM } from "#schemas/patient.ts";
import { call, startTestProvince, type TestProvince, waitFor } from "../support/province.ts";

let t: TestProvince;
type Hospital = TestProvince["credentials"]["hospitals"][number];
let sjz: Hospital; // publishes, in Shijiazhuang
let sjz2: Hospital; // another hospital there
let ts: Hospital; // finds and retrieves, in Tangshan
let empi: string;
const residentId: Id = { system: RESIDENT_ID_SYSTEM, value: FATHER_ID };
let db: DynamoDBDocumentClient;

const cityUrl = (h: Hospital, path: string) => `${t.province.url}/cities/${h.cityId}${path}`;
const as = (h: Hospital, practitioner = true) => ({
  token: h.credential,
  headers: practitioner ? { "x-practitioner-id": h.practitioners[0]! } : ({} as Record<string, string>),
});
const publish = (h: Hospital, bundle: unknown, practitioner = true) =>
  call(cityUrl(h, "/fhir"), {
    ...as(h, practitioner),
    body: bundle,
    headers: { ...as(h, practitioner).headers, "content-type": "application/fhir+json" },
  });
const search = (h: Hospital, query: string, practitioner = true) =>
  call(cityUrl(h, `/fhir/DocumentReference?${query}`), as(h, practitioner));
const byIdentifier = (id: Id, extra = "") => `patient.identifier=${encodeURIComponent(`${id.system}|${id.value}`)}${extra}`;
type Entry = { resource: Record<string, unknown> };
const entriesOf = (res: { json?: Record<string, unknown> }) => ((res.json?.entry ?? []) as Entry[]).map((e) => e.resource);
const idsOf = (res: { json?: Record<string, unknown> }) => entriesOf(res).map((r) => r.id as string);
const attachmentUrl = (doc: Record<string, unknown>) => (doc.content as { attachment: { url: string } }[])[0]!.attachment.url;
const issues = (res: { json?: Record<string, unknown> }) => JSON.stringify(res.json?.issue);
const binary = async (url: string, h: Hospital, accept?: string) =>
  fetch(url, {
    headers: { authorization: `Bearer ${h.credential}`, "x-practitioner-id": h.practitioners[0]!, ...(accept ? { accept } : {}) },
    redirect: "manual",
  });
/** the city's stored record of a document (nothing stored → undefined) */
const storedRecord = async (h: Hospital, master: string) =>
  (
    await db.send(
      new GetCommand({
        TableName: t.province.resources.get(h.cityId)!.tables.get("DocumentIndex")!,
        Key: { pk: `DocumentReference/${documentIdOf(h.cityId, { system: documentSystem(h.id), value: master })}`, sk: "record" },
      }),
    )
  ).Item;

beforeAll(async () => {
  t = await startTestProvince();
  db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: t.province.endpoints.dynamodb }));
  const inCity = (city: string) => t.credentials.hospitals.filter((h) => h.cityId === city && h.practitioners.length > 0);
  [sjz, sjz2] = inCity("shijiazhuang") as [Hospital, Hospital];
  [ts] = inCity("tangshan") as [Hospital];
  const fed = await call(cityUrl(sjz, "/fhir/Patient"), { token: sjz.credential, body: patientOf(sjz.id, "D-1001", father) });
  expect(fed.status).toBe(201);
  empi = ((fed.json!.identifier as Id[]).find((i) => i.system === EMPI_SYSTEM) as Id).value;
  expect(empi).toBeTruthy();
  // the readers treat the resident too: the consent policy opens another hospital's record only then (docs/consent.md)
  for (const [h, mrn] of [
    [sjz2, "D-2001"],
    [ts, "D-3001"],
  ] as const) {
    const registered = await call(cityUrl(h, "/fhir/Patient"), { token: h.credential, body: patientOf(h.id, mrn, father) });
    expect([200, 201]).toContain(registered.status);
  }
}, 120_000);
afterAll(async () => {
  await t?.province.stop();
});

describe("publish in one city, find and retrieve from another", () => {
  const bytes = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><ClinicalDocument>出院小结 ${Date.now()}</ClinicalDocument>`);
  let docId: string;

  it("publishes a small document inline and answers a transaction-response", async () => {
    const res = await publish(
      sjz,
      publishBundle(sjz, "DS-1", { system: mrnSystem(sjz.id), value: "D-1001" }, { bytes, contentType: "application/xml" }),
    );
    expect(res.status, issues(res)).toBe(201);
    expect(res.json!.type).toBe("transaction-response");
    const entries = res.json!.entry as { response: { status: string; location: string }; resource?: Record<string, unknown> }[];
    expect(entries.map((e) => e.response.status)).toEqual(["201 Created", "201 Created", "201 Created"]);
    const doc = entries.find((e) => e.resource)!.resource!;
    docId = doc.id as string;
    expect(docId.startsWith("shijiazhuang-")).toBe(true);
    expect(doc.subject).toMatchObject({ identifier: { system: EMPI_SYSTEM, value: empi } });
  });

  it("is visible in its own city at once, by another of the resident's identifiers", async () => {
    const res = await search(sjz2, byIdentifier(residentId));
    expect(res.status, issues(res)).toBe(200);
    expect(idsOf(res)).toContain(docId);
  });

  it("is found from another city by any identifier, pointing at the asking node's Binary endpoint", async () => {
    const res = await waitFor(
      () => search(ts, byIdentifier({ system: EMPI_SYSTEM, value: empi })),
      (r) => idsOf(r).includes(docId),
      10_000,
    );
    const doc = entriesOf(res).find((d) => d.id === docId)!;
    expect(attachmentUrl(doc)).toBe(`${t.province.url}/cities/tangshan/fhir/Binary/${docId}`);
    expect((doc.content as { attachment: { size: number; hash: string } }[])[0]!.attachment).toMatchObject({
      size: bytes.length,
      hash: sha1Base64(bytes),
    });
    const byType = await search(ts, byIdentifier(residentId, "&type=http://loinc.org|34133-9&date=ge2020-01-01"));
    expect(idsOf(byType)).toContain(docId);
    const otherType = await search(ts, byIdentifier(residentId, "&type=http://loinc.org|11506-3"));
    expect(idsOf(otherType)).not.toContain(docId);
  });

  it("retrieves the exact bytes from the other city, raw or as a FHIR Binary", async () => {
    const url = `${t.province.url}/cities/tangshan/fhir/Binary/${docId}`;
    const raw = await binary(url, ts);
    expect(raw.status).toBe(200);
    expect(raw.headers.get("content-type")).toBe("application/xml");
    expect(raw.headers.get("content-disposition")).toBe("attachment");
    expect(raw.headers.get("x-content-type-options")).toBe("nosniff");
    expect(Buffer.from(await raw.arrayBuffer()).equals(bytes)).toBe(true);
    const fhir = await binary(url, ts, "application/fhir+json");
    const resource = (await fhir.json()) as { resourceType: string; data: string; contentType: string };
    expect(resource).toMatchObject({ resourceType: "Binary", contentType: "application/xml" });
    expect(Buffer.from(resource.data, "base64").equals(bytes)).toBe(true);
  });

  it("audits each retrieval and search once, at the asking city, naming the resident", async () => {
    type Event = { resource: { action: string; outcome: string; source: { site: string }; entity: { what?: { reference?: string } }[] } };
    const audited = async () =>
      (
        (
          await call(
            `${t.province.url}/hub/fhir/AuditEvent?patient.identifier=${encodeURIComponent(`${EMPI_SYSTEM}|${empi}`)}&_count=500`,
            {
              token: t.credentials.operator,
            },
          )
        ).json as { entry?: Event[] }
      ).entry ?? [];
    const reads = (events: Event[]) => events.filter((e) => e.resource.entity.some((x) => x.what?.reference === `Binary/${docId}`));
    const events = await waitFor(audited, (es) => reads(es).length >= 2, 20_000);
    expect(reads(events).map((e) => [e.resource.action, e.resource.outcome, e.resource.source.site])).toEqual([
      ["R", "0", "tangshan"],
      ["R", "0", "tangshan"],
    ]);
    const searches = events.filter((e) => e.resource.action === "E" && e.resource.source.site === "tangshan");
    expect(searches.length).toBeGreaterThanOrEqual(1);
    const published = events.filter((e) => e.resource.entity.some((x) => x.what?.reference === `DocumentReference/${docId}`));
    expect(published.map((e) => [e.resource.action, e.resource.source.site])).toEqual([["C", "shijiazhuang"]]);
  });

  it("requires a practitioner of the asking hospital to search or retrieve", async () => {
    expect((await search(ts, byIdentifier(residentId), false)).status).toBe(403);
    const res = await fetch(`${t.province.url}/cities/tangshan/fhir/Binary/${docId}`, {
      headers: { authorization: `Bearer ${ts.credential}`, "x-practitioner-id": sjz.practitioners[0]! },
    });
    expect(res.status).toBe(403);
  });

  it("answers a re-publish of the same version with the original, and refuses other bytes under its masterIdentifier", async () => {
    const again = await publish(sjz, publishBundle(sjz, "DS-1", residentId, { bytes, contentType: "application/xml" }));
    expect(again.status, issues(again)).toBe(200);
    expect((again.json!.entry as { response: { status: string } }[])[0]!.response.status).toBe("200 OK");
    const other = await publish(
      sjz,
      publishBundle(sjz, "DS-1", residentId, { bytes: Buffer.from("other bytes"), contentType: "application/xml" }),
    );
    expect(other.status).toBe(409);
    expect(other.json!.resourceType).toBe("OperationOutcome");
    const raw = await binary(`${t.province.url}/cities/shijiazhuang/fhir/Binary/${docId}`, sjz);
    expect(Buffer.from(await raw.arrayBuffer()).equals(bytes)).toBe(true);
    const listed = await search(sjz, byIdentifier(residentId));
    expect(idsOf(listed).filter((id) => id === docId)).toHaveLength(1);
  });

  it("publishes a large document through an upload URL and redirects its retrieval to a presigned URL", async () => {
    const large = randomDocument(5 * 1024 * 1024 + 17);
    const issued = await call(cityUrl(sjz, "/fhir/Binary/$upload-url"), {
      ...as(sjz),
      body: { contentType: "image/tiff", size: large.length },
    });
    expect(issued.status, issues(issued)).toBe(201);
    const upload = issued.json as unknown as UploadUrl;
    expect(upload).toMatchObject({ method: "POST", size: large.length, fields: { key: expect.stringMatching(/^incoming\//) } });
    expect((await uploadTo(upload, large)).status).toBe(204);
    const res = await publish(
      sjz,
      publishBundle(sjz, "IMG-1", residentId, {
        url: upload.binary.reference,
        size: large.length,
        hash: sha1Base64(large),
        contentType: "image/tiff",
      }),
    );
    expect(res.status, issues(res)).toBe(201);
    const id = documentIdOf("shijiazhuang", { system: documentSystem(sjz.id), value: "IMG-1" });
    await waitFor(
      () => search(ts, byIdentifier(residentId)),
      (r) => idsOf(r).includes(id),
      10_000,
    );
    const redirect = await binary(`${t.province.url}/cities/tangshan/fhir/Binary/${id}`, ts);
    expect(redirect.status).toBe(302);
    const fetched = await fetch(redirect.headers.get("location")!);
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get("content-type")).toBe("image/tiff");
    expect(fetched.headers.get("content-disposition")).toBe("attachment");
    expect(Buffer.from(await fetched.arrayBuffer()).equals(large)).toBe(true);
  });

  it("supersedes the replaced version, and withdraws one entered in error", async () => {
    const v1 = documentIdOf("shijiazhuang", { system: documentSystem(sjz.id), value: "LAB-1" });
    const v2 = documentIdOf("shijiazhuang", { system: documentSystem(sjz.id), value: "LAB-1.2" });
    expect((await publish(sjz, publishBundle(sjz, "LAB-1", residentId, { bytes: Buffer.from("v1") }))).status).toBe(201);
    const res = await publish(sjz, publishBundle(sjz, "LAB-1.2", residentId, { bytes: Buffer.from("v2"), replaces: v1, withList: false }));
    expect(res.status, issues(res)).toBe(201);
    // a bundle without a SubmissionSet is given one
    expect((res.json!.entry as { response: { location: string } }[]).some((e) => e.response.location.startsWith("List/"))).toBe(true);
    const found = await waitFor(
      () => search(ts, byIdentifier(residentId)),
      (r) => idsOf(r).includes(v2) && !idsOf(r).includes(v1),
      10_000,
    );
    expect(idsOf(found)).not.toContain(v1);
    const superseded = await search(ts, byIdentifier(residentId, "&status=superseded"));
    expect(idsOf(superseded)).toEqual([v1]);

    const withdrawn = await call(cityUrl(sjz, `/fhir/DocumentReference/${v2}`), {
      ...as(sjz),
      method: "PUT",
      body: { resourceType: "DocumentReference", id: v2, status: "entered-in-error" },
    });
    expect(withdrawn.status, issues(withdrawn)).toBe(200);
    await waitFor(
      () => search(ts, byIdentifier(residentId)),
      (r) => r.status === 200 && !idsOf(r).includes(v2),
      10_000,
    );
    expect((await binary(`${t.province.url}/cities/tangshan/fhir/Binary/${v2}`, ts)).status).toBe(410);
    const otherHospital = await call(cityUrl(sjz2, `/fhir/DocumentReference/${v1}`), {
      ...as(sjz2),
      method: "PUT",
      body: { resourceType: "DocumentReference", status: "entered-in-error" },
    });
    expect(otherHospital.status).toBe(403);
  });
});

describe("refused publishes store nothing", () => {
  const small = Buffer.from("a small report");
  const refused: [string, () => Promise<{ status: number; json?: Record<string, unknown> }>, number, string][] = [
    [
      "an unknown patient",
      () => publish(sjz, publishBundle(sjz, "R-1", { system: mrnSystem(sjz.id), value: "NOBODY" }, { bytes: small })),
      400,
      "subject",
    ],
    ["a size mismatch", () => publish(sjz, publishBundle(sjz, "R-2", residentId, { bytes: small, size: small.length + 1 })), 400, "size"],
    [
      "a hash mismatch",
      () => publish(sjz, publishBundle(sjz, "R-3", residentId, { bytes: small, hash: sha1Base64(Buffer.from("x")) })),
      400,
      "hash",
    ],
    [
      "an oversize inline Binary",
      () => publish(sjz, publishBundle(sjz, "R-4", residentId, { bytes: randomDocument(4 * 1024 * 1024 + 1024) })),
      413,
      "Binary",
    ],
    [
      "an author of another hospital",
      () => publish(sjz, publishBundle(sjz, "R-5", residentId, { bytes: small, author: sjz2.practitioners[0] })),
      403,
      "author",
    ],
    ["no practitioner", () => publish(sjz, publishBundle(sjz, "R-6", residentId, { bytes: small }), false), 403, "X-Practitioner-Id"],
    [
      "another hospital's masterIdentifier",
      () => publish(sjz2, publishBundle(sjz, "R-7", residentId, { bytes: small })),
      403,
      "masterIdentifier",
    ],
  ];
  it.each(refused)("refuses %s with an OperationOutcome naming the field", async (_what, attempt, status, field) => {
    const res = await attempt();
    expect(res.status).toBe(status);
    expect(res.json!.resourceType).toBe("OperationOutcome");
    expect(issues(res)).toContain(field);
  });
  it("leaves none of them stored or findable", async () => {
    for (const master of ["R-1", "R-2", "R-3", "R-4", "R-5", "R-6"]) expect(await storedRecord(sjz, master), master).toBeUndefined();
    expect(await storedRecord(sjz2, "R-7")).toBeUndefined();
    const found = await search(sjz, byIdentifier(residentId));
    const refusedIds = ["R-1", "R-2", "R-3", "R-4", "R-5", "R-6"].map((m) =>
      documentIdOf("shijiazhuang", { system: documentSystem(sjz.id), value: m }),
    );
    expect(idsOf(found).filter((id) => refusedIds.includes(id))).toEqual([]);
  });
});

describe("encounters and the resident's timeline", () => {
  const encounter = (status: string) => ({
    resourceType: "Encounter",
    identifier: [{ system: encounterSystem(sjz.id), value: "E-2026-001" }],
    status,
    class: { system: "http://terminology.hl7.org/CodeSystem/v3-ActCode", code: "IMP", display: "inpatient encounter" },
    subject: { identifier: { system: RESIDENT_ID_SYSTEM, value: FATHER_ID } },
    period: { start: "2026-11-20T08:00:00+08:00", ...(status === "finished" ? { end: "2026-11-25T10:00:00+08:00" } : {}) },
  });
  const record = (body: unknown, h = sjz, practitioner = true) => call(cityUrl(h, "/fhir/Encounter"), { ...as(h, practitioner), body });

  it("records an encounter idempotently on its identifier, and its status changes", async () => {
    const first = await record(encounter("in-progress"));
    expect(first.status, issues(first)).toBe(201);
    const again = await record(encounter("in-progress"));
    expect(again.status).toBe(200);
    expect(again.json!.id).toBe(first.json!.id);
    const finished = await record(encounter("finished"));
    expect(finished.status).toBe(200);
    expect(finished.json!.status).toBe("finished");
    const found = await waitFor(
      () => call(cityUrl(ts, `/fhir/Encounter?${byIdentifier(residentId)}`), as(ts)),
      (r) => entriesOf(r).some((e) => e.id === first.json!.id && e.status === "finished"),
      10_000,
    );
    expect(entriesOf(found).filter((e) => e.id === first.json!.id)).toHaveLength(1);
  });

  it("refuses an encounter without a practitioner, for an unknown patient, or under another hospital's system", async () => {
    expect((await record(encounter("planned"), sjz, false)).status).toBe(403);
    const unknown = { ...encounter("planned"), subject: { identifier: { system: RESIDENT_ID_SYSTEM, value: SON_ID } } };
    expect((await record(unknown)).status).toBe(400);
    expect((await record(encounter("planned"), sjz2)).status).toBe(403);
  });

  it("answers $everything with the resident's documents and encounters from every hospital", async () => {
    const res = await call(cityUrl(ts, `/fhir/Patient/${empi}/$everything`), as(ts));
    expect(res.status, issues(res)).toBe(200);
    const types = new Set(entriesOf(res).map((r) => r.resourceType));
    expect([...types].sort()).toEqual(["DocumentReference", "Encounter"]);
    expect(entriesOf(res).every((r) => r.status !== "entered-in-error")).toBe(true);
    // an unknown resident is answered as one the reader may not see (docs/consent.md)
    expect((await call(cityUrl(ts, "/fhir/Patient/E-UNKNOWN/$everything"), as(ts))).status).toBe(403);
  });
});
