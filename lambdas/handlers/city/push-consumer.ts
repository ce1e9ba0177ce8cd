/** Push queue consumer: applies what the hub pushes to this city (for now, acknowledgements). */
import { dynamoOutboxStore } from "#adapters/outbox-store.ts";
import { pushMessageSchema } from "#schemas/messages.ts";
import { tableName } from "#shared/env.ts";
import { sqsHandler } from "#shared/sqs.ts";
import { acknowledge } from "#use-cases/outbox.ts";

const outboxes = { exchange: dynamoOutboxStore(tableName("Outbox")), audit: dynamoOutboxStore(tableName("AuditLog")) };

export const handler = sqsHandler(pushMessageSchema, async (message) => {
  switch (message.type) {
    case "exchange-ack":
      await acknowledge(outboxes[message.outbox ?? "exchange"], message.messageIds);
      break;
  }
});
