/**
 * Push down through the local province: a hospital subscribes (one resident, or its admitted
 * residents), a new document or encounter reaches the hub's Notify queue, the matcher fills the FEP
 * inbox of the subscriber's city, the FEP long-polls and acknowledges. Documents are sent straight
 * to the Notify queue here, as the record locator would (the clinical-event contract).
 */
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildAuditEvent } from "#domain/audit.ts";
import { signedAttributes } from "#lib/harness/signed-message.ts";
import { daughter, father, patientOf, son } from "#lib/world/index.ts";
import type { AuditEventMessageV1 } from "#schemas/audit.ts";
import type { ClinicalEventMessageV1, InboxCommunication } from "#schemas/messages.ts";
import { EMPI_SYSTEM, RESIDENT_ID_SYSTEM } from "#schemas/patient.ts";
import { clock } from "#shared/clock.ts";
import { advanceClock, call, queueSettled, startTestProvince, type TestProvince, waitFor } from "../support/province.ts";

let t: TestProvince;
let sqs: SQSClient;
type Hospital = TestProvince["credentials"]["hospitals"][number];
let sjz: Hospital; // publishes documents (Shijiazhuang)
let ts: Hospital; // subscribes (Tangshan)
let ts2: Hospital; // another hospital of Tangshan
let fatherEmpi: string;
let sonEmpi: string;
let daughterEmpi: string;

/** The inbox's visibility period (the default); the tests pass it on the province clock, not in real time */
const VISIBILITY_SECONDS = 60;

beforeAll(async () => {
  process.env.HHC_INBOX_VISIBILITY_SECONDS = String(VISIBILITY_SECONDS);
  t = await startTestProvince();
  sqs = new SQSClient({ endpoint: t.province.endpoints.sqs });
  const inCity = (city: string) => t.credentials.hospitals.filter((h) => h.cityId === city && h.practitioners.length > 0);
  [sjz] = inCity("shijiazhuang") as [Hospital];
  [ts, ts2] = inCity("tangshan") as [Hospital, Hospital];
  const empiOf = async (mrn: string, person: typeof father) => {
    const res = await call(cityUrl(sjz, "/fhir/Patient"), { token: sjz.credential, body: patientOf(sjz.id, mrn, person) });
    expect(res.status).toBe(201);
    return ((res.json?.identifier ?? []) as { system: string; value: string }[]).find((i) => i.system === EMPI_SYSTEM)!.value;
  };
  fatherEmpi = await empiOf("P-F", father);
  sonEmpi = await empiOf("P-S", son);
  daughterEmpi = await empiOf("P-D", daughter);
  // a lawful subscriber registers the resident first (a treatment relationship, DESIGN.md)
  for (const [h, mrn, person] of [
    [ts, "T-F", father],
    [ts, "T-D", daughter],
    [ts2, "T2-S", son],
  ] as const)
    expect((await call(cityUrl(h, "/fhir/Patient"), { token: h.credential, body: patientOf(h.id, mrn, person) })).status).toBe(201);
});
afterAll(async () => {
  sqs?.destroy();
  await t?.province.stop();
  delete process.env.HHC_INBOX_VISIBILITY_SECONDS;
});

const cityUrl = (h: Hospital, path: string) => `${t.province.url}/cities/${h.cityId}${path}`;
/** Subscribes as `h`'s first (licensed) practitioner unless told otherwise */
const subscribe = (h: Hospital, criteria: string, headers: Record<string, string> = { "x-practitioner-id": h.practitioners[0]! }) =>
  call(cityUrl(h, "/fhir/Subscription"), {
    token: h.credential,
    headers,
    body: { resourceType: "Subscription", status: "requested", reason: "care", criteria, channel: { type: "message" } },
  });
const inbox = (h: Hospital, query = "wait=0") => call(cityUrl(h, `/fep/inbox?${query}`), { token: h.credential });
const ack = (h: Hospital, id: string) => call(cityUrl(h, `/fep/inbox/${id}/ack`), { token: h.credential, method: "POST" });
const communications = (res: { json?: Record<string, unknown> }): InboxCommunication[] =>
  ((res.json?.entry as { resource: InboxCommunication }[] | undefined) ?? []).map((e) => e.resource);

