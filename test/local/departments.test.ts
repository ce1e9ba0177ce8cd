/**
 * The department exchange through the local province (docs/departments.md): members' credentials and
 * the catalogue, access requests, and outbound messages from the outbox through the delivery queue to
 * the reference departments node, including a department that fails for a while. One province for the file.
 */
import { createHash } from "node:crypto";
import { SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeResidentId } from "#domain/mpi/resident-id.ts";
import { DAUGHTER_ID, daughter, father, patientOf, publishBundle, son } from "#lib/world/index.ts";
import type { OutboundDepartmentMessage } from "#ports/departments.ts";
import { MEMBER_IDS } from "#schemas/department-members.ts";
import type { MessageBundle } from "#schemas/departments.ts";
import { EMPI_SYSTEM, MOTHER_EXTENSION_URL, mrnSystem, RESIDENT_ID_SYSTEM } from "#schemas/patient.ts";
import { deliveryKey, type OutboundDeps, sendToDepartments } from "#use-cases/departments/outbound.ts";
import { messageFrom, outboundFromTest } from "../support/departments.ts";
import { advanceClock, call, queueSettled, startTestProvince, type TestProvince, waitFor } from "../support/province.ts";
import { describeDeathCascade } from "./departments-cascade.ts";

let t: TestProvince;
let sqs: SQSClient;
let outbound: OutboundDeps;
/** The province's time (the exchange's `now`, as a hub function reads it) */
const provinceNow = async (): Promise<Date> => new Date(String((await call(`${t.province.url}/local/clock`)).json!.now));
type Json = Record<string, unknown>;

const hub = (path: string) => `${t.province.url}/hub${path}`;
const member = (id: string) => t.credentials.departments.find((d) => d.id === id)!.credential;
const received = async (memberId: string): Promise<MessageBundle[]> =>
  (await call(`${t.province.url}/departments/${memberId}/messages`)).json as unknown as MessageBundle[];
const owedState = async (key: string) => {
  const r = await outbound.outbox.get(key);
  return r ? { status: r.status, attempts: r.attempts } : undefined;
};
const receivedIds = async (memberId: string): Promise<string[]> => (await received(memberId)).map((b) => String(b.entry[0]!.resource.id));

const message = (messageId: string, destinations: OutboundDepartmentMessage["destinations"]): OutboundDepartmentMessage => ({
  messageId,
  event: "death-notification",
  destinations,
  sourceMember: "health-cloud",
  focus: [{ resourceType: "Patient", id: "p1", deceasedDateTime: "2026-12-01T08:00:00+08:00" }],
});

beforeAll(async () => {
  t = await startTestProvince();
  sqs = new SQSClient({ endpoint: t.province.endpoints.sqs });
  // the exchange as a hub function wires it (lambdas/wiring/departments.ts), from the test process
  outbound = outboundFromTest(t, sqs);
}, 120_000);

afterAll(async () => {
  sqs?.destroy();
  await t?.province.stop();
});

describe("members and the catalogue", () => {
  it("writes every department's credential to local-credentials.json, and each is admitted to the catalogue", async () => {
    expect(t.credentials.departments.map((d) => d.id)).toEqual([...MEMBER_IDS]);
    for (const d of t.credentials.departments) {
      const res = await call(hub("/xchg/services"), { token: d.credential });
      expect(res.status).toBe(200);
    }
    const res = await call(hub("/xchg/services"), { token: member("civil-affairs") });
    const services = res.json!.services as { id: string; shareClass: string }[];
    expect(services.find((s) => s.id === "death-notification")?.shareClass).toBe("unconditional");
    expect(services.find((s) => s.id === "household-death")?.shareClass).toBe("conditional");
  });

  it("refuses a hospital's credential and no credential", async () => {
    const hospital = t.credentials.hospitals[0]!;
    expect((await call(hub("/xchg/services"), { token: hospital.credential })).status).toBe(403);
    expect((await call(hub("/xchg/services"))).status).toBe(401);
  });

  it("names the members allowed to take part in a service", async () => {
    const res = await call(hub("/xchg/services/death-notification/allowed"), { token: t.credentials.operator });
    expect(res.status).toBe(200);
    expect(res.json!.members).toEqual(["civil-affairs", "public-security"]);
    expect((await call(hub("/xchg/services/no-such-service/allowed"), { token: t.credentials.operator })).status).toBe(404);
  });
});

