/** The department exchange's outbound use cases with in-memory stores: the answer reaches the sink; failures stay owed. */
import { describe, expect, it } from "vitest";
import { messageBundle, REQUEST_HASH_HEADER, requestHash } from "#domain/departments/messages.ts";
import type { EndpointAnswer } from "#ports/department-exchange.ts";
import type { DepartmentResponse } from "#ports/departments.ts";
import type { DepartmentDelivery } from "#schemas/departments.ts";
import { DeliveryFailedError, deliverToDepartment, deliveryKey, sendToDepartments } from "#use-cases/departments/outbound.ts";
import { memoryOutbox } from "../memory-outbox.ts";

const NOW = new Date("2026-12-01T00:00:00Z");

async function queued(destinations: ("public-security" | "civil-affairs")[]) {
  const outbox = memoryOutbox();
  const queue: DepartmentDelivery[] = [];
  await sendToDepartments(
    { outbox, enqueue: async (d) => void queue.push(d), grantedMembers: async () => [] },
    {
      messageId: "m1",
      event: "death-notification",
      destinations,
      sourceMember: "health-cloud",
      focus: [{ resourceType: "Patient", id: "p1" }],
    },
    NOW,
  );
  return { outbox, queue };
}

/** A department's answer to `delivery`: ok, naming its request, with the request's hash */
const answerTo = (delivery: DepartmentDelivery, override: Partial<EndpointAnswer> = {}, identifier = "m1"): EndpointAnswer => ({
  status: 200,
  body: JSON.stringify(
    messageBundle({
      messageId: "ack",
      event: delivery.event,
      source: delivery.member,
      destinations: ["health-cloud"],
      focus: [],
      timestamp: NOW.toISOString(),
      response: { identifier, code: "ok" },
    }),
  ),
  headers: { [REQUEST_HASH_HEADER]: requestHash(JSON.stringify(delivery.bundle)) },
  ...override,
});

describe("outbound department messages", () => {
  it("records one outbox item and one delivery per destination, and a repeated message id adds none", async () => {
    const { outbox, queue } = await queued(["public-security", "civil-affairs"]);
    expect([...outbox.items.keys()]).toEqual([deliveryKey("m1", "public-security"), deliveryKey("m1", "civil-affairs")]);
    expect(queue.map((d) => d.member)).toEqual(["public-security", "civil-affairs"]);
    const header = queue[0]!.bundle.entry[0]!.resource as Record<string, unknown>;
    expect(header.id).toBe("m1");
    expect(header.destination).toEqual([{ endpoint: "urn:hhc:member:public-security" }, { endpoint: "urn:hhc:member:civil-affairs" }]);
  });

  it("refuses a destination the catalogue does not name, recording nothing", async () => {
    const outbox = memoryOutbox();
    const send = sendToDepartments(
      { outbox, enqueue: async () => {}, grantedMembers: async () => [] },
      { messageId: "m2", event: "death-notification", destinations: ["statistics"], sourceMember: "health-cloud", focus: [] },
      NOW,
    );
    await expect(send).rejects.toThrow(/statistics may not receive/);
    expect(outbox.items.size).toBe(0);
  });

  it("hands the department's answer to the sink registered for the event, then marks the outbox item delivered", async () => {
    const { outbox, queue } = await queued(["public-security"]);
    const answers: DepartmentResponse[] = [];
    const delivery = queue[0]!;
    const result = await deliverToDepartment(
      { outbox, endpoints: async () => answerTo(delivery), sinks: { "death-notification": async (r) => void answers.push(r) } },
      delivery,
      NOW,
    );
    expect(result).toBe("delivered");
    expect(answers).toEqual([
      { messageId: "m1", event: "death-notification", member: "public-security", code: "ok", receivedAt: NOW.toISOString() },
    ]);
    expect([...outbox.items.values()].map((r) => r.status)).toEqual(["delivered"]);
    // a re-delivered copy of an acknowledged message is dropped: the department is not called again
    const again = await deliverToDepartment(
      { outbox, endpoints: async () => Promise.reject(new Error("must not be called")), sinks: {} },
      delivery,
      NOW,
    );
    expect(again).toBe("already");
  });

  it.each([
    ["a 503", (d: DepartmentDelivery) => answerTo(d, { status: 503, body: "{}" })],
    ["another request's hash", (d: DepartmentDelivery) => answerTo(d, { headers: { [REQUEST_HASH_HEADER]: requestHash("other") } })],
    ["an answer to another message", (d: DepartmentDelivery) => answerTo(d, {}, "m9")],
    ["a body that is not JSON", (d: DepartmentDelivery) => answerTo(d, { body: "<html>" })],
  ])("keeps the message owed when the department answers %s, and tells no sink", async (_what, answer) => {
    const { outbox, queue } = await queued(["civil-affairs"]);
    const answers: DepartmentResponse[] = [];
    const delivery = queue[0]!;
    await expect(
      deliverToDepartment(
        { outbox, endpoints: async () => answer(delivery), sinks: { "death-notification": async (r) => void answers.push(r) } },
        delivery,
        NOW,
      ),
    ).rejects.toBeInstanceOf(DeliveryFailedError);
    expect(answers).toEqual([]);
    expect([...outbox.items.values()].map((r) => r.status)).toEqual(["pending"]);
  });

  it("a 4xx OperationOutcome is the department's fatal-error, handed to the sink with its text", async () => {
    const { outbox, queue } = await queued(["civil-affairs"]);
    const answers: DepartmentResponse[] = [];
    const delivery = queue[0]!;
    const body = JSON.stringify({
      resourceType: "OperationOutcome",
      issue: [{ severity: "error", code: "invalid", diagnostics: "unknown resident" }],
    });
    await deliverToDepartment(
      {
        outbox,
        endpoints: async () => ({ status: 422, body, headers: {} }),
        sinks: { "death-notification": async (r) => void answers.push(r) },
      },
      delivery,
      NOW,
    );
    expect(answers.map((a) => [a.code, a.detail])).toEqual([["fatal-error", "unknown resident"]]);
  });
});