async function notify(event: Partial<ClinicalEventMessageV1> & { empi: string }): Promise<ClinicalEventMessageV1> {
  const resourceId = event.resourceId ?? randomUUID();
  const message: ClinicalEventMessageV1 = {
    type: "clinical-event",
    version: 1,
    resourceType: "DocumentReference",
    resourceId,
    hospitalId: sjz.id,
    cityId: "shijiazhuang",
    status: "current",
    recordedAt: clock.isoNow(),
    eventId: `${event.resourceType ?? "DocumentReference"}/${resourceId}/1`,
    ...event,
  };
  await sqs.send(
    new SendMessageCommand({ QueueUrl: t.province.resources.get("hub")!.queues.get("Notify")!.url, MessageBody: JSON.stringify(message) }),
  );
  return message;
}

/** The operator command, run beside the province as an operator would (npm run redrive -- …) */
const redriveCommand = async (...args: string[]) =>
  (await promisify(execFile)("npx", ["tsx", "scripts/redrive.ts", ...args], {
    env: { ...process.env, HHC_DATA_DIR: t.dataDir },
    timeout: 60_000,
  }).catch((error: { stdout: string; stderr: string; code: number }) => ({ ...error, failed: true }))) as {
    stdout: string;
    stderr: string;
    code?: number;
    failed?: boolean;
  };

/** Long-polls until a Communication about `reference` arrives; returns it and whatever else came with it. */
async function receive(h: Hospital, reference: string): Promise<{ wanted: InboxCommunication; all: InboxCommunication[] }> {
  const all: InboxCommunication[] = [];
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const res = await inbox(h, "wait=5");
    expect(res.status).toBe(200);
    all.push(...communications(res));
    const wanted = all.find((c) => c.payload[0]?.contentReference.reference === reference);
    if (wanted) return { wanted, all };
  }
  throw new Error(`no Communication about ${reference} within 30 s`);
}

/** The matcher has handled every event sent so far (the hub's Notify queue is empty) */
const notified = () => queueSettled(t.province, "hub", "Notify");

/** Everything in the inbox, in flight included, acknowledged (so tests start from an empty inbox) */
async function drain(h: Hospital): Promise<InboxCommunication[]> {
  await notified();
  await advanceClock(t.province, VISIBILITY_SECONDS + 1); // what is in flight is visible again
  const seen: InboxCommunication[] = [];
  for (;;) {
    const got = communications(await inbox(h, "wait=0&_count=100"));
    if (got.length === 0) return seen;
    for (const c of got) expect((await ack(h, c.id)).status).toBe(204);
    seen.push(...got);
  }
}

