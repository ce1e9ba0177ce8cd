/** Wiring shared by the city handlers that write to the outbox and send to the hub. */
import { dynamoOutboxStore } from "#adapters/outbox-store.ts";
import { sendMessage } from "#adapters/queue-sender.ts";
import { discovery } from "#shared/discovery.ts";
import { type NodeEnv, tableName } from "#shared/env.ts";
import type { OutboxDeps } from "#use-cases/outbox.ts";

export function outboxDeps(node: NodeEnv): OutboxDeps {
  const nodes = discovery(node.ssmPrefix);
  return {
    outbox: dynamoOutboxStore(tableName("Outbox")),
    sendToHub: async (message, body) => sendMessage(await nodes.hubExchangeQueueUrl(), message, body),
  };
}
