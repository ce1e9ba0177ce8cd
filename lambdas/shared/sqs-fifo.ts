/**
 * FIFO-triggered handlers: records applied one after another in queue order; when one fails, the
 * rest of its message group in the batch fails with it (so a group's order is kept), other groups
 * go on. A message that keeps failing (poison, unknown type/version) reaches the FIFO DLQ.
 */
import { processPartialResponse, SqsFifoPartialProcessorAsync } from "@aws-lambda-powertools/batch";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import type { z } from "zod";
import { logger } from "./logger.ts";
import { PoisonMessageError } from "./sqs.ts";

export function sqsFifoHandler<S extends z.ZodType>(schema: S, apply: (message: z.infer<S>, record: SQSRecord) => Promise<void>) {
  const processor = new SqsFifoPartialProcessorAsync();
  const processRecord = async (record: SQSRecord): Promise<void> => {
    let json: unknown;
    try {
      json = JSON.parse(record.body);
    } catch {
      throw new PoisonMessageError(`message ${record.messageId} is not JSON`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      logger.error("message does not match any known type and version", { messageId: record.messageId, issues: parsed.error.issues });
      throw new PoisonMessageError(`message ${record.messageId} has an unknown shape`);
    }
    await apply(parsed.data, record);
  };
  return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
    processPartialResponse(event, processRecord, processor, { context, skipGroupOnError: true });
}
