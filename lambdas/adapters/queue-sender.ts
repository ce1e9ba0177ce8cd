/** Sends a versioned message (JSON) to a queue; the message type rides as an attribute too. */
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { sqsClient } from "#shared/aws.ts";

export async function sendMessage(
  queueUrl: string,
  message: { type: string; version: number },
  body = JSON.stringify(message),
): Promise<void> {
  await sqsClient().send(
    new SendMessageCommand({
      QueueUrl: queueUrl,
      MessageBody: body,
      MessageAttributes: {
        type: { DataType: "String", StringValue: message.type },
        version: { DataType: "Number", StringValue: String(message.version) },
      },
    }),
  );
}