describe("subscriptions", () => {
  it("refuses criteria it cannot serve and unknown patients, naming the field", async () => {
    const bad = await subscribe(ts, "Observation?patient.identifier=x|y");
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json)).toContain("Subscription.criteria");
    expect((await subscribe(ts, "DocumentReference?patient.identifier=nobar")).status).toBe(400);
    expect(
      (
        await subscribe(
          ts,
          `DocumentReference?patient._has:Encounter:subject:service-provider=Organization/${sjz.id}&patient._has:Encounter:subject:status=in-progress`,
        )
      ).status,
    ).toBe(400);
    // an unknown patient is refused as one without a treatment relationship: the answer tells nothing of who exists
    const unknown = await subscribe(ts, `DocumentReference?patient.identifier=${RESIDENT_ID_SYSTEM}|130102199001010010`);
    expect(unknown.status).toBe(403);
    expect(unknown.json?.resourceType).toBe("OperationOutcome");
    const noChannel = await call(cityUrl(ts, "/fhir/Subscription"), {
      token: ts.credential,
      body: {
        resourceType: "Subscription",
        criteria: `DocumentReference?patient.identifier=${EMPI_SYSTEM}|${fatherEmpi}`,
        channel: { type: "rest-hook" },
      },
    });
    expect(noChannel.status).toBe(400);
    expect(JSON.stringify(noChannel.json)).toContain("channel.type");
    expect(
      (await subscribe(ts, `Encounter?patient.identifier=${EMPI_SYSTEM}|${fatherEmpi}`, { "x-practitioner-id": "nobody" })).status,
    ).toBe(403);
    // nothing was stored
    const list = await call(cityUrl(ts, "/fhir/Subscription"), { token: ts.credential });
    expect(list.status).toBe(200);
    expect(list.json?.total).toBe(0);
  });

  it("notifies a subscriber of a resident's new document from elsewhere, once, until acknowledged", async () => {
    const created = await subscribe(ts, `DocumentReference?patient.identifier=${RESIDENT_ID_SYSTEM}|${father.residentId}`, {
      "x-practitioner-id": ts.practitioners[0]!,
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ resourceType: "Subscription", status: "active", channel: { type: "message" } });
    const subscriptionId = String(created.json?.id);
    // the creation is audited once, naming the patient, the hospital and the practitioner
    const audited = await waitFor(
      async () => {
        const res = await call(
          `${t.province.url}/hub/fhir/AuditEvent?patient.identifier=${encodeURIComponent(`${RESIDENT_ID_SYSTEM}|${father.residentId}`)}`,
          { token: t.credentials.operator },
        );
        return (
          (res.json?.entry as { resource: { action: string; entity: { what?: { reference?: string } }[]; agent: unknown[] } }[]) ?? []
        )
          .map((e) => e.resource)
          .filter((e) => e.entity.some((x) => x.what?.reference === "Subscription"));
      },
      (events) => events.length > 0,
    );
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ action: "C" });
    expect(JSON.stringify(audited[0]!.agent)).toContain(`Organization/${ts.id}`);
    expect(JSON.stringify(audited[0]!.agent)).toContain(`Practitioner/${ts.practitioners[0]}`);
    const read = await call(cityUrl(ts, `/fhir/Subscription/${subscriptionId}`), { token: ts.credential });
    expect(read.json?.criteria).toBe(`DocumentReference?patient.identifier=${RESIDENT_ID_SYSTEM}|${father.residentId}`);
    // another hospital does not see it
    expect((await call(cityUrl(ts2, `/fhir/Subscription/${subscriptionId}`), { token: ts2.credential })).status).toBe(404);
    // the read is audited too, naming the resident its criteria name
    const fatherTrail = async () =>
      (
        ((
          await call(
            `${t.province.url}/hub/fhir/AuditEvent?patient.identifier=${encodeURIComponent(`${RESIDENT_ID_SYSTEM}|${father.residentId}`)}&_count=500`,
            { token: t.credentials.operator },
          )
        ).json?.entry as { resource: { action: string; entity: { what?: { reference?: string } }[] } }[]) ?? []
      ).map((e) => e.resource);
    const readAudited = await waitFor(fatherTrail, (events) =>
      events.some((e) => e.action === "R" && e.entity.some((x) => x.what?.reference === `Subscription/${subscriptionId}`)),
    );
    expect(readAudited.filter((e) => e.entity.some((x) => x.what?.reference === `Subscription/${subscriptionId}`))).toHaveLength(1);

    const event = await notify({ empi: fatherEmpi });
    const { wanted } = await receive(ts, `DocumentReference/${event.resourceId}`);
    expect(wanted).toMatchObject({
      resourceType: "Communication",
      status: "completed",
      recipient: [{ reference: `Organization/${ts.id}` }],
      subject: { reference: `Patient/${fatherEmpi}`, identifier: { system: EMPI_SYSTEM, value: fatherEmpi } },
      basedOn: [{ reference: `Subscription/${subscriptionId}` }],
    });
    expect(wanted.id).toMatch(/^[A-Za-z0-9\-.]{1,64}$/);

    // in flight: not handed out again at once, nor to another hospital of the city
    expect(communications(await inbox(ts))).toHaveLength(0);
    expect(communications(await inbox(ts2))).toHaveLength(0);
    // the same event redelivered is stored once; the unacknowledged one comes back after the visibility period, same id
    await notify(event);
    await notified();
    expect(communications(await inbox(ts))).toHaveLength(0);
    await advanceClock(t.province, VISIBILITY_SECONDS + 1);
    const again = await receive(ts, `DocumentReference/${event.resourceId}`);
    expect(again.all.filter((c) => c.id === wanted.id)).toHaveLength(1);
    expect(again.wanted).toEqual(wanted);

    // another hospital cannot acknowledge it; its own can, repeatedly; an unknown id is 404
    expect((await ack(ts2, wanted.id)).status).toBe(404);
    expect((await ack(ts, wanted.id)).status).toBe(204);
    expect((await ack(ts, wanted.id)).status).toBe(204);
    expect((await ack(ts, "no-such-communication")).status).toBe(404);
    // acknowledged: gone, and a redelivery of the same event does not bring it back
    await notify(event);
    await notified();
    await advanceClock(t.province, VISIBILITY_SECONDS + 1);
    expect(communications(await inbox(ts))).toHaveLength(0);

    // deleted: no longer notified
    expect((await call(cityUrl(ts, `/fhir/Subscription/${subscriptionId}`), { token: ts.credential, method: "DELETE" })).status).toBe(204);
    // the removal is audited, naming the resident
    await waitFor(fatherTrail, (events) =>
      events.some((e) => e.action === "D" && e.entity.some((x) => x.what?.reference === `Subscription/${subscriptionId}`)),
    );
    expect((await call(cityUrl(ts, `/fhir/Subscription/${subscriptionId}`), { token: ts.credential })).status).toBe(404);
    const after = await notify({ empi: fatherEmpi });
    const marker = await subscribe(ts, `DocumentReference?patient.identifier=${EMPI_SYSTEM}|${daughterEmpi}`);
    const markerEvent = await notify({ empi: daughterEmpi });
    const got = await receive(ts, `DocumentReference/${markerEvent.resourceId}`);
    await notified(); // the unordered queue may have handled `after` after the marker: it is handled now
    got.all.push(...communications(await inbox(ts)));
    expect(got.all.some((c) => c.payload[0]?.contentReference.reference === `DocumentReference/${after.resourceId}`)).toBe(false);
    await call(cityUrl(ts, `/fhir/Subscription/${String(marker.json?.id)}`), { token: ts.credential, method: "DELETE" });
    await drain(ts);
  });

  it("notifies a hospital of documents of the residents admitted there, while the encounter is open", async () => {
    const admitted = `patient._has:Encounter:subject:service-provider=Organization/${ts.id}&patient._has:Encounter:subject:status=in-progress`;
    expect((await subscribe(ts, `DocumentReference?${admitted}`)).status).toBe(201);
    const encounterId = randomUUID();
    // the son is admitted at ts (its own encounter does not notify ts itself)
    await notify({
      empi: sonEmpi,
      resourceType: "Encounter",
      resourceId: encounterId,
      hospitalId: ts.id,
      cityId: "tangshan",
      status: "in-progress",
    });
    // the Notify queue is unordered: documents are sent until one arrives after the admission is recorded
    const sent: string[] = [];
    const refs = await waitFor(
      async () => {
        sent.push(`DocumentReference/${(await notify({ empi: sonEmpi })).resourceId}`);
        const got = communications(await inbox(ts, "wait=3"));
        for (const c of got) expect((await ack(ts, c.id)).status).toBe(204);
        return got.filter((c) => c.subject?.reference === `Patient/${sonEmpi}`).map((c) => c.payload[0]?.contentReference.reference);
      },
      (r) => r.length > 0,
      30_000,
    );
    expect(refs.every((r) => r && sent.includes(r))).toBe(true);
    // discharged: documents about him no longer reach ts
    await notify({
      empi: sonEmpi,
      resourceType: "Encounter",
      resourceId: encounterId,
      hospitalId: ts.id,
      cityId: "tangshan",
      status: "finished",
      recordedAt: new Date(clock.nowMs() + 1000).toISOString(),
    });
    await drain(ts); // the discharge handled first
    const late = await notify({ empi: sonEmpi });
    await notified();
    expect(communications(await inbox(ts)).map((c) => c.payload[0]?.contentReference.reference)).not.toContain(
      `DocumentReference/${late.resourceId}`,
    );
  });
  it("pages a hospital's subscriptions: _count at a time, the next link relative to the city's base, followed unchanged", async () => {
    const admitted = `patient._has:Encounter:subject:service-provider=Organization/${ts2.id}&patient._has:Encounter:subject:status=in-progress`;
    const ids: string[] = [];
    for (const type of ["DocumentReference", "Encounter", "DocumentReference"]) {
      const created = await subscribe(ts2, `${type}?${admitted}`);
      expect(created.status).toBe(201);
      ids.push(String(created.json?.id));
    }
    const seen: string[] = [];
    let url = cityUrl(ts2, "/fhir/Subscription?_count=2");
    for (let pages = 0; pages < 5; pages++) {
      const page = await call(url, { token: ts2.credential });
      expect(page.status).toBe(200);
      expect(page.json?.total).toBe(3);
      seen.push(...((page.json?.entry as { resource: { id: string } }[]) ?? []).map((e) => e.resource.id));
      const next = ((page.json?.link as { relation: string; url: string }[] | undefined) ?? []).find((l) => l.relation === "next");
      if (!next) break;
      url = new URL(next.url, `${cityUrl(ts2, "/fhir/")}`).toString();
    }
    expect(seen.sort()).toEqual([...ids].sort());
    // another hospital cannot follow it
    const first = await call(cityUrl(ts2, "/fhir/Subscription?_count=1"), { token: ts2.credential });
    const next = ((first.json?.link as { relation: string; url: string }[] | undefined) ?? []).find((l) => l.relation === "next")!;
    const borrowed = await call(new URL(next.url, cityUrl(ts, "/fhir/")).toString(), { token: ts.credential });
    expect(borrowed.status).toBe(400);
    expect(JSON.stringify(borrowed.json)).toContain("_pageToken");
    for (const id of ids)
      expect((await call(cityUrl(ts2, `/fhir/Subscription/${id}`), { token: ts2.credential, method: "DELETE" })).status).toBe(204);
  });
});

