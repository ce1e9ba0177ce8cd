/**
 * Exchange queue consumer: applies each city's messages, then per batch notifies the new clinical
 * resources in one send, counts them once per metric and acknowledges them to each city in one message.
 */
import { exchangeMessageSchema } from "#schemas/messages.ts";
import { sqsBatchHandler } from "#shared/sqs.ts";
import { exchangeBatch } from "#use-cases/apply-exchange.ts";
import { applyExchangeDeps } from "#wiring/connections.ts";
import { messageSignatureChecks } from "#wiring/node-identity.ts";

const deps = applyExchangeDeps();

// a message naming a city is applied only if that city signed it, and names only that city's
// hospitals (docs/node-identity.md)
export const handler = sqsBatchHandler(
  exchangeMessageSchema,
  () => exchangeBatch(deps),
  (batch, message, record) => batch.apply(message, record.messageId),
  (message) => ({
    sender: message.cityId,
    keyNode: message.cityId,
    hospitals: [message.type === "heartbeat" ? message.hospitalId : message.entry.hospitalId],
  }),
  messageSignatureChecks(),
);
