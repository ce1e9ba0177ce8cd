/** Push queue consumer: applies what the hub pushes to this city (acknowledgements, FEP inbox deliveries). */
import { pushMessageSchema } from "#schemas/messages.ts";
import { nodeEnv } from "#shared/env.ts";
import { sqsHandler } from "#shared/sqs.ts";
import { acknowledge } from "#use-cases/outbox.ts";
import { deliver } from "#use-cases/push/inbox.ts";
import { outboxStores } from "#wiring/outbox.ts";
import { cityInboxDeps } from "#wiring/push.ts";

const outboxes = outboxStores();
const inbox = cityInboxDeps();
const { nodeId } = nodeEnv();

export const handler = sqsHandler(
  pushMessageSchema,
  async (message) => {
    switch (message.type) {
      case "exchange-ack":
        await acknowledge(outboxes[message.outbox ?? "exchange"], message.messageIds);
        break;
      case "inbox-delivery":
        await deliver(inbox, message);
        break;
    }
    // only the hub pushes to a city, under that city's key (docs/node-identity.md)
  },
  () => ({ sender: "hub", keyNode: nodeId }),
);