describe("access requests", () => {
  it("a member asks for a conditional service, the operator grants it, and the member is then allowed; a second decision is a 409", async () => {
    const asked = await call(hub("/xchg/access-requests"), {
      token: member("civil-affairs"),
      body: { service: "household-death", purpose: "report deaths registered at funeral homes", legalBasis: "Funeral Regulation art. 14" },
    });
    expect(asked.status).toBe(201);
    expect(asked.json!.state).toBe("submitted");
    const before = await call(hub("/xchg/services/household-death/allowed"), { token: t.credentials.operator });
    expect(before.json!.members).toEqual(["public-security"]);
    const id = String(asked.json!.id);
    // a member cannot decide
    expect(
      (
        await call(hub(`/xchg/access-requests/${id}/decision`), {
          token: member("civil-affairs"),
          body: { decision: "grant", reason: "x" },
        })
      ).status,
    ).toBe(403);
    const granted = await call(hub(`/xchg/access-requests/${id}/decision`), {
      token: t.credentials.operator,
      body: { decision: "grant", reason: "legal basis checked", days: 365 },
    });
    expect(granted.status).toBe(200);
    expect(granted.json!.state).toBe("granted");
    const after = await call(hub("/xchg/services/household-death/allowed"), { token: t.credentials.operator });
    expect(after.json!.members).toEqual(["civil-affairs", "public-security"]);
    const again = await call(hub(`/xchg/access-requests/${id}/decision`), {
      token: t.credentials.operator,
      body: { decision: "deny", reason: "late" },
    });
    expect(again.status).toBe(409);
    const revoked = await call(hub(`/xchg/access-requests/${id}/decision`), {
      token: t.credentials.operator,
      body: { decision: "revoke", reason: "purpose ended" },
    });
    expect(revoked.json!.state).toBe("revoked");
  });

  it("refuses a request for an unconditional service, naming the field", async () => {
    const res = await call(hub("/xchg/access-requests"), {
      token: member("medical-insurance"),
      body: { service: "death-notification", purpose: "p", legalBasis: "b" },
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.json)).toContain("service");
  });
});

describe("outbound messages", () => {
  it("delivers a message through the outbox and the delivery queue to each destination once, and acknowledges it", async () => {
    await sendToDepartments(outbound, message("out-1", ["public-security", "civil-affairs"]), await provinceNow());
    for (const m of ["public-security", "civil-affairs"]) {
      await waitFor(
        () => receivedIds(m),
        (ids) => ids.includes("out-1"),
      );
      // acknowledged: the outbox owes it no more
      await waitFor(
        () => owedState(deliveryKey("out-1", m)),
        (r) => r?.status === "delivered",
      );
    }
    // sent again (a retry of the same request): one effect
    await sendToDepartments(outbound, message("out-1", ["public-security", "civil-affairs"]), await provinceNow());
    await new Promise((r) => setTimeout(r, 1500));
    expect((await receivedIds("public-security")).filter((id) => id === "out-1")).toHaveLength(1);
    const bundle = (await received("civil-affairs")).find((b) => b.entry[0]!.resource.id === "out-1")!;
    const header = bundle.entry[0]!.resource as Json;
    expect(header.eventCoding).toEqual({ system: "https://hebei.health/fhir/CodeSystem/message-event", code: "death-notification" });
    expect(header.source).toEqual({ endpoint: "urn:hhc:member:health-cloud" });
  });

  it("refuses a destination that is not a consumer of the service", async () => {
    await expect(sendToDepartments(outbound, message("out-x", ["statistics"]), await provinceNow())).rejects.toThrow(
      /statistics may not receive/,
    );
  });

  it("a department that fails for a while receives everything once it recovers (the outbox sweeper on the province clock)", async () => {
    expect((await call(`${t.province.url}/departments/civil-affairs/fail`, { body: { count: 3 } })).status).toBe(200);
    const ids = ["fail-1", "fail-2", "fail-3"];
    for (const id of ids) await sendToDepartments(outbound, message(id, ["civil-affairs"]), await provinceNow());
    // the three deliveries fail (503) and stay owed
    await waitFor(
      async () => (await call(`${t.province.url}/departments/civil-affairs/fail`)).json!.failNext,
      (left) => left === 0,
    );
    expect((await receivedIds("civil-affairs")).filter((id) => ids.includes(id))).toEqual([]);
    const owed = await Promise.all(ids.map((id) => owedState(deliveryKey(id, "civil-affairs"))));
    expect(owed.map((r) => r?.status)).toEqual(["pending", "pending", "pending"]);
    // the sweeper re-sends them when due (60 s later on the province clock)
    await advanceClock(t.province, 61);
    await waitFor(
      () => receivedIds("civil-affairs"),
      (got) => ids.every((id) => got.includes(id)),
      30_000,
    );
    expect((await receivedIds("civil-affairs")).filter((id) => ids.includes(id)).sort()).toEqual(ids);
    for (const id of ids)
      await waitFor(
        () => owedState(deliveryKey(id, "civil-affairs")),
        (r) => r?.status === "delivered",
      );
  });
});

