/**
 * The department exchange's evidence log through the local province (docs/departments.md#evidence-log):
 * entries for an inbound and an outbound message, sealed into a signed batch and archived, read by the
 * operator and the parties; one changed byte in a stored entry fails evidence-verify at that entry; the
 * 4-hour rule on the province clock (the sealer stopped: messages refused and deliveries held; restarted:
 * accepted and delivered). One province for the file.
 */

import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeResidentId } from "#domain/mpi/resident-id.ts";
import { verifyEvidence } from "#lib/ops/evidence-verify.ts";
import { daughter } from "#lib/world/index.ts";
import { EVIDENCE_BUCKET } from "#local/hub-keys.ts";
import { EMPI_SYSTEM, MOTHER_EXTENSION_URL, mrnSystem, RESIDENT_ID_SYSTEM } from "#schemas/patient.ts";
import { deliveryKey, type OutboundDeps, sendToDepartments } from "#use-cases/departments/outbound.ts";
import { messageFrom, outboundFromTest } from "../support/departments.ts";
import { advanceClock, call, startTestProvince, type TestProvince, waitFor } from "../support/province.ts";

let t: TestProvince;
let sqs: SQSClient;
let s3: S3Client;
let doc: DynamoDBDocumentClient;
let outbound: OutboundDeps;
let evidenceTable: string;
type Json = Record<string, unknown>;

const hub = (path: string) => `${t.province.url}/hub${path}`;
const member = (id: string) => t.credentials.departments.find((d) => d.id === id)!.credential;
const provinceNow = async (): Promise<Date> => new Date(String((await call(`${t.province.url}/local/clock`)).json!.now));
const receivedIds = async (memberId: string): Promise<string[]> =>
  ((await call(`${t.province.url}/departments/${memberId}/messages`)).json as unknown as { entry: { resource: Json }[] }[]).map((b) =>
    String(b.entry[0]!.resource.id),
  );
const evidence = (messageId: string, token = t.credentials.operator) => call(hub(`/xchg/evidence/${messageId}`), { token });
const sealer = (enabled: boolean) => call(`${t.province.url}/local/evidence-sealer`, { body: { enabled } });
const verify = () =>
  verifyEvidence(async (path) => {
    const res = await call(hub(path), { token: t.credentials.operator });
    expect(res.status).toBe(200);
    return res.json;
  });

/** The household registration public security sent first (sendOriginal); the inbound messages below are updates of it */
let original = "";
let serial = 0;
/** An `update` of the original registration from public security: recorded and acknowledged, no other effect */
const inbound = (messageId = `ev-${Date.now().toString(36)}-${++serial}`) =>
  messageFrom("public-security", messageId, "update", [
    { resourceType: "Parameters", id: "p", parameter: [{ name: "messageId", valueString: original }] },
    { resourceType: "Patient", id: "nb", gender: "female" },
  ]);

/** A household registration whose original the updates amend (any message public security sent will do) */
async function sendOriginal(): Promise<void> {
  const h = t.credentials.hospitals.find((x) => x.cityId === "baoding")!;
  const nb = await call(`${t.province.url}/cities/baoding/fhir/Patient`, {
    token: h.credential,
    body: {
      resourceType: "Patient",
      identifier: [{ system: mrnSystem(h.id), value: "EV-NB-1" }],
      name: [{ family: "李" }],
      gender: "female",
      birthDate: "2026-12-02",
      multipleBirthInteger: 1,
      extension: [{ url: MOTHER_EXTENSION_URL, valueIdentifier: { system: RESIDENT_ID_SYSTEM, value: daughter.residentId } }],
    },
  });
  expect(nb.status).toBe(201);
  const empi = ((nb.json!.identifier ?? []) as { system: string; value: string }[]).find((i) => i.system === EMPI_SYSTEM)!.value;
  original = `ev-registration-${empi}`;
  const registration = messageFrom("public-security", original, "household-registration", [
    {
      resourceType: "Patient",
      id: "nb",
      identifier: [
        { system: EMPI_SYSTEM, value: empi },
        { system: RESIDENT_ID_SYSTEM, value: makeResidentId("130602", "2026-12-02", "016") },
      ],
    },
  ]);

  const res = await call(hub("/xchg/messages"), { token: member("public-security"), body: registration });
  expect(res.status).toBe(200);
}

