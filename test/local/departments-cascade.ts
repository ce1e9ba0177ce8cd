/**
 * What a death ends, through the local province (docs/departments.md#what-a-death-ends): run by
 * test/local/departments.test.ts on its province (one province for the area), kept here to keep each
 * file short. A resident with a health card, a subscription held by another hospital and an open
 * telemedicine Task is registered dead by public security: the card is cancelled, the subscription
 * ended and the Task cancelled, each party told in its FEP inbox; the event again changes nothing more;
 * public security's void restores the card (the subscription and the Task stay ended).
 */
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { beforeAll, describe, expect, it } from "vitest";
import { dynamoHealthCardStore } from "#adapters/health-card-store.ts";
import { makeResidentId } from "#domain/mpi/resident-id.ts";
import { patientOf, publishBundle, type Registration } from "#lib/world/index.ts";
import type { HealthCard } from "#ports/health-card.ts";
import type { ResidentVitalEvent } from "#schemas/departments.ts";
import { EMPI_SYSTEM, mrnSystem, RESIDENT_ID_SYSTEM } from "#schemas/patient.ts";
import { DEPARTMENT_SYSTEM } from "#schemas/registry-codes.ts";
import { INFORMED_CONSENT_URL, TELEMEDICINE_CATEGORY_SYSTEM } from "#schemas/telemedicine.ts";
import { DEATH_REASON, DEATH_RETRACTED_REASON, DEATH_SUBSCRIPTION_ERROR } from "#use-cases/departments/death-listeners.ts";
import { call, queueSettled, type TestProvince, waitFor } from "../support/province.ts";

type Hospital = TestProvince["credentials"]["hospitals"][number];
type Json = Record<string, unknown>;

/** A resident of her own (no look-alike among the tests' household) */
const widow: Registration = {
  residentId: makeResidentId("130602", "1950-02-14", "046"),
  family: "刘",
  given: "桂兰",
  sex: "female",
  birthDate: "1950-02-14",
  phone: "13603120046",
  address: "河北省保定市莲池区裕华西路88号",
};