// ——— the flows (docs/departments.md#deaths, #births) ———

type Hospital = TestProvince["credentials"]["hospitals"][number];
const bd = (): Hospital => t.credentials.hospitals.find((h) => h.cityId === "baoding")!;
const cityUrl = (h: Hospital, path: string) => `${t.province.url}/cities/${h.cityId}${path}`;
const asDoctor = (h: Hospital) => ({ token: h.credential, headers: { "x-practitioner-id": h.practitioners[0]! } });
const idOf = (json: Json | undefined, system: string) =>
  ((json?.identifier ?? []) as { system: string; value: string }[]).find((i) => i.system === system)?.value;
const pdq = async (h: Hospital, system: string, value: string): Promise<Json[]> => {
  const res = await call(cityUrl(h, `/fhir/Patient?identifier=${encodeURIComponent(`${system}|${value}`)}`), asDoctor(h));
  expect(res.status).toBe(200);
  return ((res.json!.entry ?? []) as { resource: Json }[]).map((e) => e.resource);
};
const idsFor = async (memberId: string, prefix: string) => (await receivedIds(memberId)).filter((id) => id.startsWith(prefix));

let serial = 0;
/** A message from a member to the health cloud */
const inbound = (from: string, event: string, focus: Json[], messageId = `m-${Date.now().toString(36)}-${++serial}`) =>
  messageFrom(from, messageId, event, focus);
const send = (from: string, body: unknown) => call(hub("/xchg/messages"), { token: member(from), body });
const householdDeath = (residentId: string, at: string) => ({
  resourceType: "Patient",
  id: "p",
  identifier: [{ system: RESIDENT_ID_SYSTEM, value: residentId }],
  deceasedDateTime: at,
});
const voidOf = (messageId: string) => ({ resourceType: "Parameters", id: "v", parameter: [{ name: "messageId", valueString: messageId }] });

