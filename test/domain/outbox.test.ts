/** The outbox use cases over an in-memory store (the DynamoDB adapter is exercised in test/local). */
import { describe, expect, it } from "vitest";
import type { ExchangeMessage } from "#schemas/messages.ts";
import { acknowledge, backoffSeconds, MAX_ATTEMPTS, sendThroughOutbox, sweepOutbox } from "#use-cases/outbox.ts";
import { memoryOutbox } from "./memory-outbox.ts";

const message = (id: string): ExchangeMessage => ({
  type: "heartbeat",
  version: 1,
  messageId: id,
  cityId: "baoding",
  hospitalId: "bd001",
  receivedAt: "2026-11-26T10:00:00.000Z",
  fepVersion: "1.0.0",
  backlog: 0,
  fepClock: "2026-11-26T10:00:00.000Z",
});

describe("outbox", () => {
  it("records before sending, and keeps the record when the send fails", async () => {
    const outbox = memoryOutbox();
    const sendToHub = async () => {
      expect(outbox.items.size).toBe(1); // recorded before the send
      throw new Error("queue unreachable");
    };
    await sendThroughOutbox({ outbox, sendToHub }, message("m1"), new Date("2026-11-26T10:00:00Z"));
    expect(outbox.items.get("m1")).toMatchObject({ status: "pending", attempts: 1, nextAttemptAt: "2026-11-26T10:01:00.000Z" });
  });

  it("forgets a batch's acknowledged messages in one write where the store can, each alone where it cannot", async () => {
    const outbox = memoryOutbox();
    const writes: string[][] = [];
    const batched = { ...outbox, removeAll: async (ids: string[]) => void writes.push(ids) };
    for (const id of ["a", "b", "c"])
      await sendThroughOutbox({ outbox, sendToHub: async () => {} }, message(id), new Date("2026-11-26T10:00:00Z"));
    await acknowledge(batched, ["a", "b", "a"]);
    expect(writes).toEqual([["a", "b", "a"]]);
    await acknowledge(batched, ["c"]); // one message: the plain remove
    expect(writes).toHaveLength(1);
    expect([...outbox.items.keys()]).toEqual(["a", "b"]);
    await acknowledge(outbox, ["a", "b"]);
    expect(outbox.items.size).toBe(0);
  });

  it("re-sends only what is due, backs off, and forgets what the hub acknowledged", async () => {
    const outbox = memoryOutbox();
    const sent: string[] = [];
    const deps = { outbox, sendToHub: async (m: ExchangeMessage) => void sent.push(m.messageId) };
    await sendThroughOutbox(deps, message("a"), new Date("2026-11-26T10:00:00Z"));
    await sendThroughOutbox(deps, message("b"), new Date("2026-11-26T10:00:30Z"));
    await acknowledge(outbox, ["b"]);
    sent.length = 0;
    const r = await sweepOutbox(deps, new Date("2026-11-26T10:01:10Z"));
    expect(r).toEqual({ resent: 1, parked: 0, failed: 0 });
    expect(sent).toEqual(["a"]);
    expect(outbox.items.get("a")).toMatchObject({ attempts: 2, nextAttemptAt: "2026-11-26T10:03:10.000Z" });
    expect(await sweepOutbox(deps, new Date("2026-11-26T10:02:00Z"))).toEqual({ resent: 0, parked: 0, failed: 0 });
  });

  it("parks a message after bounded attempts instead of retrying forever", async () => {
    const outbox = memoryOutbox();
    const deps = { outbox, sendToHub: async () => undefined };
    await sendThroughOutbox(deps, message("x"), new Date("2026-11-26T00:00:00Z"));
    let now = new Date("2026-11-26T00:00:00Z").getTime();
    for (let i = 0; i < MAX_ATTEMPTS + 2; i++) {
      now += 3600_000;
      await sweepOutbox(deps, new Date(now));
    }
    expect(outbox.items.get("x")).toMatchObject({ status: "parked", attempts: MAX_ATTEMPTS + 1 });
  });

  describe("side by side (the exchange and audit outboxes: one round trip less before the answer)", () => {
    const at = new Date("2026-11-26T10:00:00Z");

    it("sends while the record is written, and answers only once it is recorded", async () => {
      const outbox = memoryOutbox();
      let release = () => {};
      const written = new Promise<void>((r) => {
        release = r;
      });
      const record = outbox.record;
      outbox.record = async (r) => {
        await written;
        return record(r);
      };
      const sent: string[] = [];
      let done = false;
      const call = sendThroughOutbox({ outbox, sendToHub: async (m) => void sent.push(m.messageId) }, message("s1"), at, {
        sideBySide: true,
      }).then(() => {
        done = true;
      });
      await new Promise((r) => setTimeout(r, 10));
      expect(sent).toEqual(["s1"]); // sent before the record was written
      expect(done).toBe(false); // not answered before it is
      release();
      await call;
      expect(outbox.items.get("s1")).toMatchObject({ status: "pending", attempts: 1 });
    });

    it("a record that fails fails the call, even when the send succeeded; a send that fails leaves the record for the sweeper", async () => {
      const failing = memoryOutbox();
      failing.record = async () => {
        throw new Error("table unavailable");
      };
      const sent: string[] = [];
      await expect(
        sendThroughOutbox({ outbox: failing, sendToHub: async (m) => void sent.push(m.messageId) }, message("f1"), at, {
          sideBySide: true,
        }),
      ).rejects.toThrow("table unavailable");
      expect(sent).toEqual(["f1"]);

      const outbox = memoryOutbox();
      const unreachable = async () => {
        throw new Error("queue unreachable");
      };
      await sendThroughOutbox({ outbox, sendToHub: unreachable }, message("f2"), at, { sideBySide: true });
      const resent: string[] = [];
      expect(
        await sweepOutbox({ outbox, sendToHub: async (m) => void resent.push(m.messageId) }, new Date("2026-11-26T10:01:00Z")),
      ).toEqual({
        resent: 1,
        parked: 0,
        failed: 0,
      });
      expect(resent).toEqual(["f2"]);
    });

    it("an acknowledgement that comes before the record is written leaves it pending: the sweeper sends it again, nothing is lost", async () => {
      const outbox = memoryOutbox();
      const record = outbox.record;
      // the hub acknowledges during the send, before the record is written
      outbox.record = async (r) => {
        await new Promise((done) => setTimeout(done, 5));
        return record(r);
      };
      const sendToHub = async (m: ExchangeMessage) => acknowledge(outbox, [m.messageId]);
      await sendThroughOutbox({ outbox, sendToHub }, message("r1"), at, { sideBySide: true });
      expect(outbox.items.get("r1")).toMatchObject({ status: "pending" });
      expect(await sweepOutbox({ outbox, sendToHub }, new Date("2026-11-26T10:01:00Z"))).toEqual({ resent: 1, parked: 0, failed: 0 });
      expect(outbox.items.has("r1")).toBe(false); // acknowledged again, now forgotten
    });
  });

  it("backs off exponentially up to an hour", () => {
    expect([1, 2, 3, 4, 7, 8, 20].map(backoffSeconds)).toEqual([60, 120, 240, 480, 3600, 3600, 3600]);
  });
});
