/**
 * SQS-triggered handlers: each record parsed by its versioned zod schema and applied alone;
 * failures are reported per record (partial batch response) so only they are retried, and a
 * message that keeps failing (poison, or an unknown type/version) reaches the DLQ.
 */
import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import type { z } from "zod";
import { logger } from "./logger.ts";
import { type ExpectedSigner, signatureRefusal } from "./message-signing.ts";

export class PoisonMessageError extends Error {
  override name = "PoisonMessageError";
}

/**
 * Who must have signed a message (docs/node-identity.md): e.g. the city it names. A message it did not
 * sign (unsigned, another node's, a forged signature) is poison: never applied nor acknowledged.
 */
export type SignedBy<M> = (message: M) => ExpectedSigner;

/** Parses a record with its versioned schema and applies it; an unparsable, unknown or wrongly signed message is poison. */
export function recordApplier<S extends z.ZodType>(
  schema: S,
  apply: (message: z.infer<S>, record: SQSRecord) => Promise<void>,
  signedBy?: SignedBy<z.infer<S>>,
) {
  return async (record: SQSRecord): Promise<void> => {
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
    if (signedBy) {
      const expected = signedBy(parsed.data);
      const refusal = await signatureRefusal(record, expected);
      if (refusal) {
        logger.error("message signature refused: not applied, not acknowledged", {
          messageId: record.messageId,
          expectedSender: expected.sender,
          refusal,
        });
        throw new PoisonMessageError(`message ${record.messageId}: ${refusal}`);
      }
    }
    await apply(parsed.data, record);
  };
}

export function sqsHandler<S extends z.ZodType>(
  schema: S,
  apply: (message: z.infer<S>, record: SQSRecord) => Promise<void>,
  signedBy?: SignedBy<z.infer<S>>,
) {
  const processor = new BatchProcessor(EventType.SQS);
  const processRecord = recordApplier(schema, apply, signedBy);
  return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
    processPartialResponse(event, processRecord, processor, { context });
}
