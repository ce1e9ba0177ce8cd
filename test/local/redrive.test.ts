/** The DLQ operations' core (list, inspect, re-drive with a budget) against the real SQS emulator, standard and FIFO. */

import type { SQSClient } from "@aws-sdk/client-sqs";
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countMessages, inspect, REDRIVE_COUNT_ATTRIBUTE, redrive } from "#lib/ops/redrive.ts";
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
    expect(result).toEqual({ moved: 3, failed: 0, exhausted: [] });
    const moved = await drain(source);
    expect(moved).toHaveLength(3);
    expect(moved.every((m) => m.MessageAttributes?.type?.StringValue === "heartbeat")).toBe(true);
    expect(await redrive(sqs, { dlqUrl: dlq, sourceUrl: source, fifo: false, max: 100 })).toEqual({ moved: 2, failed: 0, exhausted: [] });
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
    expect(await redrive(sqs, { dlqUrl: dlq, sourceUrl: source, fifo: true, max: 10 })).toEqual({ moved: 1, failed: 0, exhausted: [] });
    const [back] = await drain(source);
    expect(back?.Body).toBe("c1");
    expect(back?.Attributes?.MessageGroupId).toBe("resident-1");
  });

  it("counts and inspects a DLQ without consuming it", async () => {
    const dlq = await create("look-dlq");
    const body = (i: number) =>
      JSON.stringify({ type: "clinical-event", version: 1, eventId: `DocumentReference/d${i}/1`, hospitalId: "bd001" });
    for (let i = 0; i < 3; i++) await sqs.send(new SendMessageCommand({ QueueUrl: dlq, MessageBody: body(i) }));
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: dlq,
        MessageBody: "not json",
        MessageAttributes: { type: { DataType: "String", StringValue: "heartbeat" } },
      }),
    );
    expect(await countMessages(sqs, dlq)).toEqual({ visible: 4, inFlight: 0 });
    const seen = await inspect(sqs, dlq, 10);
    expect(seen).toHaveLength(4);
    expect(seen.find((m) => m.ids.eventId === "DocumentReference/d1/1")).toMatchObject({
      type: "clinical-event",
      version: 1,
      ids: { hospitalId: "bd001" },
      redrives: 0,
    });
    expect(seen.find((m) => m.type === "heartbeat")?.ids).toEqual({});
    expect(seen.every((m) => m.receiveCount >= 1)).toBe(true);
    // nothing consumed, and visible again at once
    expect(await countMessages(sqs, dlq)).toEqual({ visible: 4, inFlight: 0 });
    expect(await inspect(sqs, dlq, 2)).toHaveLength(2);
    expect(await drain(dlq)).toHaveLength(4);
  });

  it("re-drives a message at most `budget` times: then it stays in the DLQ and is reported", async () => {
    const dlq = await create("budget-dlq");
    const source = await create("budget");
    await sqs.send(
      new SendMessageCommand({ QueueUrl: dlq, MessageBody: JSON.stringify({ type: "clinical-event", version: 1, eventId: "e1" }) }),
    );
    for (let round = 1; round <= 2; round++) {
      expect(await redrive(sqs, { dlqUrl: dlq, sourceUrl: source, fifo: false, max: 10, budget: 2 })).toMatchObject({
        moved: 1,
        exhausted: [],
      });
      // the consumer fails again: SQS moves it, attributes and all, back to the DLQ
      const [back] = await drain(source);
      expect(back?.MessageAttributes?.[REDRIVE_COUNT_ATTRIBUTE]?.StringValue).toBe(String(round));
      await sqs.send(new SendMessageCommand({ QueueUrl: dlq, MessageBody: back!.Body, MessageAttributes: back!.MessageAttributes }));
    }
    const third = await redrive(sqs, { dlqUrl: dlq, sourceUrl: source, fifo: false, max: 10, budget: 2 });
    expect(third.moved).toBe(0);
    expect(third.exhausted).toHaveLength(1);
    expect(third.exhausted[0]).toMatchObject({ type: "clinical-event", redrives: 2, ids: { eventId: "e1" } });
    // still in the DLQ, visible for the next inspection; the source got nothing
    expect(await countMessages(sqs, dlq)).toEqual({ visible: 1, inFlight: 0 });
    expect(await drain(source)).toHaveLength(0);
    // a larger budget lets the operator send it once more
    expect((await redrive(sqs, { dlqUrl: dlq, sourceUrl: source, fifo: false, max: 10, budget: 3 })).moved).toBe(1);
  });

  it("re-drives FIFO messages within budget, in group order, holding a group behind an exhausted message", async () => {
    const dlq = await create("settle-dlq.fifo", true);
    const source = await create("settle.fifo", true);
    const send = (body: string, group: string, redrives: number) =>
      sqs.send(
        new SendMessageCommand({
          QueueUrl: dlq,
          MessageBody: body,
          MessageGroupId: group,
          MessageDeduplicationId: `${body}-dedup`,
          MessageAttributes: { [REDRIVE_COUNT_ATTRIBUTE]: { DataType: "Number", StringValue: String(redrives) } },
        }),
      );
    await send("a1", "resident-a", 0);
    await send("a2", "resident-a", 1);
    await send("b1", "resident-b", 3);
    await send("b2", "resident-b", 0);
    const result = await redrive(sqs, { dlqUrl: dlq, sourceUrl: source, fifo: true, max: 10, budget: 3 });
    expect(result.moved).toBe(2);
    expect(result.exhausted.map((m) => [m.groupId, m.redrives])).toEqual([["resident-b", 3]]);
    const moved = [...(await drain(source)), ...(await drain(source))];
    expect(moved.map((m) => [m.Body, m.Attributes?.MessageGroupId, m.MessageAttributes?.[REDRIVE_COUNT_ATTRIBUTE]?.StringValue])).toEqual([
      ["a1", "resident-a", "1"],
      ["a2", "resident-a", "2"],
    ]);
    // b1 and the b2 behind it stay in the DLQ, b1 at the head of its group (inspect shows each group's head)
    const left = await inspect(sqs, dlq, 10);
    expect(left.map((m) => [m.groupId, m.redrives])).toEqual([["resident-b", 3]]);
    expect(await countMessages(sqs, dlq)).toEqual({ visible: 2, inFlight: 0 });
  });
});
