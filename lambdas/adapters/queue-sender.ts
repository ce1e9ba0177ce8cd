/**
 * Sends a versioned message (JSON) to a queue; the message type rides as an attribute too, and the
 * sending node's signature (docs/node-identity.md): under its own key, or, from the hub, under the
 * key of the city the message goes to (`keyNode`); settlement messages under the sender's own Ed25519
 * key (`sendSettlementSigned`).
 */
import { SendMessageBatchCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { sqsClient } from "#shared/aws.ts";
import { logger } from "#shared/logger.ts";
import { settlementSignatureAttributes, signatureAttributes } from "#shared/message-signing.ts";

type Signature = Record<string, { DataType: "String"; StringValue: string }>;

const attributes = (message: { type: string; version: number }, signature: Signature) => ({
  type: { DataType: "String" as const, StringValue: message.type },
  version: { DataType: "Number" as const, StringValue: String(message.version) },
  ...signature,
});

async function send(queueUrl: string, message: { type: string; version: number }, body: string, signature: Signature): Promise<void> {
  await sqsClient().send(
    new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body, MessageAttributes: attributes(message, signature) }),
  );
}

export async function sendMessage(
  queueUrl: string,
  message: { type: string; version: number },
  body = JSON.stringify(message),
  keyNode?: string,
): Promise<void> {
  await send(queueUrl, message, body, await signatureAttributes(body, keyNode));
}

/** A settlement message of this node (the insurance platform's result), signed under its own Ed25519 key */
export async function sendSettlementSigned(queueUrl: string, message: { type: string; version: number }): Promise<void> {
  const body = JSON.stringify(message);
  await send(queueUrl, message, body, await settlementSignatureAttributes(body));
}

/** SQS takes at most 10 messages and 256 KiB in one SendMessageBatch */
const BATCH_ENTRIES = 10;
const BATCH_BYTES = 200 * 1024;

/**
 * Many messages to one queue, each signed as `sendMessage` signs it, in as few SendMessageBatch calls as
 * SQS allows (10 a call, under 256 KiB); answers the messages not sent (SQS refused their entries or their
 * call failed), so their senders can retry just them.
 */
export async function sendMessages<M extends { type: string; version: number }>(
  queueUrl: string,
  messages: M[],
  keyNode?: string,
): Promise<M[]> {
  const bodies = messages.map((m) => JSON.stringify(m));
  const chunks: number[][] = [];
  let bytes = 0;
  messages.forEach((_, i) => {
    const last = chunks.at(-1);
    if (!last || last.length >= BATCH_ENTRIES || bytes + bodies[i]!.length > BATCH_BYTES) {
      chunks.push([i]);
      bytes = bodies[i]!.length;
    } else {
      last.push(i);
      bytes += bodies[i]!.length;
    }
  });
  const unsent = await Promise.all(
    chunks.map(async (chunk): Promise<number[]> => {
      try {
        const entries = await Promise.all(
          chunk.map(async (i) => ({
            Id: String(i),
            MessageBody: bodies[i],
            MessageAttributes: attributes(messages[i]!, await signatureAttributes(bodies[i]!, keyNode)),
          })),
        );
        const out = await sqsClient().send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
        return (out.Failed ?? []).map((f) => Number(f.Id));
      } catch (error) {
        logger.warn("a batch of messages was not sent", { queueUrl, messages: chunk.length, error: error as Error });
        return chunk;
      }
    }),
  );
  return unsent.flat().map((i) => messages[i]!);
}
