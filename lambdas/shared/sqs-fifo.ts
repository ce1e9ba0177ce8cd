/**
 * FIFO-triggered handlers: a batch's message groups are applied side by side, each group's records
 * one after another in queue order; when one fails, the rest of its group in the batch fails with it
 * (so the group's order is kept) while the other groups go on. A message that keeps failing
 * (poison, unknown type/version) reaches the FIFO DLQ after the queue's maxReceiveCount.
 */
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import type { z } from "zod";
import { logger } from "./logger.ts";
import { recordApplier, type SignedBy } from "./sqs.ts";

/** `signedBy`: who must have signed each message, as sqsHandler checks it (a refused one fails the rest of its group too) */
export function sqsFifoHandler<S extends z.ZodType>(
  schema: S,
  apply: (message: z.infer<S>, record: SQSRecord) => Promise<void>,
  signedBy?: SignedBy<z.infer<S>>,
) {
  const processRecord = recordApplier(schema, apply, signedBy);
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const groups = new Map<string, SQSRecord[]>();
    for (const record of event.Records) {
      const group = record.attributes.MessageGroupId ?? record.messageId;
      groups.set(group, [...(groups.get(group) ?? []), record]);
    }
    const failed: string[] = [];
    await Promise.all(
      [...groups.values()].map(async (records) => {
        for (const [i, record] of records.entries()) {
          try {
            await processRecord(record);
          } catch (error) {
            logger.warn("message failed; the rest of its group is retried after it", {
              messageId: record.messageId,
              following: records.length - i - 1,
              error: error as Error,
            });
            failed.push(...records.slice(i).map((r) => r.messageId));
            return;
          }
        }
      }),
    );
    return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
  };
}
