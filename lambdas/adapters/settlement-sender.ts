/**
 * Sends a claim to the hub's Settlement FIFO queue: one message group per insured resident (their
 * totals are updated in arrival order), de-duplicated by hospital, claim number and action.
 */
import { createHash } from "node:crypto";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import type { ClaimMessageV1 } from "#schemas/settlement.ts";
import { sqsClient } from "#shared/aws.ts";
import { settlementSignatureAttributes } from "#shared/message-signing.ts";

export const settlementDeduplicationId = (m: Pick<ClaimMessageV1, "hospitalId" | "claimNumber" | "action">): string =>
  createHash("sha256").update(`${m.hospitalId}|${m.claimNumber}|${m.action}`).digest("hex");

export async function sendToSettlement(queueUrl: string, message: ClaimMessageV1, body = JSON.stringify(message)): Promise<void> {
  await sqsClient().send(
    new SendMessageCommand({
      QueueUrl: queueUrl,
      MessageBody: body,
      MessageGroupId: message.empi,
      MessageDeduplicationId: settlementDeduplicationId(message),
      MessageAttributes: {
        type: { DataType: "String", StringValue: message.type },
        version: { DataType: "Number", StringValue: String(message.version) },
        // the sending city's signature under its own key, which the insurance platform verifies (docs/node-identity.md)
        ...(await settlementSignatureAttributes(body)),
      },
    }),
  );
}
