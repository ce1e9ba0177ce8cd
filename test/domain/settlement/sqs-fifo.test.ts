/** FIFO batches: groups side by side, each in order, a failure holding back the rest of its group only. */
import type { SQSEvent, SQSRecord } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { sqsFifoHandler } from "#shared/sqs-fifo.ts";

const record = (id: string, group: string, body: unknown): SQSRecord =>
  ({ messageId: id, body: JSON.stringify(body), attributes: { MessageGroupId: group } }) as unknown as SQSRecord;

describe("sqsFifoHandler", () => {
  it("keeps each group's order, fails the rest of a group after a failure, and treats an unknown shape as poison", async () => {
    const applied: string[] = [];
    const handler = sqsFifoHandler(z.object({ n: z.number() }), async (m, r) => {
      if (m.n === 13) throw new Error("cannot apply");
      applied.push(`${r.attributes.MessageGroupId}:${m.n}`);
    });
    const event: SQSEvent = {
      Records: [
        record("a1", "a", { n: 1 }),
        record("b1", "b", { n: 1 }),
        record("a2", "a", { n: 13 }),
        record("b2", "b", { n: 2 }),
        record("a3", "a", { n: 3 }),
        record("c1", "c", { version: 99 }),
        record("c2", "c", { n: 5 }),
      ],
    };
    const result = await handler(event);
    expect(result.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(["a2", "a3", "c1", "c2"]);
    expect(applied.filter((x) => x.startsWith("b"))).toEqual(["b:1", "b:2"]);
    expect(applied.filter((x) => x.startsWith("a"))).toEqual(["a:1"]);
  });
});
