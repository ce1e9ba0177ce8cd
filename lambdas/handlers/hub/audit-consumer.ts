/**
 * Audit queue consumer: stores the cities' audit events in the repository, marks the hospital as
 * exchanging when the event is an access to patient clinical data (the connection board), and
 * acknowledges them. Both writes are idempotent, so a redelivered event changes nothing.
 */
import { dynamoActivityCounter } from "#adapters/activity.ts";
import { dynamoAuditRepository } from "#adapters/audit-repository.ts";
import { dynamoConnectionStore } from "#adapters/connection-store.ts";
import { sendMessage } from "#adapters/queue-sender.ts";
import { patientDataExchange } from "#domain/connections.ts";
import { auditMessageSchema } from "#schemas/audit.ts";
import type { ExchangeAckMessageV1 } from "#schemas/messages.ts";
import { clock } from "#shared/clock.ts";
import { discovery } from "#shared/discovery.ts";
import { nodeEnv, tableName } from "#shared/env.ts";
import { sqsHandler } from "#shared/sqs.ts";
import { storeAuditEvent } from "#use-cases/audit.ts";

const nodes = discovery(nodeEnv().ssmPrefix);
const repository = dynamoAuditRepository(tableName("AuditEvents"));
const connections = dynamoConnectionStore(tableName("Connections"));
const activity = dynamoActivityCounter(tableName("Activity"));
/** A document's bytes retrieved (ITI-68): counted for the operations summary */
const isRetrieval = (event: Record<string, unknown>) =>
  event.action === "R" &&
  ((event.entity as { what?: { reference?: string } }[] | undefined) ?? []).some((e) => e.what?.reference?.startsWith("Binary/"));

export const handler = sqsHandler(auditMessageSchema, async (message) => {
  await storeAuditEvent(repository, message);
  const exchange = patientDataExchange(message.event);
  if (exchange) await connections.recordExchange(exchange);
  if (exchange && isRetrieval(message.event)) await activity.add("retrievals", clock.now());
  const ack: ExchangeAckMessageV1 = { type: "exchange-ack", version: 1, messageIds: [message.messageId], outbox: "audit" };
  await sendMessage(await nodes.cityPushQueueUrl(message.cityId), ack);
});
