/** Audit queue consumer: stores the cities' audit events in the repository and acknowledges them. */
import { dynamoAuditRepository } from "#adapters/audit-repository.ts";
import { sendMessage } from "#adapters/queue-sender.ts";
import { auditMessageSchema } from "#schemas/audit.ts";
import type { ExchangeAckMessageV1 } from "#schemas/messages.ts";
import { discovery } from "#shared/discovery.ts";
import { nodeEnv, tableName } from "#shared/env.ts";
import { sqsHandler } from "#shared/sqs.ts";
import { storeAuditEvent } from "#use-cases/audit.ts";

const nodes = discovery(nodeEnv().ssmPrefix);
const repository = dynamoAuditRepository(tableName("AuditEvents"));

export const handler = sqsHandler(auditMessageSchema, async (message) => {
  await storeAuditEvent(repository, message);
  const ack: ExchangeAckMessageV1 = { type: "exchange-ack", version: 1, messageIds: [message.messageId], outbox: "audit" };
  await sendMessage(await nodes.cityPushQueueUrl(message.cityId), ack);
});
