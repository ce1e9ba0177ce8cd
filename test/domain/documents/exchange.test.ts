/**
 * The document and encounter messages between city and hub: their versioned contracts, and the
 * hub applying them idempotently (highest revision wins; clinical-event after the durable write, again
 * on a re-delivery; always acknowledged).
 */
import { describe, expect, it } from "vitest";
import type { LocatorWrite } from "#ports/connections.ts";
import type { LocatorEntry } from "#schemas/documents.ts";
import { type ClinicalEventMessageV1, exchangeMessageSchema, notifyMessageSchema } from "#schemas/messages.ts";
import { applyExchangeMessage } from "#use-cases/apply-exchange.ts";
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
