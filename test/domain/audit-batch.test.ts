/** The hub's Audit consumer per batch: each event stored alone, the batch's retrievals counted once, one acknowledgement per city. */
import { describe, expect, it } from "vitest";
import type { AuditEventMessageV1 } from "#schemas/audit.ts";
import { auditBatch, consumeAuditEvent } from "#use-cases/audit.ts";

const retrieval = (cityId: string, i: number, hospitalId = `h-${cityId}`) =>
  ({
    type: "audit-event",
    version: 1,
    messageId: `ae-${cityId}-${i}`,
    cityId,
    index: { patients: [], agents: [], outcome: "0", node: cityId },
    event: {
      resourceType: "AuditEvent",
      action: "R",
      outcome: "0",
      recorded: "2026-11-26T01:00:00.000Z",
      agent: [{ who: { reference: `Organization/${hospitalId}` } }],
      entity: [{ what: { reference: `Binary/doc-${i}` } }],
    },
  }) as unknown as AuditEventMessageV1;

function hub(ackFails = new Set<string>()) {
  const stored: string[] = [];
  const adds: [string, number][] = [];
  const acks: [string, string[]][] = [];
  const deps = {
    repository: { store: async (id: string) => void stored.push(id) },
    connections: { recordExchange: async () => true },
    activity: { add: async (metric: string, _at: Date, n = 1) => void adds.push([metric, n]) },
    acknowledge: async (city: string, ids: string[]) => {
      if (ackFails.has(city)) throw new Error(`${city}'s push queue is down`);
      acks.push([city, ids]);
    },
  } as unknown as Parameters<typeof auditBatch>[0];
  return { deps, stored, adds, acks };
}

describe("auditBatch", () => {
  it("stores each event, counts the batch's retrievals once and acknowledges once per city", async () => {
    const h = hub();
    const batch = auditBatch(h.deps);
    const messages = [retrieval("baoding", 1), retrieval("tangshan", 2), retrieval("baoding", 3)];
    for (const [i, m] of messages.entries()) await batch.apply(m, `r${i}`);
    expect([...(await batch.settle()).keys()]).toEqual([]);
    expect(h.stored).toEqual(["ae-baoding-1", "ae-tangshan-2", "ae-baoding-3"]);
    expect(h.adds).toEqual([["retrievals", 3]]);
    expect(h.acks).toEqual([
      ["baoding", ["ae-baoding-1", "ae-baoding-3"]],
      ["tangshan", ["ae-tangshan-2"]],
    ]);
  });

  it("retries only the records of a city whose acknowledgement failed", async () => {
    const h = hub(new Set(["tangshan"]));
    const batch = auditBatch(h.deps);
    await batch.apply(retrieval("baoding", 1), "r0");
    await batch.apply(retrieval("tangshan", 2), "r1");
    expect([...(await batch.settle()).keys()]).toEqual(["r1"]);
    expect(h.acks).toEqual([["baoding", ["ae-baoding-1"]]]);
  });

  it("one event alone (consumeAuditEvent) throws when its acknowledgement fails", async () => {
    const h = hub(new Set(["baoding"]));
    await expect(consumeAuditEvent(h.deps, retrieval("baoding", 1))).rejects.toThrow("baoding's push queue is down");
    expect(h.stored).toEqual(["ae-baoding-1"]);
  });
});
