/** Composition of a city's outboxes: the exchange and audit outboxes, their stores and their hub queues. */

import { dynamoOutboxStore } from "#adapters/outbox-store.ts";
import { sendMessage } from "#adapters/queue-sender.ts";
import type { OutboxStore } from "#ports/outbox.ts";
import type { AuditEventMessageV1 } from "#schemas/audit.ts";
import type { ExchangeMessage } from "#schemas/messages.ts";
import { discovery } from "#shared/discovery.ts";
import { type NodeEnv, tableName } from "#shared/env.ts";
import type { OutboxDeps } from "#use-cases/outbox.ts";

/** The exchange outbox: Outbox table → the hub's Exchange queue */
export function outboxDeps(node: NodeEnv): OutboxDeps<ExchangeMessage> {
  const nodes = discovery(node.ssmPrefix);
  return {
    outbox: dynamoOutboxStore(tableName("Outbox")),
    sendToHub: async (message, body) => sendMessage(await nodes.hubExchangeQueueUrl(), message, body),
  };
}

/** The audit path: AuditLog table → the hub's Audit queue (never shared with clinical writes) */
export function auditOutboxDeps(node: NodeEnv): OutboxDeps<AuditEventMessageV1> {
  const nodes = discovery(node.ssmPrefix);
  return {
    outbox: dynamoOutboxStore(tableName("AuditLog")),
    sendToHub: async (message, body) => sendMessage(await nodes.hubAuditQueueUrl(), message, body),
  };
}

/** The stores of both outboxes, by the name an exchange-ack gives (for the push consumer) */
export function outboxStores(): Record<"exchange" | "audit", OutboxStore> {
  return { exchange: dynamoOutboxStore(tableName("Outbox")), audit: dynamoOutboxStore(tableName("AuditLog")) };
}
