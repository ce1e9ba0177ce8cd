/**
 * The local event source mapping against the real SQS emulator: batch size, partial batch
 * failure (only failed records come back), visibility timeout and redrive to the DLQ, and batches
 * handled side by side up to the poller's concurrency; the batching window, as Lambda honours it.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import type { SQSClient } from "@aws-sdk/client-sqs";
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
} from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QueuePoller } from "#local/pollers.ts";
import { LocalFunction } from "#local/runtime.ts";
import { scratchFolders } from "../support/scratch.ts";
import { startSqsEmulator } from "../support/sqs-emulator.ts";

const tempDir = scratchFolders();
let stop: () => Promise<void>;
let sqs: SQSClient;
const seen: { batchSizes: number[]; bodies: string[] } = { batchSizes: [], bodies: [] };

beforeAll(async () => {
  ({ sqs, stop } = await startSqsEmulator());
});
afterAll(async () => stop());

/** A handler bundle that fails the records whose body starts with "poison" (partial batch response). */
function testFunction(): LocalFunction {
  const dir = tempDir("hhc-fn-");
  writeFileSync(
    path.join(dir, "index.mjs"),
    `export const handler = async (event) => {
      globalThis.__seen.batchSizes.push(event.Records.length);
      for (const r of event.Records) globalThis.__seen.bodies.push(r.body);
      return { batchItemFailures: event.Records.filter((r) => r.body.startsWith("poison")).map((r) => ({ itemIdentifier: r.messageId })) };
    };`,
  );
  (globalThis as unknown as { __seen: typeof seen }).__seen = seen;
  return new LocalFunction("test", { id: "Consumer", entry: "n/a", description: "test", timeoutSeconds: 5, memoryMb: 128 }, dir, {}, 1);
}

async function queuePair(name: string, maxReceiveCount: number) {
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }));
  const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ["QueueArn"] }))).Attributes!
    .QueueArn!;
  const q = await sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: { VisibilityTimeout: "1", RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount }) },
    }),
  );
  const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: q.QueueUrl, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;
  return { url: q.QueueUrl!, arn, dlqUrl: dlq.QueueUrl! };
}

describe("QueuePoller", () => {
  it("delivers at most batchSize records per invocation and deletes the successes", async () => {
    const q = await queuePair("batches", 3);
    const poller = new QueuePoller(sqs, testFunction(), {
      queueUrl: q.url,
      queueArn: q.arn,
      batchSize: 4,
      concurrency: 1,
      log: () => undefined,
    });
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: q.url,
        Entries: Array.from({ length: 10 }, (_, i) => ({ Id: String(i), MessageBody: `ok-${i}` })),
      }),
    );
    seen.batchSizes.length = 0;
    let received = 0;
    while (received < 10) received += await poller.pollOnce(0);
    expect(Math.max(...seen.batchSizes)).toBeLessThanOrEqual(4);
    expect(seen.batchSizes.reduce((a, b) => a + b, 0)).toBe(10);
    const left = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: q.url, WaitTimeSeconds: 0, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }),
    );
    expect(left.Messages ?? []).toHaveLength(0);
  });

  it("redelivers only the failed record after the visibility timeout, then moves it to the DLQ", async () => {
    const q = await queuePair("poison", 2);
    const poller = new QueuePoller(sqs, testFunction(), {
      queueUrl: q.url,
      queueArn: q.arn,
      batchSize: 10,
      concurrency: 1,
      log: () => undefined,
    });
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: q.url,
        Entries: [
          { Id: "a", MessageBody: "fine" },
          { Id: "b", MessageBody: "poison-1" },
        ],
      }),
    );
    seen.bodies.length = 0;
    const deadline = Date.now() + 10_000;
    let dead: string[] = [];
    while (Date.now() < deadline && dead.length === 0) {
      await poller.pollOnce(1);
      const inDlq = await sqs.send(new ReceiveMessageCommand({ QueueUrl: q.dlqUrl, WaitTimeSeconds: 0, VisibilityTimeout: 0 }));
      dead = (inDlq.Messages ?? []).map((m) => m.Body!);
    }
    expect(dead).toEqual(["poison-1"]);
    // the good record was handled once; the poison one exactly maxReceiveCount times
    expect(seen.bodies.filter((b) => b === "fine")).toHaveLength(1);
    expect(seen.bodies.filter((b) => b === "poison-1")).toHaveLength(2);
  });

  it("receives the next batch while earlier ones are handled, at most `concurrency` at once, and deletes each when done", async () => {
    const q = await queuePair("side-by-side", 3);
    const gate = { running: 0, most: 0, handled: 0, open: undefined as undefined | (() => void) };
    const opened = new Promise<void>((resolve) => {
      gate.open = resolve;
    });
    (globalThis as unknown as { __gate: typeof gate; __opened: Promise<void> }).__gate = gate;
    (globalThis as unknown as { __opened: Promise<void> }).__opened = opened;
    const dir = tempDir("hhc-fn-");
    writeFileSync(
      path.join(dir, "index.mjs"),
      `export const handler = async () => {
        const g = globalThis.__gate;
        g.running++;
        g.most = Math.max(g.most, g.running);
        await globalThis.__opened;
        g.running--;
        g.handled++;
        return { batchItemFailures: [] };
      };`,
    );
    const fn = new LocalFunction("test", { id: "Slow", entry: "n/a", description: "test", timeoutSeconds: 5, memoryMb: 128 }, dir, {}, 1);
    const poller = new QueuePoller(sqs, fn, { queueUrl: q.url, queueArn: q.arn, batchSize: 1, concurrency: 2, log: () => undefined });
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: q.url,
        Entries: Array.from({ length: 3 }, (_, i) => ({ Id: String(i), MessageBody: `m-${i}` })),
      }),
    );
    poller.start();
    try {
      const until = async (done: () => boolean) => {
        const deadline = Date.now() + 5000;
        while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      };
      // two batches of one are being handled at once, the third waits for a slot
      await until(() => gate.running === 2);
      await new Promise((r) => setTimeout(r, 200));
      expect(gate.running).toBe(2);
      gate.open!();
      await until(() => gate.handled === 3);
      expect(gate.handled).toBe(3);
      expect(gate.most).toBe(2);
    } finally {
      await poller.stop();
    }
    const left = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: q.url, WaitTimeSeconds: 0, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }),
    );
    expect(left.Messages ?? []).toHaveLength(0);
  });

  it("with a batching window, a batch takes what arrives within the window of its first message; without, what one receive brought", async () => {
    const batchesOf = async (name: string, batchingWindowSeconds: number) => {
      const q = await queuePair(name, 3);
      const poller = new QueuePoller(sqs, testFunction(), {
        ...{ queueUrl: q.url, queueArn: q.arn, batchSize: 10, concurrency: 1, batchingWindowSeconds },
        log: () => undefined,
      });
      seen.batchSizes.length = 0;
      poller.start();
      try {
        // one message, then four more one by one within the next 0.4 s
        for (let i = 0; i < 5; i++) {
          await sqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: `w-${i}` }));
          await new Promise((r) => setTimeout(r, 100));
        }
        const deadline = Date.now() + 5000;
        while (seen.batchSizes.reduce((a, b) => a + b, 0) < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        return [...seen.batchSizes];
      } finally {
        await poller.stop();
      }
    };
    // (a window shorter than the test queues' 1 s visibility timeout, or the first message would come back meanwhile)
    expect(await batchesOf("window", 0.7)).toEqual([5]);
    const without = await batchesOf("no-window", 0);
    expect(without.reduce((a, b) => a + b, 0)).toBe(5);
    expect(without[0]).toBe(1);
  });
});
