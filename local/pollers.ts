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
  /** Batches handled at once (Lambda's event source mapping runs several side by side) */
  concurrency: number;
  /**
   * The trigger's maxBatchingWindowSeconds, honoured as Lambda honours it: a receive that brought fewer than
   * `batchSize` messages waits out the window from its first message, then takes what arrived meanwhile (up
   * to the batch size) before the batch is invoked. 0 or absent: a batch is invoked with what one receive brought.
   */
  batchingWindowSeconds?: number;
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
  private loop?: Promise<void>;
  private stopping = new AbortController();
  /** Batches being handled (invoked, then deleted), at most `concurrency` */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly sqs: SQSClient,
    private readonly fn: LocalFunction,
    private readonly options: PollerOptions,
  ) {}

  start(): void {
    this.running = true;
    this.stopping = new AbortController();
    this.loop = this.receiveLoop();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopping.abort();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
    this.loop = undefined;
  }

  /** One receive → invoke → delete cycle; returns how many messages it received. */
  async pollOnce(waitSeconds: number, abortSignal?: AbortSignal): Promise<number> {
    const messages = await this.receive(waitSeconds, abortSignal);
    if (messages.length > 0) await this.handle(messages);
    return messages.length;
  }

  private async receive(waitSeconds: number, abortSignal?: AbortSignal, max = this.options.batchSize): Promise<Message[]> {
    const out = await this.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.options.queueUrl,
        MaxNumberOfMessages: max,
        WaitTimeSeconds: waitSeconds,
        MessageSystemAttributeNames: ["All"],
        MessageAttributeNames: ["All"],
      }),
      { abortSignal },
    );
    return out.Messages ?? [];
  }

  /** Invokes the function with the batch and deletes what succeeded (the partial batch response) */
  private async handle(messages: Message[]): Promise<void> {
    const { queueUrl, queueArn } = this.options;
    const event: SQSEvent = { Records: messages.map((m) => toRecord(m, queueArn)) };
    let failed: Set<string>;
    try {
      const response = await this.fn.invoke<SQSBatchResponse | undefined>(event);
      failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch (error) {
      // the whole batch failed: nothing is deleted, every message comes back after the visibility timeout
      this.options.log(`${this.fn.name}: batch of ${messages.length} failed: ${(error as Error).message}`);
      return;
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
  }

  /** The batching window: waits it out from the batch's first message, then one receive (no wait) for the rest */
  private async fill(messages: Message[]): Promise<Message[]> {
    await new Promise((r) => setTimeout(r, (this.options.batchingWindowSeconds ?? 0) * 1000));
    if (!this.running) return messages;
    try {
      return [...messages, ...(await this.receive(0, undefined, this.options.batchSize - messages.length))];
    } catch (error) {
      this.options.log(`${this.fn.name}: poll failed: ${(error as Error).message}`);
      return messages;
    }
  }

  /**
   * One long poll at a time (a message wakes one receive, not one per loop), and up to `concurrency`
   * batches handled at once, as Lambda runs several batches of a queue side by side: the next receive
   * starts as soon as a batch is handed over, not after it was handled and deleted. While every slot is
   * busy, messages wait in the queue and the next receive takes up to a whole batch of them.
   */
  private async receiveLoop(): Promise<void> {
    while (this.running) {
      if (this.inFlight.size >= this.options.concurrency) {
        await Promise.race(this.inFlight);
        continue;
      }
      let messages: Message[];
      try {
        messages = await this.receive(LONG_POLL_SECONDS, this.stopping.signal);
      } catch (error) {
        if (!this.running) return;
        this.options.log(`${this.fn.name}: poll failed: ${(error as Error).message}`);
        await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      if (messages.length === 0) continue;
      if (messages.length < this.options.batchSize && this.options.batchingWindowSeconds) messages = await this.fill(messages);
      const batch: Promise<void> = this.handle(messages)
        .catch((error: Error) => this.options.log(`${this.fn.name}: delete failed: ${error.message}`))
        .finally(() => this.inFlight.delete(batch));
      this.inFlight.add(batch);
    }
  }
}