const outboundMessage = (messageId: string) => ({
  messageId,
  event: "death-notification" as const,
  destinations: ["public-security" as const],
  sourceMember: "health-cloud",
  focus: [{ resourceType: "Patient", id: "p1", deceasedDateTime: "2026-12-01T08:00:00+08:00" }],
});

beforeAll(async () => {
  t = await startTestProvince();
  sqs = new SQSClient({ endpoint: t.province.endpoints.sqs });
  s3 = new S3Client({ endpoint: t.province.endpoints.s3, forcePathStyle: true });
  doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: t.province.endpoints.dynamodb }));
  evidenceTable = t.province.resources.get("hub")!.tables.get("Evidence")!;
  outbound = outboundFromTest(t, sqs);
  await sendOriginal();
}, 120_000);

afterAll(async () => {
  for (const c of [sqs, s3, doc]) c?.destroy();
  await t?.province.stop();
});

type Entry = Json & { state: string; leg: string; seq?: number; batch?: number };
const entriesOf = async (messageId: string): Promise<Entry[]> => ((await evidence(messageId)).json?.entries ?? []) as Entry[];

describe("evidence entries", () => {
  it("records an inbound message and its answer, once, and seals it into a signed, archived batch on the next run", async () => {
    const message = inbound();
    const id = message.entry[0]!.resource.id as string;
    const first = await call(hub("/xchg/messages"), { token: member("public-security"), body: message });
    expect(first.status).toBe(200);
    const again = await call(hub("/xchg/messages"), { token: member("public-security"), body: message });
    expect(again.json).toEqual(first.json);
    const [entry, ...more] = await entriesOf(id);
    expect(more).toEqual([]);
    expect(entry).toMatchObject({
      leg: "in",
      direction: "in",
      service: "update",
      source: "public-security",
      destination: "health-cloud",
      requestHash: first.headers.get("x-request-hash"),
      status: 200,
    });
    // the sealer's next run (every minute of province time)
    await advanceClock(t.province, 60);
    const sealed = await waitFor(
      () => evidence(id),
      (r) => ((r.json?.entries ?? []) as Entry[])[0]?.state === "sealed",
    );
    const [batch] = sealed.json!.batches as { head: Json; signature: string; archive: string }[];
    const sealedEntry = (sealed.json!.entries as Entry[])[0]!;
    expect(batch!.head.firstSeq).toBeLessThanOrEqual(sealedEntry.seq!);
    expect(batch!.head.lastSeq).toBeGreaterThanOrEqual(sealedEntry.seq!);
    expect(batch!.head.algorithm).toBe("ECDSA_SHA_256");
    // the archive holds the batch as sealed (locally without Object Lock: the S3 emulator has none)
    const object = await s3.send(new GetObjectCommand({ Bucket: EVIDENCE_BUCKET, Key: batch!.archive }));
    const archived = JSON.parse(await object.Body!.transformToString()) as { head: Json; entries: Json[] };
    expect(archived.head).toEqual(batch!.head);
    expect(archived.entries.map((e) => e.messageId)).toContain(id);
  });

  it("records each delivery of an outbound message with the department's answer before the outbox marks it delivered", async () => {
    await sendToDepartments(outbound, outboundMessage("ev-out-1"), await provinceNow());
    await waitFor(
      () => outbound.outbox.get(deliveryKey("ev-out-1", "public-security")),
      (r) => r?.status === "delivered",
    );
    const [entry] = await entriesOf("ev-out-1");
    expect(entry).toMatchObject({
      leg: "out|public-security",
      direction: "out",
      source: "health-cloud",
      destination: "public-security",
      status: 200,
    });
    expect(String(entry!.responseHash)).toMatch(/^[A-Za-z0-9+/]{86}==$/);
  });

  it("shows a message's evidence to the operator and the members party to it only", async () => {
    expect((await evidence(original, member("public-security"))).status).toBe(200);
    expect((await evidence(original, member("civil-affairs"))).status).toBe(404);
    expect((await evidence("no-such-message")).status).toBe(404);
    const hospital = t.credentials.hospitals[0]!;
    expect((await evidence(original, hospital.credential)).status).toBe(403);
    // the batches are the operator's
    expect((await call(hub("/xchg/evidence"), { token: member("public-security") })).status).toBe(403);
    expect((await call(hub("/xchg/evidence?after=-1"), { token: t.credentials.operator })).status).toBe(400);
  });
});