describe("the FEP inbox", () => {
  it("answers an empty searchset when nothing arrives in time, and refuses a bad wait", async () => {
    const started = Date.now();
    const empty = await inbox(ts2, "wait=1");
    expect(empty.status).toBe(200);
    expect(empty.json).toMatchObject({ resourceType: "Bundle", type: "searchset", total: 0 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    for (const q of ["wait=21", "wait=abc", "wait=-1", "wait=1&wait=2", "_count=0", "since=x"]) {
      const res = await inbox(ts2, q);
      expect(res.status, q).toBe(400);
      expect(res.json?.resourceType).toBe("OperationOutcome");
    }
  });

  it("refuses an X-Practitioner-Id that is not the calling hospital's", async () => {
    const res = await call(cityUrl(ts2, "/fep/inbox?wait=0"), {
      token: ts2.credential,
      headers: { "x-practitioner-id": ts.practitioners[0]! },
    });
    expect(res.status).toBe(403);
    const own = await call(cityUrl(ts2, "/fep/inbox?wait=0"), {
      token: ts2.credential,
      headers: { "x-practitioner-id": ts2.practitioners[0]! },
    });
    expect(own.status).toBe(200);
  });

  it("is the calling hospital's own: a hospital of another city is not admitted", async () => {
    const res = await call(`${t.province.url}/cities/tangshan/fep/inbox?wait=0`, { token: sjz.credential });
    expect([401, 403]).toContain(res.status);
  });
});

describe("connected vs exchanging", () => {
  type Board = {
    totals: { exchanging: number };
    cities: { cityId: string; exchanging: number }[];
    hospitals: { hospitalId: string; exchanging: boolean; lastExchangedAt: string | null }[];
  };
  const board = async () => (await call(`${t.province.url}/hub/connections`, { token: t.credentials.operator })).json as unknown as Board;
  const audit = async (over: Partial<Parameters<typeof buildAuditEvent>[0]>) => {
    const { event, index } = buildAuditEvent({
      action: "R",
      interaction: "read",
      node: "tangshan",
      hospitalId: ts2.id,
      practitionerId: ts2.practitioners[0],
      patients: [{ system: EMPI_SYSTEM, value: fatherEmpi }],
      result: "success",
      recorded: clock.now(),
      ...over,
    });
    const message: AuditEventMessageV1 = { type: "audit-event", version: 1, messageId: String(event.id), cityId: "tangshan", index, event };
    const body = JSON.stringify(message);
    // as Tangshan's node sends it: signed under its key (docs/node-identity.md)
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: t.province.resources.get("hub")!.queues.get("Audit")!.url,
        MessageBody: body,
        MessageAttributes: await signedAttributes(t.province.endpoints.ssm, "tangshan", body),
      }),
    );
  };

  it("marks a hospital exchanging once it retrieves patient data, not for identity lookups", async () => {
    const before = await board();
    expect(before.hospitals.find((h) => h.hospitalId === ts2.id)).toMatchObject({ exchanging: false, lastExchangedAt: null });
    // the PIXm lookups this suite made through the real API (sjz fed patients; ts subscribed) do not count
    expect(before.hospitals.find((h) => h.hospitalId === ts.id)?.exchanging).toBe(false);
    await audit({ action: "E", interaction: "operation", query: "Patient/$ihe-pix?sourceIdentifier=x|y" });
    const retrieved = clock.now();
    await audit({ resource: "Binary/b-1", recorded: retrieved });
    await audit({ resource: "Binary/b-0", recorded: new Date(retrieved.getTime() - 60_000) }); // an older one does not move it back
    const after = await waitFor(board, (b) => b.hospitals.find((h) => h.hospitalId === ts2.id)?.exchanging === true);
    await queueSettled(t.province, "hub", "Audit"); // the older retrieval handled too
    const settled = await board();
    expect(settled.hospitals.find((h) => h.hospitalId === ts2.id)?.lastExchangedAt).toBe(retrieved.toISOString());
    expect(after.totals.exchanging).toBe(before.totals.exchanging + 1);
    expect(after.cities.find((c) => c.cityId === "tangshan")?.exchanging).toBe(
      before.cities.find((c) => c.cityId === "tangshan")!.exchanging + 1,
    );
  });
});

