/** Wiring shared by the city handlers that write to an outbox and send to the hub. */

import type { AuditEventMessageV1 } from "#schemas/audit.ts";
import type { ExchangeMessage } from "#schemas/messages.ts";
import { discovery } from "#shared/discovery.ts";
import { type NodeEnv, tableName } from "#shared/env.ts";
import type { OutboxDeps } from "#use-cases/outbox.ts";
import { dynamoOutboxStore } from "./outbox-store.ts";
import { sendMessage } from "./queue-sender.ts";

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
