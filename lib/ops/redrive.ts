/**
 * Dead-letter queue operations (ops re-drive; the China regions have no SQS redrive API, DESIGN.md
 * decision 4): count, inspect without consuming, and move messages back to their source queue with a
 * bounded retry budget.
 * - A message leaves the DLQ only after the source queue has accepted it.
 * - Each re-drive increments the message attribute `hhc-redrives`; a message already re-driven
 *   `budget` times stays in the DLQ and is reported (SQS keeps message attributes when it moves a
 *   message to its DLQ, so the count survives another failure).
 * - At most `ratePerSecond` messages are sent per second, so a re-drive never storms a consumer.
 * - FIFO messages keep their group, with a fresh de-duplication id so that SQS does not drop them as
 *   repeats (consumers are idempotent); a message that stays in the DLQ keeps the later messages of
 *   its group there too (they are not re-driven past it: order within a group holds).
 */
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { MESSAGE_REDRIVES_ATTRIBUTE } from "#schemas/node-identity.ts";

// the consumers know a re-driven message by it (its SenderId is the operator's: docs/node-identity.md)
export const REDRIVE_COUNT_ATTRIBUTE = MESSAGE_REDRIVES_ATTRIBUTE;
export const DEFAULT_BUDGET = 3;
export const DEFAULT_RATE_PER_SECOND = 10;

export interface RedriveResult {
  moved: number;
  failed: number;
  /** Left in the DLQ: re-driven `budget` times already */
  exhausted: MessageSummary[];
}

export interface MessageSummary {
  messageId: string;
  type?: string;
  version?: string | number;
  /** Ids the body names (messageId, eventId, resourceId, hospitalId, cityId, claim…) */
  ids: Record<string, string>;
  /** Receives of this copy, by SQS (ApproximateReceiveCount) */
  receiveCount: number;
  redrives: number;
  groupId?: string;
  sentAt?: string;
  bodyBytes: number;
}

const redrivesOf = (m: Message): number => Number(m.MessageAttributes?.[REDRIVE_COUNT_ATTRIBUTE]?.StringValue ?? 0) || 0;

const ID_FIELDS = ["messageId", "eventId", "resourceType", "resourceId", "hospitalId", "cityId", "claimId", "empi"];

export function summarize(m: Message): MessageSummary {
  let body: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(m.Body ?? "");
    if (parsed && typeof parsed === "object") body = parsed as Record<string, unknown>;
  } catch {
    // not JSON: summarized by its attributes only
  }
  const ids = Object.fromEntries(
    ID_FIELDS.flatMap((k) => (typeof body[k] === "string" || typeof body[k] === "number" ? [[k, String(body[k])]] : [])),
  );
  const type = (typeof body.type === "string" ? body.type : undefined) ?? m.MessageAttributes?.type?.StringValue;
  const version = (typeof body.version === "number" ? body.version : undefined) ?? m.MessageAttributes?.version?.StringValue;
  const sent = m.Attributes?.SentTimestamp;
  return {
    messageId: m.MessageId ?? "",
    ...(type ? { type } : {}),
    ...(version !== undefined ? { version } : {}),
    ids,
    receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? 0),
    redrives: redrivesOf(m),
    ...(m.Attributes?.MessageGroupId ? { groupId: m.Attributes.MessageGroupId } : {}),
    ...(sent ? { sentAt: new Date(Number(sent)).toISOString() } : {}),
    bodyBytes: Buffer.byteLength(m.Body ?? ""),
  };
}

/** Messages waiting in a queue (visible and in flight), by SQS's approximate counts */
export async function countMessages(sqs: SQSClient, queueUrl: string): Promise<{ visible: number; inFlight: number }> {
  const out = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    }),
  );
  return {
    visible: Number(out.Attributes?.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0),
  };
}

const receive = async (sqs: SQSClient, queueUrl: string, max: number, visibilityTimeout: number) =>
  (
    await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.max(1, Math.min(10, max)),
        WaitTimeSeconds: 1,
        VisibilityTimeout: visibilityTimeout,
        MessageSystemAttributeNames: ["All"],
        MessageAttributeNames: ["All"],
      }),
    )
  ).Messages ?? [];

/** Makes received messages visible again at once */
async function restore(sqs: SQSClient, queueUrl: string, messages: Message[]): Promise<void> {
  for (let i = 0; i < messages.length; i += 10) {
    await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: messages.slice(i, i + 10).map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 })),
      }),
    );
  }
}

/**
 * Up to `max` messages of a queue, summarized, without consuming them: each is held for a few
 * seconds while the rest are read, then made visible again. On a FIFO queue a held message locks its
 * group, so inspection shows the head of each group (the one that blocks it).
 */
export async function inspect(sqs: SQSClient, queueUrl: string, max = 10): Promise<MessageSummary[]> {
  const held: Message[] = [];
  try {
    while (held.length < max) {
      const batch = await receive(sqs, queueUrl, max - held.length, 30);
      if (batch.length === 0) break;
      held.push(...batch);
    }
  } finally {
    await restore(sqs, queueUrl, held);
  }
  return held.map(summarize);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function redrive(
  sqs: SQSClient,
  opts: { dlqUrl: string; sourceUrl: string; fifo: boolean; max: number; budget?: number; ratePerSecond?: number },
): Promise<RedriveResult> {
  const budget = opts.budget ?? DEFAULT_BUDGET;
  const rate = opts.ratePerSecond ?? DEFAULT_RATE_PER_SECOND;
  const result: RedriveResult = { moved: 0, failed: 0, exhausted: [] };
  const parked: Message[] = []; // over budget: held invisible during this run, then made visible again
  try {
    while (result.moved + result.failed < opts.max) {
      const started = Date.now();
      const batch = await receive(sqs, opts.dlqUrl, Math.min(opts.max - result.moved - result.failed, rate), 120);
      if (batch.length === 0) break;
      const over = batch.filter((m) => redrivesOf(m) >= budget);
      parked.push(...over);
      result.exhausted.push(...over.map(summarize));
      const due = batch.filter((m) => redrivesOf(m) < budget);
      if (due.length === 0) continue;
      const sent = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: opts.sourceUrl,
          Entries: due.map((m, i) => ({
            Id: String(i),
            MessageBody: m.Body ?? "",
            MessageAttributes: {
              ...(m.MessageAttributes as Record<string, MessageAttributeValue> | undefined),
              [REDRIVE_COUNT_ATTRIBUTE]: { DataType: "Number", StringValue: String(redrivesOf(m) + 1) },
            },
            ...(opts.fifo
              ? {
                  MessageGroupId: m.Attributes?.MessageGroupId ?? "redrive",
                  MessageDeduplicationId: `${(m.Attributes?.MessageDeduplicationId ?? m.MessageId ?? "").slice(0, 100)}.r${redrivesOf(m) + 1}.${Date.now()}`,
                }
              : {}),
          })),
        }),
      );
      const ok = new Set((sent.Successful ?? []).map((s) => s.Id));
      const done = due.filter((_, i) => ok.has(String(i)));
      const refused = due.filter((_, i) => !ok.has(String(i)));
      if (done.length > 0) {
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: opts.dlqUrl,
            Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
          }),
        );
      }
      await restore(sqs, opts.dlqUrl, refused);
      result.moved += done.length;
      result.failed += refused.length;
      if (done.length === 0) break; // the source refuses them: stop rather than spin
      const pause = (done.length / rate) * 1000 - (Date.now() - started);
      if (pause > 0) await sleep(pause);
    }
  } finally {
    await restore(sqs, opts.dlqUrl, parked);
  }
  return result;
}