describe("verification", () => {
  it("verifies the chain, and one changed byte in a stored entry fails evidence-verify at exactly that entry", async () => {
    await advanceClock(t.province, 60);
    await waitFor(
      () => entriesOf("ev-out-1"),
      (e) => e[0]?.state === "sealed",
    );
    const clean = await verify();
    expect(clean.failure).toBeUndefined();
    expect(clean.entries).toBeGreaterThanOrEqual(3);
    const [target] = await entriesOf(original);
    const key = { pk: `msg#${original}`, sk: "in" };
    const stored = (await doc.send(new GetCommand({ TableName: evidenceTable, Key: key }))).Item!;
    const hash = String(stored.requestHash);
    const changed = `${hash.charAt(0) === "A" ? "B" : "A"}${hash.slice(1)}`;
    const setHash = (h: string) =>
      doc.send(
        new UpdateCommand({
          TableName: evidenceTable,
          Key: key,
          UpdateExpression: "SET requestHash = :h",
          ExpressionAttributeValues: { ":h": h },
        }),
      );
    await setHash(changed);
    try {
      const report = await verify();
      expect(report.failure).toMatchObject({
        seq: target!.seq,
        messageId: original,
        leg: "in",
        reason: "its content does not hash to its stored hash",
      });
    } finally {
      await setHash(hash);
    }
    expect((await verify()).failure).toBeUndefined();
  });
});

describe("the 4-hour rule (fail closed)", () => {
  it("refuses new messages and holds deliveries once nothing was sealed for 4 hours, and resumes when the sealer does", async () => {
    expect((await sealer(false)).status).toBe(200);
    await advanceClock(t.province, 4 * 3600 + 60);
    const refused = await call(hub("/xchg/messages"), { token: member("public-security"), body: inbound() });
    expect(refused.status).toBe(503);
    expect(JSON.stringify(refused.json)).toContain("fail closed");
    const audit = await call(hub("/fhir/AuditEvent?agent=public-security&outcome=4"), { token: t.credentials.operator });
    const events = ((audit.json!.entry ?? []) as { resource: Json }[]).map((e) => String(e.resource.outcomeDesc));
    expect(events.some((d) => d.includes("fail closed"))).toBe(true);
    // a delivery is held: kept owed in the outbox, not delivered
    await sendToDepartments(outbound, outboundMessage("ev-held-1"), await provinceNow());
    await new Promise((r) => setTimeout(r, 2000));
    expect(await receivedIds("public-security")).not.toContain("ev-held-1");
    expect((await outbound.outbox.get(deliveryKey("ev-held-1", "public-security")))?.status).toBe("pending");
    // the sealer restarts, seals, and the exchange takes messages again
    expect((await sealer(true)).json).toEqual({ enabled: true });
    const accepted = await waitFor(
      () => call(hub("/xchg/messages"), { token: member("public-security"), body: inbound() }),
      (r) => r.status === 200,
    );
    expect(accepted.status).toBe(200);
    // the held delivery goes on the outbox's next retry
    await advanceClock(t.province, 3600);
    await waitFor(
      () => receivedIds("public-security"),
      (ids) => ids.includes("ev-held-1"),
    );
    await waitFor(
      () => entriesOf("ev-held-1"),
      (e) => e.length === 1,
    );
  });
});
