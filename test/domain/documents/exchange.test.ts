/**
 * The document and encounter messages between city and hub: their versioned contracts, and the
 * hub applying them idempotently (highest revision wins; clinical-event after the durable write, again
 * on a re-delivery; always acknowledged), one message alone or a batch's together (one send of its events,
 * one count per metric, one acknowledgement per city; only the records whose part failed retried).
 */
import { describe, expect, it } from "vitest";
import type { LocatorWrite } from "#ports/connections.ts";
import type { LocatorEntry } from "#schemas/documents.ts";
import { type ClinicalEventMessageV1, exchangeMessageSchema, notifyMessageSchema } from "#schemas/messages.ts";
import { applyExchangeMessage, exchangeBatch } from "#use-cases/apply-exchange.ts";
import { exchangeMessageOf } from "#use-cases/documents/exchange.ts";

const entry = (revision: number, status = "current"): LocatorEntry => ({
  resourceType: "DocumentReference",
  id: "baoding-0123456789abcdef0123456789abcdef",
  empi: "E000000001",
  cityId: "baoding",
  hospitalId: "h-bd-1",
  revision,
  status,
  date: "2026-11-26T09:00:00+08:00",
  typeTokens: ["http://loinc.org|34133-9"],
  recordedAt: "2026-11-26T01:00:00.000Z",
  resource: { resourceType: "DocumentReference", id: "baoding-0123456789abcdef0123456789abcdef", status },
});

/** An in-memory record locator with the DynamoDB adapter's semantics */
function memoryHub() {
  const held = new Map<string, number>();
  const notified: ClinicalEventMessageV1[] = [];
  const acks: string[] = [];
  const counted: string[] = [];
  const deps = {
    connections: {
      recordHeartbeat: async () => true,
      recordExchange: async () => true,
      list: async () => ({ heartbeats: [], exchanges: [] }),
    },
    activity: { add: async (metric: string) => void counted.push(metric) },
    locator: {
      async put(e: LocatorEntry): Promise<LocatorWrite> {
        const key = `${e.empi}|${e.resourceType}/${e.id}`;
        const current = held.get(key);
        if (current === undefined || current < e.revision) {
          held.set(key, e.revision);
          return "written";
        }
        return current === e.revision ? "same" : "older";
      },
    },
    notify: async (event: ClinicalEventMessageV1) => {
      notified.push(notifyMessageSchema.parse(event));
    },
    acknowledge: async (_city: string, ids: string[]) => {
      acks.push(...ids);
    },
  };
  return { deps, held, notified, acks, counted };
}

describe("document-published v1 and encounter-recorded v1", () => {
  it("parse as exchange messages, with stable ids per revision", () => {
    const message = exchangeMessageOf("baoding", entry(1));
    expect(exchangeMessageSchema.parse(JSON.parse(JSON.stringify(message)))).toEqual(message);
    expect(message).toMatchObject({ type: "document-published", version: 1, messageId: `DocumentReference/${entry(1).id}/1` });
    const encounter = exchangeMessageOf("baoding", {
      ...entry(2),
      resourceType: "Encounter",
      id: "baoding-e0123456789abcdef0123456789abcde",
    });
    expect(exchangeMessageSchema.parse(encounter).type).toBe("encounter-recorded");
  });
  it("refuse an unknown version or a malformed entry (poison → DLQ)", () => {
    const message = exchangeMessageOf("baoding", entry(1));
    expect(exchangeMessageSchema.safeParse({ ...message, version: 2 }).success).toBe(false);
    expect(exchangeMessageSchema.safeParse({ ...message, entry: { ...entry(1), revision: 0 } }).success).toBe(false);
    expect(exchangeMessageSchema.safeParse({ ...message, entry: { ...entry(1), id: "../x" } }).success).toBe(false);
  });
});

describe("applyExchangeMessage for documents", () => {
  it("keeps the highest revision, notifies after each durable write and on a re-delivery, and always acknowledges", async () => {
    const hub = memoryHub();
    await applyExchangeMessage(hub.deps, exchangeMessageOf("baoding", entry(1)));
    await applyExchangeMessage(hub.deps, exchangeMessageOf("baoding", entry(2, "superseded")));
    // late and repeated deliveries
    await applyExchangeMessage(hub.deps, exchangeMessageOf("baoding", entry(1)));
    await applyExchangeMessage(hub.deps, exchangeMessageOf("baoding", entry(2, "superseded")));
    expect([...hub.held.values()]).toEqual([2]);
    expect(hub.notified.map((n) => [n.eventId.split("/").at(-1), n.status])).toEqual([
      ["1", "current"],
      ["2", "superseded"],
      ["2", "superseded"],
    ]);
    expect(hub.acks).toHaveLength(4);
    // a new document counts once for the operations summary; its status change and the re-deliveries do not
    expect(hub.counted).toEqual(["documents"]);
  });
});

