/**
 * Sends a versioned message (JSON) to a queue; the message type rides as an attribute too, and the
 * sending node's signature (docs/node-identity.md): under its own key, or, from the hub, under the
 * key of the city the message goes to (`keyNode`); settlement messages under the sender's own Ed25519
 * key (`sendSettlementSigned`).
 */
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { sqsClient } from "#shared/aws.ts";
import { settlementSignatureAttributes, signatureAttributes } from "#shared/message-signing.ts";

type Signature = Record<string, { DataType: "String"; StringValue: string }>;

async function send(queueUrl: string, message: { type: string; version: number }, body: string, signature: Signature): Promise<void> {
  await sqsClient().send(
    new SendMessageCommand({
      QueueUrl: queueUrl,
      MessageBody: body,
      MessageAttributes: {
        type: { DataType: "String", StringValue: message.type },
        version: { DataType: "Number", StringValue: String(message.version) },
        ...signature,
      },
    }),
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
