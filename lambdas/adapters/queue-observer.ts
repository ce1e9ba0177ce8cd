/** Counts the messages of queues by name (attributes only: no message is received or read). */
import { GetQueueAttributesCommand, GetQueueUrlCommand } from "@aws-sdk/client-sqs";
import type { QueueDepth, QueueObserver } from "#ports/ops-summary.ts";
import { sqsClient } from "#shared/aws.ts";

const urls = new Map<string, string>();

/** The queue's counts, or undefined when there is no such queue (a city not deployed yet). */
export async function queueDepth(name: string): Promise<QueueDepth | undefined> {
  const sqs = sqsClient();
  try {
    let url = urls.get(name);
    if (!url) {
      url = (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl!;
      urls.set(name, url);
    }
    const out = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
      }),
    );
    return {
      visible: Number(out.Attributes?.ApproximateNumberOfMessages ?? 0),
      inFlight: Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0),
    };
  } catch (error) {
    urls.delete(name);
    if ((error as { name?: string }).name?.includes("NonExistentQueue")) return undefined;
    throw error;
  }
}

export const sqsQueueObserver: QueueObserver = { depth: queueDepth };
