/** The re-drive command's core against the real SQS emulator, standard and FIFO. */

import type { SQSClient } from "@aws-sdk/client-sqs";
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redrive } from "../../scripts/lib/redrive.ts";
import { startSqsEmulator } from "../support/sqs-emulator.ts";

let sqs: SQSClient;
let stop: () => Promise<void>;
beforeAll(async () => {
  ({ sqs, stop } = await startSqsEmulator());
});
afterAll(async () => stop());

const create = async (name: string, fifo = false) =>
  (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: fifo ? { FifoQueue: "true" } : {} }))).QueueUrl!;
const drain = async (url: string) => {
  const out = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: url,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 0,
      MessageSystemAttributeNames: ["All"],
      MessageAttributeNames: ["All"],
    }),
  );
  // delete what was received (a FIFO group stays locked while a message of it is in flight)
  for (const m of out.Messages ?? []) await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
  return out.Messages ?? [];
};

describe("redrive", () => {
  it("moves up to max messages with their attributes, leaving the rest in the DLQ", async () => {
    const source = await create("src");
    const dlq = await create("src-dlq");
    for (let i = 0; i < 5; i++) {
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: dlq,
          MessageBody: `m${i}`,
          MessageAttributes: { type: { DataType: "String", StringValue: "heartbeat" } },
        }),
      );
    }
    const result = await redrive(sqs, { dlqUrl: dlq, sourceUrl: source, fifo: false, max: 3 });
    expect(result).toEqual({ moved: 3, failed: 0 });
    const moved = await drain(source);
    expect(moved).toHaveLength(3);
    expect(moved.every((m) => m.MessageAttributes?.type?.StringValue === "heartbeat")).toBe(true);
    expect(await redrive(sqs, { dlqUrl: dlq, sourceUrl: source, fifo: false, max: 100 })).toEqual({ moved: 2, failed: 0 });
    expect(await drain(dlq)).toHaveLength(0);
  });

  it("keeps the message group of FIFO messages and is not swallowed by de-duplication", async () => {
    const source = await create("claims.fifo", true);
    const dlq = await create("claims-dlq.fifo", true);
    await sqs.send(
      new SendMessageCommand({ QueueUrl: dlq, MessageBody: "c1", MessageGroupId: "resident-1", MessageDeduplicationId: "bd001:C1:submit" }),
    );
    // the same de-duplication id was used on the source within the 5-minute window
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: source,
        MessageBody: "c1-original",
        MessageGroupId: "resident-1",
        MessageDeduplicationId: "bd001:C1:submit",
      }),
    );
    await drain(source);
    expect(await redrive(sqs, { dlqUrl: dlq, sourceUrl: source, fifo: true, max: 10 })).toEqual({ moved: 1, failed: 0 });
    const [back] = await drain(source);
    expect(back?.Body).toBe("c1");
    expect(back?.Attributes?.MessageGroupId).toBe("resident-1");
  });
});
