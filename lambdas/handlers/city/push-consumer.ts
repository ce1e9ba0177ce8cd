/** Push queue consumer: applies what the hub pushes to this city (acknowledgements, FEP inbox deliveries). */
import { cityInboxDeps } from "#adapters/inbox-store.ts";
import { dynamoOutboxStore } from "#adapters/outbox-store.ts";
import { pushMessageSchema } from "#schemas/messages.ts";
import { tableName } from "#shared/env.ts";
import { sqsHandler } from "#shared/sqs.ts";
import { acknowledge } from "#use-cases/outbox.ts";
import { deliver } from "#use-cases/push/inbox.ts";

const outboxes = { exchange: dynamoOutboxStore(tableName("Outbox")), audit: dynamoOutboxStore(tableName("AuditLog")) };
const inbox = cityInboxDeps();

export const handler = sqsHandler(pushMessageSchema, async (message) => {
  switch (message.type) {
    case "exchange-ack":
      await acknowledge(outboxes[message.outbox ?? "exchange"], message.messageIds);
      break;
    case "inbox-delivery":
      await deliver(inbox, message);
      break;
  }
});
