/**
 * Issue 12 item 4, through the local province: a subscription to one resident notifies only while the
 * subscriber's treatment relationship holds (it fed the resident, or recorded an encounter for them,
 * within 90 days, by the province clock). Once it has lapsed, a new document recorded elsewhere
 * reaches a lawful subscriber, not the lapsed one, whose Subscription reads `off` with the reason
 * (docs/push.md).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RELATIONSHIP_DAYS } from "#domain/push/relationship.ts";
import { encounterOf, father, patientOf, publishBundle, type Registration, son } from "#lib/world/index.ts";
import type { InboxCommunication } from "#schemas/messages.ts";
import { EMPI_SYSTEM, mrnSystem, RESIDENT_ID_SYSTEM } from "#schemas/patient.ts";
import { clock } from "#shared/clock.ts";
import { advanceClock, call, queueSettled, startTestProvince, type TestProvince } from "../support/province.ts";

let t: TestProvince;
type Hospital = TestProvince["credentials"]["hospitals"][number];
let pub: Hospital; // records the documents (Shijiazhuang)
let lapsing: Hospital; // subscribes, then lets its relationship lapse (Tangshan)
let lawful: Hospital; // registers the resident after the clock moved, and subscribes (Handan)
let treating: Hospital; // never registers the resident, records an encounter for them (Baoding)
const DAY = 86_400;

beforeAll(async () => {
  t = await startTestProvince();
  const first = (city: string) => t.credentials.hospitals.find((h) => h.cityId === city && h.practitioners.length > 0)!;
  [pub, lapsing, lawful, treating] = [first("shijiazhuang"), first("tangshan"), first("handan"), first("baoding")];
});
afterAll(async () => {
  await t?.province.stop();
});

const cityUrl = (h: Hospital, path: string) => `${t.province.url}/cities/${h.cityId}${path}`;
const register = async (h: Hospital, mrn: string, resident: Registration = father) => {
  const res = await call(cityUrl(h, "/fhir/Patient"), { token: h.credential, body: patientOf(h.id, mrn, resident) });
  expect([200, 201], JSON.stringify(res.json)).toContain(res.status);
  return ((res.json?.identifier ?? []) as { system: string; value: string }[]).find((i) => i.system === EMPI_SYSTEM)!.value;
};
const subscription = (h: Hospital, resident: Registration = father) =>
  call(cityUrl(h, "/fhir/Subscription"), {
    token: h.credential,
    headers: { "x-practitioner-id": h.practitioners[0]! },
    body: {
      resourceType: "Subscription",
      status: "requested",
      reason: "continuity of care",
      criteria: `DocumentReference?patient.identifier=${RESIDENT_ID_SYSTEM}|${resident.residentId}`,
      channel: { type: "message" },
    },
  });
const subscribe = async (h: Hospital, resident: Registration = father) => {
  const res = await subscription(h, resident);
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return String(res.json?.id);
};
/** `pub` records a new document about the resident (its patient `mrn`, `LAPSE-P` for the father) */
const publish = async (master: string, mrn = "LAPSE-P") => {
  const bundle = publishBundle(
    pub,
    master,
    { system: mrnSystem(pub.id), value: mrn },
    {
      bytes: Buffer.from(`<ClinicalDocument>${master}</ClinicalDocument>`),
      withList: false,
      date: clock.isoNow(),
    },
  );
  const res = await call(cityUrl(pub, "/fhir"), {
    token: pub.credential,
    body: bundle,
    headers: { "x-practitioner-id": pub.practitioners[0]! },
  });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
};
/** The hub's matcher and the lapsed subscriber's city have handled everything sent so far */
const settled = async () => {
  await queueSettled(t.province, "hub", "Notify");
  await queueSettled(t.province, lapsing.cityId, "Push");
};
const communications = (res: { json?: Record<string, unknown> }): InboxCommunication[] =>
  ((res.json?.entry as { resource: InboxCommunication }[] | undefined) ?? []).map((e) => e.resource);
/** Long-polls `h`'s inbox until a Communication based on `subscriptionId` arrives; acknowledges what it takes */
async function receive(h: Hospital, subscriptionId: string): Promise<InboxCommunication> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const res = await call(cityUrl(h, "/fep/inbox?wait=5"), { token: h.credential });
    expect(res.status).toBe(200);
    const got = communications(res);
    for (const c of got)
      expect((await call(cityUrl(h, `/fep/inbox/${c.id}/ack`), { token: h.credential, method: "POST" })).status).toBe(204);
    const wanted = got.find((c) => c.basedOn?.[0]?.reference === `Subscription/${subscriptionId}`);
    if (wanted) return wanted;
  }
  throw new Error(`no Communication for Subscription/${subscriptionId} within 60 s`);
}

