/**
 * Sends a versioned message (JSON) to a queue; the message type rides as an attribute too, and the
 * sending node's signature (docs/node-identity.md): under its own key, or, from the hub, under the
 * key of the city the message goes to (`keyNode`).
 */
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { sqsClient } from "#shared/aws.ts";
import { signatureAttributes } from "#shared/message-signing.ts";

export async function sendMessage(
  queueUrl: string,
  message: { type: string; version: number },
  body = JSON.stringify(message),
  keyNode?: string,
): Promise<void> {
  await sqsClient().send(
    new SendMessageCommand({
      QueueUrl: queueUrl,
      MessageBody: body,
      MessageAttributes: {
        type: { DataType: "String", StringValue: message.type },
        version: { DataType: "Number", StringValue: String(message.version) },
        ...(await signatureAttributes(body, keyNode)),
      },
    }),
  );
}