describe("DLQ operations", () => {
  it("lists, inspects and re-drives the hub's Notify DLQ into the inbox, within the re-drive budget", async () => {
    const subscription = await subscribe(ts2, `DocumentReference?patient.identifier=${EMPI_SYSTEM}|${sonEmpi}`);
    expect(subscription.status).toBe(201);
    const resourceId = randomUUID();
    const event: ClinicalEventMessageV1 = {
      type: "clinical-event",
      version: 1,
      eventId: `DocumentReference/${resourceId}/1`,
      resourceType: "DocumentReference",
      resourceId,
      empi: sonEmpi,
      hospitalId: sjz.id,
      cityId: "shijiazhuang",
      status: "current",
      recordedAt: clock.isoNow(),
    };
    // as SQS leaves it after the matcher failed five times (attributes as the sender set them)
    const dlqUrl = t.province.resources.get("hub")!.queues.get("NotifyDlq")!.url;
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: dlqUrl,
        MessageBody: JSON.stringify(event),
        MessageAttributes: {
          type: { DataType: "String", StringValue: "clinical-event" },
          version: { DataType: "Number", StringValue: "1" },
        },
      }),
    );

    const list = await redriveCommand("list", "--node", "all", "--json");
    const rows = JSON.parse(list.stdout) as { node: string; queue: string; visible: number }[];
    expect(rows.find((r) => r.node === "hub" && r.queue === "Notify")?.visible).toBe(1);
    expect(rows.filter((r) => r.node === "tangshan").map((r) => r.queue)).toContain("Push");
    expect(rows.filter((r) => r.visible > 0)).toHaveLength(1);

    const inspected = JSON.parse((await redriveCommand("inspect", "--node", "hub", "--queue", "Notify", "--json")).stdout);
    expect(inspected).toMatchObject([{ type: "clinical-event", version: 1, redrives: 0, ids: { eventId: event.eventId, empi: sonEmpi } }]);

    const done = await redriveCommand("redrive", "--node", "hub", "--queue", "Notify", "--budget", "1");
    expect(done.stdout).toContain("moved 1 message(s)");
    const { wanted } = await receive(ts2, `DocumentReference/${resourceId}`);
    expect((await ack(ts2, wanted.id)).status).toBe(204);

    // back in the DLQ once more (re-driven once already): the budget of 1 keeps it there, reported
    const [again] = JSON.parse((await redriveCommand("inspect", "--node", "hub", "--queue", "Notify", "--json")).stdout) as unknown[];
    expect(again).toBeUndefined();
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: dlqUrl,
        MessageBody: JSON.stringify(event),
        MessageAttributes: { "hhc-redrives": { DataType: "Number", StringValue: "1" } },
      }),
    );
    const refused = await redriveCommand("redrive", "--node", "hub", "--queue", "Notify", "--budget", "1");
    expect(refused.failed).toBe(true);
    expect(refused.stdout).toContain("moved 0 message(s)");
    expect(refused.stdout).toContain("already re-driven 1 times stay in the DLQ");
    const left = JSON.parse((await redriveCommand("list", "--node", "hub", "--json")).stdout) as { queue: string; visible: number }[];
    expect(left.find((r) => r.queue === "Notify")?.visible).toBe(1);
  });

  it("re-drives the hub's FIFO Settlement DLQ keeping the message group", async () => {
    const dlqUrl = t.province.resources.get("hub")!.queues.get("SettlementDlq")!.url;
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: dlqUrl,
        MessageBody: JSON.stringify({ type: "claim-test", version: 1, hospitalId: ts.id }),
        MessageGroupId: "resident-E1",
        MessageDeduplicationId: "claim-1",
      }),
    );
    const inspected = JSON.parse((await redriveCommand("inspect", "--node", "hub", "--queue", "Settlement", "--json")).stdout);
    expect(inspected).toMatchObject([{ type: "claim-test", groupId: "resident-E1", redrives: 0 }]);
    const done = await redriveCommand("redrive", "--node", "hub", "--queue", "Settlement");
    expect(done.stdout).toContain("hub/Settlement: moved 1 message(s)");
    const rows = JSON.parse((await redriveCommand("list", "--node", "hub", "--json")).stdout) as { queue: string; visible: number }[];
    expect(rows.find((r) => r.queue === "Settlement")?.visible).toBe(0);
  });
});