describe("issue 12 item 4: a delivery goes out only while the treatment relationship holds", { timeout: 240_000 }, () => {
  it("delivers within 90 days; past them delivers nothing to the lapsed subscriber and switches its subscription off, saying why", async () => {
    await register(pub, "LAPSE-P");
    const before = clock.nowMs();
    const empi = await register(lapsing, "LAPSE-T");
    const after = clock.nowMs();
    const lapsed = await subscribe(lapsing);

    // within 90 days: delivered (the control)
    await publish("LAPSE-DOC-1");
    expect((await receive(lapsing, lapsed)).subject?.reference).toBe(`Patient/${empi}`);

    // 91 days on, another hospital registers the resident and subscribes; a new document is recorded elsewhere
    await advanceClock(t.province, (RELATIONSHIP_DAYS + 1) * DAY);
    await register(lawful, "LAPSE-H");
    const held = await subscribe(lawful);
    await publish("LAPSE-DOC-2");
    expect((await receive(lawful, held)).subject?.reference).toBe(`Patient/${empi}`); // the event was matched
    await settled(); // …and the matcher is done with it, and the lapsed subscriber's city with any delivery
    const inbox = await call(cityUrl(lapsing, "/fep/inbox?wait=0"), { token: lapsing.credential });
    expect(communications(inbox)).toEqual([]);

    // the lapsed subscription says so, in its read and in the hospital's list
    const read = await call(cityUrl(lapsing, `/fhir/Subscription/${lapsed}`), { token: lapsing.credential });
    expect(read.status).toBe(200);
    const days = [before, after].map((ms) => new Date(ms + (RELATIONSHIP_DAYS * DAY + 8 * 3600) * 1000).toISOString().slice(0, 10)); // China Standard Time
    expect(read.json).toMatchObject({ resourceType: "Subscription", id: lapsed, status: "off" });
    expect(
      days.map((d) => `treatment relationship with the resident lapsed on ${d}; subscribe again after a new encounter or registration`),
    ).toContain(read.json?.error);
    const list = await call(cityUrl(lapsing, "/fhir/Subscription"), { token: lapsing.credential });
    expect(
      ((list.json?.entry ?? []) as { resource: { id: string; status: string } }[]).map((e) => [e.resource.id, e.resource.status]),
    ).toEqual([[lapsed, "off"]]);
    // the lawful one is untouched
    expect((await call(cityUrl(lawful, `/fhir/Subscription/${held}`), { token: lawful.credential })).json?.status).toBe("active");

    // a further document: still nothing for the lapsed subscriber, which can remove the subscription
    await publish("LAPSE-DOC-3");
    await receive(lawful, held);
    await settled();
    expect(communications(await call(cityUrl(lapsing, "/fep/inbox?wait=0"), { token: lapsing.credential }))).toEqual([]);
    expect((await call(cityUrl(lapsing, `/fhir/Subscription/${lapsed}`), { token: lapsing.credential, method: "DELETE" })).status).toBe(
      204,
    );
    expect((await call(cityUrl(lapsing, `/fhir/Subscription/${lapsed}`), { token: lapsing.credential })).status).toBe(404);
  });

  it("an encounter is a relationship: a hospital that never fed the resident may subscribe after recording one, not 90 days on", async () => {
    await register(pub, "LAPSE-S", son);
    // no feed, no encounter: no relationship (the control)
    const none = await subscription(treating, son);
    expect(none.status, JSON.stringify(none.json)).toBe(403);
    expect(JSON.stringify(none.json)).toContain("Subscription.criteria");

    // the resident comes to the hospital, which records an encounter (named by the resident ID, never fed)
    const visit = {
      ...encounterOf(treating.id, "LAPSE-ENC-1", "-", false, clock.isoNow(), clock.isoNow()),
      subject: { identifier: { system: RESIDENT_ID_SYSTEM, value: son.residentId } },
    };
    const before = clock.nowMs();
    const recorded = await call(cityUrl(treating, "/fhir/Encounter"), {
      token: treating.credential,
      headers: { "x-practitioner-id": treating.practitioners[0]! },
      body: visit,
    });
    const after = clock.nowMs();
    expect(recorded.status, JSON.stringify(recorded.json)).toBe(201);
    await queueSettled(t.province, "hub", "Exchange"); // the hub's record locator holds the encounter
    const held = await subscribe(treating, son);

    // 91 days on: no new subscription, and the one held lapses at the next delivery
    await advanceClock(t.province, (RELATIONSHIP_DAYS + 1) * DAY);
    expect((await subscription(treating, son)).status).toBe(403);
    await publish("LAPSE-DOC-S", "LAPSE-S");
    await queueSettled(t.province, "hub", "Exchange");
    await queueSettled(t.province, "hub", "Notify");
    await queueSettled(t.province, treating.cityId, "Push");
    const read = await call(cityUrl(treating, `/fhir/Subscription/${held}`), { token: treating.credential });
    expect(read.json).toMatchObject({ resourceType: "Subscription", id: held, status: "off" });
    const days = [before, after].map((ms) => new Date(ms + (RELATIONSHIP_DAYS * DAY + 8 * 3600) * 1000).toISOString().slice(0, 10));
    expect(
      days.map((d) => `treatment relationship with the resident lapsed on ${d}; subscribe again after a new encounter or registration`),
    ).toContain(read.json?.error);
    expect(communications(await call(cityUrl(treating, "/fep/inbox?wait=0"), { token: treating.credential }))).toEqual([]);
  });
});