const documentOf = (i: number, revision = 1): LocatorEntry => ({
  ...entry(revision),
  id: `baoding-${String(i).padStart(32, "0")}`,
  empi: `E00000000${i}`,
});
const heartbeatOf = (cityId: string, i: number) =>
  exchangeMessageSchema.parse({
    type: "heartbeat",
    version: 1,
    messageId: `hb-${cityId}-${i}`,
    cityId,
    hospitalId: `h-${cityId}-${i}`,
    receivedAt: "2026-11-26T01:00:00.000Z",
    fepVersion: "1.0.0",
    backlog: 0,
    fepClock: "2026-11-26T09:00:00+08:00",
  });

/** The memory hub, counting the calls a batch makes: events sent at once, counts per metric, acks per city */
function batchHub(unsent: (event: ClinicalEventMessageV1) => boolean = () => false, ackFails = new Set<string>()) {
  const hub = memoryHub();
  const sends: number[] = [];
  const adds: [string, number][] = [];
  const acks: [string, string[]][] = [];
  const deps = {
    ...hub.deps,
    notifyAll: async (events: ClinicalEventMessageV1[]) => {
      sends.push(events.length);
      for (const e of events) if (!unsent(e)) hub.notified.push(notifyMessageSchema.parse(e));
      return events.filter(unsent);
    },
    activity: { add: async (metric: string, _at: Date, n = 1) => void adds.push([metric, n]) },
    acknowledge: async (city: string, ids: string[]) => {
      if (ackFails.has(city)) throw new Error(`${city}'s push queue is down`);
      acks.push([city, ids]);
    },
  };
  async function run(messages: ReturnType<typeof exchangeMessageOf>[]) {
    const batch = exchangeBatch(deps);
    for (const [i, m] of messages.entries()) await batch.apply(m, `r${i}`);
    return [...(await batch.settle()).keys()];
  }
  return { hub, sends, adds, acks, run };
}

describe("exchangeBatch", () => {
  it("sends a batch's events at once, counts once per metric and acknowledges once per city", async () => {
    const t = batchHub();
    const messages = [1, 2, 3].map((i) => exchangeMessageOf("baoding", documentOf(i)));
    const failed = await t.run([...messages, heartbeatOf("tangshan", 1), heartbeatOf("baoding", 2)]);
    expect(failed).toEqual([]);
    expect(t.sends).toEqual([3]);
    expect(t.adds).toEqual([["documents", 3]]);
    expect(t.acks).toEqual([
      ["baoding", [...messages.map((m) => m.messageId), "hb-baoding-2"]],
      ["tangshan", ["hb-tangshan-1"]],
    ]);
  });

  it("a redelivered batch sends its events again (at least once) but counts nothing twice", async () => {
    const t = batchHub();
    const messages = [1, 2].map((i) => exchangeMessageOf("baoding", documentOf(i)));
    await t.run(messages);
    await t.run(messages);
    expect(t.sends).toEqual([2, 2]);
    expect(t.adds).toEqual([["documents", 2]]);
    expect(t.acks.map(([, ids]) => ids.length)).toEqual([2, 2]);
  });

  it("retries only the records whose event was not sent, without acknowledging them; their retry sends it", async () => {
    let down = true;
    const t = batchHub((e) => down && e.resourceId.endsWith("2"));
    const messages = [1, 2, 3].map((i) => exchangeMessageOf("baoding", documentOf(i)));
    expect(await t.run(messages)).toEqual(["r1"]);
    expect(t.acks).toEqual([["baoding", [messages[0]!.messageId, messages[2]!.messageId]]]);
    down = false;
    expect(await t.run([messages[1]!])).toEqual([]);
    expect(t.hub.notified.map((n) => n.resourceId.at(-1))).toEqual(["1", "3", "2"]);
    expect(t.adds).toEqual([["documents", 3]]);
  });

  it("retries only the records of a city whose acknowledgement failed", async () => {
    const t = batchHub(undefined, new Set(["tangshan"]));
    const failed = await t.run([heartbeatOf("baoding", 1), heartbeatOf("tangshan", 2), heartbeatOf("tangshan", 3)]);
    expect(failed.sort()).toEqual(["r1", "r2"]);
    expect(t.acks).toEqual([["baoding", ["hb-baoding-1"]]]);
  });

  it("a whole send that fails retries the records with events, not the heartbeats", async () => {
    const t = batchHub();
    const deps = { ...t.hub.deps, notifyAll: async () => Promise.reject(new Error("SQS is down")) };
    const batch = exchangeBatch(deps);
    await batch.apply(exchangeMessageOf("baoding", documentOf(1)), "doc");
    await batch.apply(heartbeatOf("baoding", 1), "hb");
    const failed = await batch.settle();
    expect([...failed.keys()]).toEqual(["doc"]);
    expect(failed.get("doc")?.message).toBe("SQS is down");
  });
});