describe("deaths", () => {
  it("a death a hospital reports through the feed reaches public security and civil affairs once, within 60 s", async () => {
    const h = bd();
    const created = await call(cityUrl(h, "/fhir/Patient"), { token: h.credential, body: patientOf(h.id, "D-1", son) });
    expect(created.status).toBe(201);
    const empi = idOf(created.json, EMPI_SYSTEM)!;
    // the death certificate first (LOINC 64297-5): the notification references it
    const certificate = publishBundle(
      h,
      "D-1-CERT",
      { system: mrnSystem(h.id), value: "D-1" },
      { loinc: "64297-5", withList: false, bytes: Buffer.from("<ClinicalDocument>death certificate</ClinicalDocument>") },
    );
    expect((await call(cityUrl(h, "/fhir"), { ...asDoctor(h), body: certificate })).status).toBe(201);
    await queueSettled(t.province, "hub", "Exchange", 60_000);
    const started = performance.now();
    const dead = { ...patientOf(h.id, "D-1", son), deceasedDateTime: "2026-12-01T08:30:00+08:00" };
    const update = `/fhir/Patient?identifier=${encodeURIComponent(`${mrnSystem(h.id)}|D-1`)}`;
    expect((await call(cityUrl(h, update), { method: "PUT", token: h.credential, body: dead })).status).toBe(200);
    for (const m of ["public-security", "civil-affairs"])
      await waitFor(
        () => idsFor(m, `death-${empi}`),
        (ids) => ids.length > 0,
        60_000,
      );
    expect(performance.now() - started).toBeLessThan(60_000);
    // the hospital sends the update again: still one notification
    expect((await call(cityUrl(h, update), { method: "PUT", token: h.credential, body: dead })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 2000));
    for (const m of ["public-security", "civil-affairs"]) expect(await idsFor(m, `death-${empi}`)).toEqual([`death-${empi}`]);
    const notification = (await received("public-security")).find((b) => b.entry[0]!.resource.id === `death-${empi}`)!;
    const patient = notification.entry[1]!.resource as Json;
    expect(idOf(patient, RESIDENT_ID_SYSTEM)).toBe(son.residentId);
    expect(patient.deceasedDateTime).toBe("2026-12-01T08:30:00+08:00");
    const document = notification.entry[2]?.resource as { resourceType: string; type: { coding: { code: string }[] } } | undefined;
    expect(document?.resourceType).toBe("DocumentReference");
    expect(document!.type.coding.map((c) => c.code)).toContain("64297-5");
    // PDQm shows the deceased state
    const [found] = await pdq(h, RESIDENT_ID_SYSTEM, son.residentId!);
    expect(found!.deceasedDateTime).toBe("2026-12-01T08:30:00+08:00");
  });

  it("public security's household death marks the resident deceased, its void restores them; a repeated message id has one effect and the same answer", async () => {
    const h = bd();
    expect((await call(cityUrl(h, "/fhir/Patient"), { token: h.credential, body: patientOf(h.id, "D-2", father) })).status).toBe(201);
    expect((await pdq(h, RESIDENT_ID_SYSTEM, father.residentId!))[0]!.deceasedDateTime).toBeUndefined();
    const message = inbound("public-security", "household-death", [householdDeath(father.residentId!, "2026-11-30T22:00:00+08:00")]);
    const raw = JSON.stringify(message);
    const first = await call(hub("/xchg/messages"), {
      token: member("public-security"),
      rawBody: raw,
      headers: { "content-type": "application/fhir+json" },
    });
    expect(first.status).toBe(200);
    const header = (first.json!.entry as { resource: Json }[])[0]!.resource;
    expect((header.response as Json).identifier).toBe(message.entry[0]!.resource.id);
    expect((header.response as Json).code).toBe("ok");
    expect(first.headers.get("x-request-hash")).toBe(createHash("sha512").update(raw).digest("base64"));
    await waitFor(
      async () => (await pdq(h, RESIDENT_ID_SYSTEM, father.residentId!))[0]!.deceasedDateTime,
      (d) => d === "2026-11-30T22:00:00+08:00",
    );
    // the same message again: the same answer
    const again = await call(hub("/xchg/messages"), {
      token: member("public-security"),
      rawBody: raw,
      headers: { "content-type": "application/fhir+json" },
    });
    expect(again.status).toBe(200);
    expect(again.json).toEqual(first.json);
    // a death registered by public security is not notified back to the departments
    const empi = idOf((await pdq(h, RESIDENT_ID_SYSTEM, father.residentId!))[0], EMPI_SYSTEM)!;
    expect(await idsFor("public-security", `death-${empi}`)).toEqual([]);
    // its update amends the time of death (a Parameters naming the message, and the amended Patient)
    const amend = inbound("public-security", "update", [
      voidOf(String(message.entry[0]!.resource.id)),
      householdDeath(father.residentId!, "2026-11-30T21:15:00+08:00"),
    ]);
    expect((await send("public-security", amend)).status).toBe(200);
    expect((await pdq(h, RESIDENT_ID_SYSTEM, father.residentId!))[0]!.deceasedDateTime).toBe("2026-11-30T21:15:00+08:00");
    // its void restores the resident
    const voided = await send("public-security", inbound("public-security", "void", [voidOf(String(message.entry[0]!.resource.id))]));
    expect(voided.status).toBe(200);
    expect((await pdq(h, RESIDENT_ID_SYSTEM, father.residentId!))[0]!.deceasedDateTime).toBeUndefined();
  });

  it("a member without a grant is refused and audited; a message naming another member as its source is refused", async () => {
    const message = inbound("civil-affairs", "household-death", [householdDeath(DAUGHTER_ID, "2026-11-30T22:00:00+08:00")]);
    const refused = await send("civil-affairs", message);
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.json)).toContain("MessageHeader.eventCoding");
    const audit = await call(hub("/fhir/AuditEvent?agent=civil-affairs&outcome=4"), { token: t.credentials.operator });
    expect(audit.status).toBe(200);
    const events = ((audit.json!.entry ?? []) as { resource: Json }[]).map((e) => e.resource);
    expect(events.some((e) => String(e.outcomeDesc).includes("no grant"))).toBe(true);
    const forged = await send(
      "civil-affairs",
      inbound("public-security", "household-death", [householdDeath(DAUGHTER_ID, "2026-11-30T22:00:00+08:00")]),
    );
    expect(forged.status).toBe(403);
    expect(JSON.stringify(forged.json)).toContain("MessageHeader.source.endpoint");
    // a hospital's credential never reaches the exchange's messages
    expect((await call(hub("/xchg/messages"), { token: bd().credential, body: message })).status).toBe(403);
  });

  it("reconciles a month's deaths: the hospital's report public security has not registered, and not the death it retracted", async () => {
    const h = bd();
    const sonEmpi = idOf((await pdq(h, RESIDENT_ID_SYSTEM, son.residentId!))[0], EMPI_SYSTEM);
    const fatherEmpi = idOf((await pdq(h, RESIDENT_ID_SYSTEM, father.residentId!))[0], EMPI_SYSTEM);
    const res = await call(hub("/xchg/reconciliation?month=2026-12"), { token: t.credentials.operator });
    expect(res.status).toBe(200);
    const empis = (rows: unknown) => (rows as { empi: string }[]).map((r) => r.empi);
    expect(empis(res.json!.healthOnly)).toContain(sonEmpi);
    expect([...empis(res.json!.healthOnly), ...empis(res.json!.publicSecurityOnly)]).not.toContain(fatherEmpi);
    expect((await call(hub("/xchg/reconciliation?month=2026-13"), { token: t.credentials.operator })).status).toBe(400);
    expect((await call(hub("/xchg/reconciliation?month=2026-12"), { token: member("public-security") })).status).toBe(403);
  });

  it("refuses a malformed message naming the field, and applies nothing", async () => {
    const res = await send("public-security", {
      resourceType: "Bundle",
      type: "message",
      entry: [{ resource: { resourceType: "MessageHeader", id: "bad" } }],
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.json)).toContain("eventCoding");
    const noPatient = await send("public-security", inbound("public-security", "household-death", []));
    expect(noPatient.status).toBe(400);
  });
});

