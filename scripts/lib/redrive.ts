/**
 * Moves messages from a dead-letter queue back to its source queue (ops re-drive; the China
 * regions have no SQS redrive API, DESIGN.md decision 4). A message leaves the DLQ only after
 * the source queue has accepted it; FIFO messages keep their group, with a fresh
 * de-duplication id so that SQS does not drop them as repeats (consumers are idempotent).
 */
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageBatchCommand, type SQSClient } from "@aws-sdk/client-sqs";

export interface RedriveResult {
  moved: number;
  failed: number;
}

export async function redrive(
  sqs: SQSClient,
  opts: { dlqUrl: string; sourceUrl: string; fifo: boolean; max: number },
): Promise<RedriveResult> {
  const result: RedriveResult = { moved: 0, failed: 0 };
  while (result.moved + result.failed < opts.max) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: opts.dlqUrl,
        MaxNumberOfMessages: Math.min(10, opts.max - result.moved - result.failed),
        WaitTimeSeconds: 1,
        VisibilityTimeout: 60,
        MessageSystemAttributeNames: ["All"],
        MessageAttributeNames: ["All"],
      }),
    );
    if (Messages.length === 0) break;
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: opts.sourceUrl,
        Entries: Messages.map((m, i) => ({
          Id: String(i),
          MessageBody: m.Body ?? "",
          MessageAttributes: m.MessageAttributes,
          ...(opts.fifo
            ? {
                MessageGroupId: m.Attributes?.MessageGroupId ?? "redrive",
                MessageDeduplicationId: `${(m.Attributes?.MessageDeduplicationId ?? m.MessageId ?? "").slice(0, 100)}.r${Date.now()}`,
              }
            : {}),
        })),
      }),
    );
    const ok = new Set((sent.Successful ?? []).map((s) => s.Id));
    const done = Messages.filter((_, i) => ok.has(String(i)));
    if (done.length > 0) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: opts.dlqUrl,
          Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
        }),
      );
    }
    result.moved += done.length;
    result.failed += Messages.length - done.length;
    if (done.length === 0) break; // the source refuses them: stop rather than spin
  }
  return result;
}
