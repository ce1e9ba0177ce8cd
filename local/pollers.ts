/**
 * Lambda's SQS event source mapping, locally: long-polls a queue, invokes the function with up
 * to `batchSize` records, deletes what succeeded (honouring the partial batch response), and
 * leaves failures to reappear after the queue's visibility timeout; the queue's redrive policy
 * (in the emulator) moves a message to the DLQ after maxReceiveCount receives.
 */
import { DeleteMessageBatchCommand, type Message, ReceiveMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { SQSBatchResponse, SQSEvent, SQSMessageAttributes } from "aws-lambda";
import { clock } from "#shared/clock.ts";
import type { LocalFunction } from "./runtime.ts";

export interface PollerOptions {
  queueUrl: string;
  queueArn: string;
  batchSize: number;
  /** Concurrent receive loops (Lambda scales consumers out; two are plenty locally) */
  concurrency: number;
  log: (line: string) => void;
}

const toRecord = (m: Message, queueArn: string) => ({
  messageId: m.MessageId!,
  receiptHandle: m.ReceiptHandle!,
  body: m.Body ?? "",
  attributes: {
    ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? "1",
    SentTimestamp: m.Attributes?.SentTimestamp ?? String(clock.nowMs()),
    SenderId: m.Attributes?.SenderId ?? "local",
    ApproximateFirstReceiveTimestamp: m.Attributes?.ApproximateFirstReceiveTimestamp ?? String(clock.nowMs()),
    ...(m.Attributes?.MessageGroupId ? { MessageGroupId: m.Attributes.MessageGroupId } : {}),
    ...(m.Attributes?.MessageDeduplicationId ? { MessageDeduplicationId: m.Attributes.MessageDeduplicationId } : {}),
    ...(m.Attributes?.SequenceNumber ? { SequenceNumber: m.Attributes.SequenceNumber } : {}),
  },
  messageAttributes: Object.fromEntries(
    Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [
      k,
      { stringValue: v.StringValue, dataType: v.DataType ?? "String", stringListValues: [], binaryListValues: [] },
    ]),
  ) as SQSMessageAttributes,
  md5OfBody: m.MD5OfBody ?? "",
  eventSource: "aws:sqs",
  eventSourceARN: queueArn,
  awsRegion: process.env.AWS_REGION ?? "cn-north-1",
});

/**
 * The long poll of each receive, as Lambda's event source mapping polls (20 s, SQS's maximum): an idle
 * queue costs one request every 20 s per loop, not one a second (a province has 52 loops); a message
 * that arrives ends the wait at once, and stop() aborts the waits in flight.
 */
export const LONG_POLL_SECONDS = 20;

export class QueuePoller {
  private running = false;
  private loops: Promise<void>[] = [];
  private stopping = new AbortController();

  constructor(
    private readonly sqs: SQSClient,
    private readonly fn: LocalFunction,
    private readonly options: PollerOptions,
  ) {}

  start(): void {
    this.running = true;
    this.stopping = new AbortController();
    for (let i = 0; i < this.options.concurrency; i++) this.loops.push(this.loop());
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopping.abort();
    await Promise.allSettled(this.loops);
    this.loops = [];
  }

  /** One receive → invoke → delete cycle; returns how many messages it received. */
  async pollOnce(waitSeconds: number, abortSignal?: AbortSignal): Promise<number> {
    const { queueUrl, queueArn, batchSize } = this.options;
    const out = await this.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: batchSize,
        WaitTimeSeconds: waitSeconds,
        MessageSystemAttributeNames: ["All"],
        MessageAttributeNames: ["All"],
      }),
      { abortSignal },
    );
    const messages = out.Messages ?? [];
    if (messages.length === 0) return 0;
    const event: SQSEvent = { Records: messages.map((m) => toRecord(m, queueArn)) };
    let failed: Set<string>;
    try {
      const response = await this.fn.invoke<SQSBatchResponse | undefined>(event);
      failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch (error) {
      // the whole batch failed: nothing is deleted, every message comes back after the visibility timeout
      this.options.log(`${this.fn.name}: batch of ${messages.length} failed: ${(error as Error).message}`);
      return messages.length;
    }
    const done = messages.filter((m) => !failed.has(m.MessageId!));
    if (done.length > 0) {
      await this.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
        }),
      );
    }
    return messages.length;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      try {
        await this.pollOnce(LONG_POLL_SECONDS, this.stopping.signal);
      } catch (error) {
        if (!this.running) return;
        this.options.log(`${this.fn.name}: poll failed: ${(error as Error).message}`);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }
}
