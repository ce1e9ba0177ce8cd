/**
 * SQS-triggered handlers: each record parsed by its versioned zod schema and applied alone;
 * failures are reported per record (partial batch response) so only they are retried, and a
 * message that keeps failing (poison, or an unknown type/version) reaches the DLQ.
 */
import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import type { z } from "zod";
import type { HospitalCities } from "#ports/registry.ts";
import { MESSAGE_REDRIVES_ATTRIBUTE, senderIdRefusal } from "#schemas/node-identity.ts";
import { discovery } from "./discovery.ts";
import { ENV } from "./env-names.ts";
import { logger } from "./logger.ts";
import { type ExpectedSigner, signatureRefusal } from "./message-signing.ts";

export class PoisonMessageError extends Error {
  override name = "PoisonMessageError";
}

/**
 * Who must have signed a message (docs/node-identity.md): e.g. the city it names, and the hospitals it
 * names, which must be that city's. A message it did not sign (unsigned, another node's, a forged
 * signature), or naming another city's hospital or an unknown one, is poison: never applied nor
 * acknowledged.
 */
export type SignedBy<M> = (message: M) => ExpectedSigner & { hospitals?: readonly string[] };

export interface SignatureChecks {
  /** The facility registry (the hub): the hospitals a message names must be of the city that signed it */
  hospitals?: HospitalCities;
}

const NODES_WITHOUT_ROLE_IDS = new Set(["hub", "insurance"]);

/**
 * In AWS (HHC_CHECK_SENDER_ID, set by the stacks): why SQS's SenderId refuses a message naming a city,
 * HMAC-signed (the hub's consumers of the cities' queues). Locally the SQS emulator reports one SenderId
 * for every message, so the local province leaves the check off.
 */
async function senderRefusal(record: SQSRecord, expected: ExpectedSigner): Promise<string | undefined> {
  if (process.env[ENV.checkSenderId] !== "1" || !("keyNode" in expected) || NODES_WITHOUT_ROLE_IDS.has(expected.sender)) return undefined;
  const nodes = discovery(process.env[ENV.ssmPrefix] ?? "/hhc");
  const redriven = record.messageAttributes?.[MESSAGE_REDRIVES_ATTRIBUTE] !== undefined;
  const others = async () =>
    (await Promise.all((await nodes.cities()).filter((c) => c.id !== expected.sender).map((c) => nodes.citySenderRoleIds(c.id)))).flat();
  const cityRoleIds = await nodes.citySenderRoleIds(expected.sender);
  const senderId = record.attributes?.SenderId;
  const roleId = senderId?.split(":")[0] ?? "";
  return senderIdRefusal({
    senderId,
    city: expected.sender,
    cityRoleIds,
    redriven,
    otherRoleIds: redriven && !cityRoleIds.includes(roleId) ? await others() : undefined,
  });
}

/** Why the hospitals a message names are refused: one unknown to the registry, or another city's */
async function hospitalRefusal(
  registry: HospitalCities,
  known: Map<string, string>,
  city: string,
  hospitals: readonly string[],
): Promise<string | undefined> {
  for (const hospitalId of new Set(hospitals)) {
    // a hospital's city never changes: kept for the life of the instance once found
    const cityOf = known.get(hospitalId) ?? (await registry.cityOf(hospitalId));
    if (cityOf) known.set(hospitalId, cityOf);
    if (!cityOf) return `it names hospital ${hospitalId}, which the registry does not know`;
    if (cityOf !== city) return `it names hospital ${hospitalId} of ${cityOf}, but ${city} signed it`;
  }
  return undefined;
}

/** Parses a record with its versioned schema and applies it; an unparsable, unknown or wrongly signed message is poison. */
export function recordApplier<S extends z.ZodType>(
  schema: S,
  apply: (message: z.infer<S>, record: SQSRecord) => Promise<void>,
  signedBy?: SignedBy<z.infer<S>>,
  checks: SignatureChecks = {},
) {
  const hospitalCities = new Map<string, string>();
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
      const refusal =
        (await signatureRefusal(record, expected)) ??
        (await senderRefusal(record, expected)) ??
        (checks.hospitals && expected.hospitals
          ? await hospitalRefusal(checks.hospitals, hospitalCities, expected.sender, expected.hospitals)
          : undefined);
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
  checks?: SignatureChecks,
) {
  const processRecord = recordApplier(schema, apply, signedBy, checks);
  // a processor per batch: one holds its batch's outcomes, so batches handled at once by one instance
  // (the local province's pollers) must not share one, or a failure could be reported with the wrong batch
  return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
    processPartialResponse(event, processRecord, new BatchProcessor(EventType.SQS), { context });
}

/**
 * As `sqsHandler`, for a consumer whose records owe effects that go once per batch (one send for many):
 * each record is checked and applied alone into its batch (`start()` makes one per invocation), then the
 * batch's `settle` sends what they owe and names the records (by SQS message id) whose part failed; those
 * are reported with the ones that failed alone, so only they are retried (applying must be idempotent).
 */
export function sqsBatchHandler<S extends z.ZodType, B extends { settle(): Promise<Map<string, Error>> }>(
  schema: S,
  start: () => B,
  apply: (batch: B, message: z.infer<S>, record: SQSRecord) => Promise<void>,
  signedBy?: SignedBy<z.infer<S>>,
  checks?: SignatureChecks,
) {
  const batchOf = new Map<string, B>(); // record → its batch, while the batch is handled (batches may overlap locally)
  const processRecord = recordApplier(
    schema,
    (message, record) => apply(batchOf.get(record.messageId)!, message, record),
    signedBy,
    checks,
  );
  return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    const batch = start();
    for (const record of event.Records) batchOf.set(record.messageId, batch);
    try {
      const { batchItemFailures } = await processPartialResponse(event, processRecord, new BatchProcessor(EventType.SQS), { context });
      const settled = await batch.settle();
      for (const [id, error] of settled) logger.error("message applied, but its batch's send failed: retried", { messageId: id, error });
      return { batchItemFailures: [...batchItemFailures, ...[...settled.keys()].map((itemIdentifier) => ({ itemIdentifier }))] };
    } finally {
      for (const record of event.Records) batchOf.delete(record.messageId);
    }
  };
}