export function describeDeathCascade(province: () => TestProvince): void {
  let t: TestProvince;
  let requester: Hospital; // issues the card, asks for the Task
  let subscriber: Hospital; // subscribes to the resident
  let cards: ReturnType<typeof dynamoHealthCardStore>;
  const cityUrl = (h: Hospital, path: string) => `${t.province.url}/cities/${h.cityId}${path}`;
  const doctor = (h: Hospital, init: { method?: string; body?: unknown } = {}) => ({
    ...init,
    token: h.credential,
    headers: { "x-practitioner-id": h.practitioners[0]! },
  });
  const inboxes = new Map<string, Map<string, Json>>();
  /** Every Communication a hospital's inbox has shown so far (a poll hides what it returned: kept here) */
  const inbox = async (h: Hospital): Promise<Json[]> => {
    const seen = inboxes.get(h.id) ?? new Map<string, Json>();
    inboxes.set(h.id, seen);
    const res = await call(cityUrl(h, "/fep/inbox?wait=1"), { token: h.credential });
    for (const e of (res.json?.entry as { resource: Json }[] | undefined) ?? []) seen.set(String(e.resource.id), e.resource);
    return [...seen.values()];
  };
  const about = (items: Json[], reference: string) =>
    items.filter((c) => (c.payload as { contentReference: { reference: string } }[])[0]!.contentReference.reference === reference);
  const publicSecurity = () => t.credentials.departments.find((d) => d.id === "public-security")!.credential;
  const householdMessage = (event: string, focus: Json[]) => ({
    resourceType: "Bundle",
    type: "message",
    entry: [
      {
        resource: {
          resourceType: "MessageHeader",
          id: `cascade-${event}-${Date.now().toString(36)}`,
          eventCoding: { system: "https://hebei.health/fhir/CodeSystem/message-event", code: event },
          source: { endpoint: "urn:hhc:member:public-security" },
          destination: [{ endpoint: "urn:hhc:member:health-cloud" }],
          focus: focus.map((f) => ({ reference: `${f.resourceType}/${f.id}` })),
        },
      },
      ...focus.map((resource) => ({ fullUrl: `${resource.resourceType}/${resource.id}`, resource })),
    ],
  });
  const toExchange = (body: unknown) => call(`${t.province.url}/hub/xchg/messages`, { token: publicSecurity(), body });

  beforeAll(async () => {
    t = province();
    const baoding = t.credentials.hospitals.filter((h) => h.cityId === "baoding" && h.practitioners.length > 0);
    requester = baoding.find((h) => h.level === 2)!;
    subscriber = baoding.find((h) => h.id !== requester.id)!;
    cards = dynamoHealthCardStore(t.province.resources.get("hub")!.tables.get("HealthCards")!);
  });

  describe("what a death ends", () => {
    it("a death cancels the resident's card, ends their subscriptions and cancels their open Tasks, each party told once; a void restores the card", async () => {
      // the resident at two hospitals, a card, a subscription, a document and a telemedicine Task
      for (const h of [requester, subscriber])
        expect((await call(cityUrl(h, "/fhir/Patient"), { token: h.credential, body: patientOf(h.id, "DC-1", widow) })).status).toBe(201);
      const issued = await call(
        cityUrl(requester, "/fhir/Patient/$issue-health-card"),
        doctor(requester, {
          body: {
            resourceType: "Parameters",
            parameter: [{ name: "identifier", valueIdentifier: { system: RESIDENT_ID_SYSTEM, value: widow.residentId } }],
          },
        }),
      );
      expect(issued.status, JSON.stringify(issued.json)).toBe(201);
      const cardId = String((issued.json!.parameter as Json[]).find((p) => p.name === "cardId")!.valueString);
      const subscribed = await call(
        cityUrl(subscriber, "/fhir/Subscription"),
        doctor(subscriber, {
          body: {
            resourceType: "Subscription",
            status: "requested",
            reason: "follow-up",
            criteria: `DocumentReference?patient.identifier=${RESIDENT_ID_SYSTEM}|${widow.residentId}`,
            channel: { type: "message" },
          },
        }),
      );
      expect(subscribed.status, JSON.stringify(subscribed.json)).toBe(201);
      const subscriptionId = String(subscribed.json!.id);
      const published = await call(cityUrl(requester, "/fhir"), {
        ...doctor(requester),
        body: publishBundle(
          requester,
          "DC-DOC-1",
          { system: mrnSystem(requester.id), value: "DC-1" },
          {
            bytes: Buffer.from("<ClinicalDocument>DC-DOC-1</ClinicalDocument>"),
            withList: false,
          },
        ),
      });
      expect(published.status, JSON.stringify(published.json)).toBe(201);
      const documentId = String((published.json!.entry as { response: { location: string } }[])[0]!.response.location).split("/")[1]!;
      await queueSettled(t.province, "hub", "Exchange", 60_000);
      const requested = await call(
        cityUrl(requester, "/fhir/ServiceRequest"),
        doctor(requester, {
          body: {
            resourceType: "ServiceRequest",
            category: [{ coding: [{ system: TELEMEDICINE_CATEGORY_SYSTEM, code: "imaging-read" }] }],
            priority: "routine",
            subject: { identifier: { system: RESIDENT_ID_SYSTEM, value: widow.residentId } },
            performerType: { coding: [{ system: DEPARTMENT_SYSTEM, code: "internal-medicine" }] },
            reasonCode: [{ text: "second opinion" }],
            supportingInfo: [{ reference: `DocumentReference/${documentId}` }],
            extension: [{ url: INFORMED_CONSENT_URL, valueBoolean: true }],
          },
        }),
      );
      expect(requested.status, JSON.stringify(requested.json)).toBe(201);
      const task = (requested.json!.entry as { resource: Json }[]).find((e) => e.resource.resourceType === "Task")!.resource;
      const readTask = async () => (await call(cityUrl(requester, `/fhir/Task/${String(task.id)}`), doctor(requester))).json!;
      expect(["requested", "received", "accepted", "in-progress"]).toContain((await readTask()).status);

      // public security registers her death
      const patient = {
        resourceType: "Patient",
        id: "dc",
        identifier: [{ system: RESIDENT_ID_SYSTEM, value: widow.residentId }],
        deceasedDateTime: "2026-12-02T06:00:00+08:00",
      };
      const death = householdMessage("household-death", [patient]);
      expect((await toExchange(death)).status).toBe(200);
      const card = await waitFor(
        () => cards.get(cardId),
        (c) => c?.status === "cancelled",
        60_000,
      );
      const cancelled = await waitFor(readTask, (r) => r.status === "cancelled", 60_000);
      expect(cancelled.status).toBe("cancelled");
      const subscription = await waitFor(
        async () => (await call(cityUrl(subscriber, `/fhir/Subscription/${subscriptionId}`), doctor(subscriber))).json!,
        (s) => s.status === "off",
        60_000,
      );
      expect(subscription.error).toBe(DEATH_SUBSCRIPTION_ERROR);
      expect(card!.history.at(-1)).toMatchObject({ status: "cancelled", by: "hub", reason: DEATH_REASON });

      // each party told in its inbox: the card's issuer, the subscription's holder, the Task's requester
      const told = async () => ({
        card: about(await inbox(requester), `Basic/health-card-${cardId}`),
        task: about(await inbox(requester), `Task/${String(task.id)}`).filter((c) => JSON.stringify(c.category).includes("cancelled")),
        subscription: about(await inbox(subscriber), `Subscription/${subscriptionId}`),
      });
      const first = await waitFor(told, (x) => x.card.length > 0 && x.task.length > 0 && x.subscription.length > 0, 60_000);
      expect(first.card).toHaveLength(1);
      expect(first.subscription).toHaveLength(1);
      expect((first.subscription[0]!.subject as Json).reference).toMatch(/^Patient\//);

      // the same event again (a retried queue message): nothing more changes, no one is told again
      const hubRes = t.province.resources.get("hub")!;
      const empi = String((card as HealthCard).empi);
      const retry: ResidentVitalEvent = {
        type: "resident-vital-change",
        version: 1,
        messageId: `vital-${empi}-retry`,
        empi,
        change: "deceased",
        deceasedDateTime: patient.deceasedDateTime,
        source: "public-security",
        at: new Date().toISOString(),
      };
      const sqs = new SQSClient({ endpoint: t.province.endpoints.sqs });
      try {
        await sqs.send(
          new SendMessageCommand({
            QueueUrl: hubRes.queues.get("ResidentEvents")!.url,
            MessageBody: JSON.stringify(retry),
            MessageAttributes: { type: { DataType: "String", StringValue: retry.type } },
          }),
        );
      } finally {
        sqs.destroy();
      }
      await queueSettled(t.province, "hub", "ResidentEvents", 60_000);
      await queueSettled(t.province, requester.cityId, "Push", 30_000);
      expect(await cards.get(cardId)).toEqual(card);
      expect((await readTask()).meta).toEqual(cancelled.meta);
      const again = await told();
      expect([again.card.length, again.subscription.length, again.task.length]).toEqual([
        first.card.length,
        first.subscription.length,
        first.task.length,
      ]);

      // public security voids its registration: the card is back as it was; the subscription and the Task stay ended
      const voided = householdMessage("void", [
        { resourceType: "Parameters", id: "v", parameter: [{ name: "messageId", valueString: death.entry[0]!.resource.id }] },
      ]);
      expect((await toExchange(voided)).status).toBe(200);
      const restored = await waitFor(
        () => cards.get(cardId),
        (c) => c?.status === "active",
        60_000,
      );
      expect(restored!.history.at(-1)).toMatchObject({ status: "active", by: "hub", reason: DEATH_RETRACTED_REASON });
      await waitFor(
        async () => about(await inbox(requester), `Basic/health-card-${cardId}`),
        (list) => list.length === 2,
        60_000,
      );
      expect((await readTask()).status).toBe("cancelled");
      expect((await call(cityUrl(subscriber, `/fhir/Subscription/${subscriptionId}`), doctor(subscriber))).json!.status).toBe("off");
      // PDQm no longer shows her deceased
      const pdq = await call(
        cityUrl(requester, `/fhir/Patient?identifier=${encodeURIComponent(`${RESIDENT_ID_SYSTEM}|${widow.residentId}`)}`),
        doctor(requester),
      );
      const found = (pdq.json!.entry as { resource: Json }[])[0]!.resource;
      expect(found.deceasedDateTime).toBeUndefined();
      expect((found.identifier as { system: string }[]).some((i) => i.system === EMPI_SYSTEM)).toBe(true);
    }, 300_000);
  });
}
