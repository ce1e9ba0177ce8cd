/** A DynamoDB write with a condition: true when it was written, false when the condition refused it. */
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";

export async function conditionalWrite(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
