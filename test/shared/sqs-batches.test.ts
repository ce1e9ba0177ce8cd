/** Standard-queue batches: each batch's failures are its own, even when one instance handles two batches at once. */
import type { Context, SQSEvent, SQSRecord } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { sqsHandler } from "#shared/sqs.ts";

const record = (id: string, body: unknown): SQSRecord =>
  ({ messageId: id, body: JSON.stringify(body), attributes: {}, messageAttributes: {} }) as unknown as SQSRecord;
const context = {} as Context;

describe("sqsHandler", () => {
  it("reports a batch's failed record with that batch while another batch starts meanwhile", async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const handler = sqsHandler(z.object({ n: z.number() }), async (m) => {
      if (m.n === 13) throw new Error("cannot apply");
      if (m.n === 1) await held;
    });
    // batch A's record 13 has failed and its record 1 is still running when batch B starts on the same instance
    const first = handler({ Records: [record("a1", { n: 1 }), record("a2", { n: 13 })] } as SQSEvent, context);
    await new Promise((r) => setTimeout(r, 10));
    const second = await handler({ Records: [record("b1", { n: 2 }), record("b2", { n: 3 })] } as SQSEvent, context);
    release();
    const a = await first;
    expect(a.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(["a2"]);
    expect(second.batchItemFailures).toEqual([]);
  });
});
