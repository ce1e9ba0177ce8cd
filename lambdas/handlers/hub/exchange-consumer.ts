/** Exchange queue consumer: applies each city's messages, notifies new clinical resources, and acknowledges them to the city. */
import { exchangeMessageSchema } from "#schemas/messages.ts";
import { sqsHandler } from "#shared/sqs.ts";
import { applyExchangeMessage } from "#use-cases/apply-exchange.ts";
import { applyExchangeDeps } from "#wiring/connections.ts";
import { messageSignatureChecks } from "#wiring/node-identity.ts";

const deps = applyExchangeDeps();

// a message naming a city is applied only if that city signed it, and names only that city's
// hospitals (docs/node-identity.md)
export const handler = sqsHandler(
  exchangeMessageSchema,
  (message) => applyExchangeMessage(deps, message),
  (message) => ({
    sender: message.cityId,
    keyNode: message.cityId,
    hospitals: [message.type === "heartbeat" ? message.hospitalId : message.entry.hospitalId],
  }),
  messageSignatureChecks(),
);
