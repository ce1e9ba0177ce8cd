/**
 * Standard-queue batches: each batch's failures are its own, even when one instance handles two batches at once;
 * a batch's shared sends (sqsBatchHandler) report only the records whose part failed.
 */
import type { Context, SQSEvent, SQSRecord } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { sqsBatchHandler, sqsHandler } from "#shared/sqs.ts";

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

describe("sqsBatchHandler", () => {
  /** A batch that collects its records' numbers and, when settled, fails the records it is told to */
  const handlerFailing = (failInSettle: Set<number>, settled: number[][]) =>
    sqsBatchHandler(
      z.object({ n: z.number() }),
      () => {
        const applied: { id: string; n: number }[] = [];
        return {
          add: (id: string, n: number) => applied.push({ id, n }),
          async settle() {
            settled.push(applied.map((a) => a.n));
            return new Map(applied.filter((a) => failInSettle.has(a.n)).map((a) => [a.id, new Error("send failed")]));
          },
        };
      },
      async (batch, m, record) => {
        if (m.n === 13) throw new Error("cannot apply");
        batch.add(record.messageId, m.n);
      },
    );

  it("settles each batch once with its applied records, and reports the records failed alone or in the settle", async () => {
    const settled: number[][] = [];
    const handler = handlerFailing(new Set([7]), settled);
    const out = await handler(
      { Records: [record("a1", { n: 1 }), record("a2", { n: 13 }), record("a3", { n: 7 }), record("a4", "poison")] } as SQSEvent,
      context,
    );
    expect(out.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(["a2", "a3", "a4"]);
    expect(settled).toEqual([[1, 7]]);
  });

  it("keeps overlapping batches apart: each settles its own records", async () => {
    const settled: number[][] = [];
    const handler = handlerFailing(new Set(), settled);
    const [a, b] = await Promise.all([
      handler({ Records: [record("a1", { n: 1 }), record("a2", { n: 2 })] } as SQSEvent, context),
      handler({ Records: [record("b1", { n: 3 })] } as SQSEvent, context),
    ]);
    expect(a.batchItemFailures).toEqual([]);
    expect(b.batchItemFailures).toEqual([]);
    expect(settled.map((s) => s.sort()).sort()).toEqual([[1, 2], [3]]);
  });
});