describe("births", () => {
  it("a newborn gets its own EMPI at once, a birth-notification goes out, and public security's household registration makes its resident ID resolve through PIXm", async () => {
    const h = bd();
    const twin = (order: number) => ({
      resourceType: "Patient" as const,
      identifier: [{ system: mrnSystem(h.id), value: `NB-${order}` }],
      name: [{ family: "张" }],
      gender: order === 1 ? ("male" as const) : ("female" as const),
      birthDate: "2026-12-01",
      multipleBirthInteger: order,
      extension: [{ url: MOTHER_EXTENSION_URL, valueIdentifier: { system: RESIDENT_ID_SYSTEM, value: daughter.residentId } }],
    });
    const first = await call(cityUrl(h, "/fhir/Patient"), { token: h.credential, body: twin(1) });
    const second = await call(cityUrl(h, "/fhir/Patient"), { token: h.credential, body: twin(2) });
    expect([first.status, second.status]).toEqual([201, 201]);
    const empi1 = idOf(first.json, EMPI_SYSTEM);
    const empi2 = idOf(second.json, EMPI_SYSTEM);
    expect(empi1).toBeDefined();
    expect(empi2).toBeDefined();
    expect(empi1).not.toBe(empi2);
    for (const m of ["public-security", "health-commission"])
      await waitFor(
        () => idsFor(m, `birth-${empi1}`),
        (ids) => ids.length === 1,
        60_000,
      );
    const residentId = makeResidentId("130602", "2026-12-01", "015");
    const registration = inbound("public-security", "household-registration", [
      {
        resourceType: "Patient",
        id: "nb",
        identifier: [
          { system: EMPI_SYSTEM, value: empi1 },
          { system: RESIDENT_ID_SYSTEM, value: residentId },
        ],
      },
    ]);
    expect((await send("public-security", registration)).status).toBe(200);
    // the exchange answered once the MPI's function had it queued (ResidentIdRegistrations); it adds the number
    const pix = await waitFor(
      () =>
        call(
          cityUrl(h, `/fhir/Patient/$ihe-pix?sourceIdentifier=${encodeURIComponent(`${RESIDENT_ID_SYSTEM}|${residentId}`)}`),
          asDoctor(h),
        ),
      (res) => res.status === 200,
      30_000,
    );
    expect(pix.status).toBe(200);
    expect(JSON.stringify(pix.json)).toContain(empi1!);
    expect(JSON.stringify(pix.json)).not.toContain(empi2!);
  });
});

describeDeathCascade(() => t);
