/**
 * Audit queue consumer: stores the cities' audit events in the repository, marks the hospital as
 * exchanging when the event is an access to patient clinical data (the connection board), and
 * acknowledges them, once per city for a batch. Both writes are idempotent, so a redelivered event changes nothing.
 */
import { auditedHospitals } from "#domain/audit.ts";
import { auditMessageSchema } from "#schemas/audit.ts";
import { sqsBatchHandler } from "#shared/sqs.ts";
import { auditBatch } from "#use-cases/audit.ts";
import { auditConsumerDeps } from "#wiring/audit.ts";
import { messageSignatureChecks } from "#wiring/node-identity.ts";

const deps = auditConsumerDeps();

// an event naming a city is stored only if that city signed it, and names only that city's hospitals
// (docs/node-identity.md)
export const handler = sqsBatchHandler(
  auditMessageSchema,
  () => auditBatch(deps),
  (batch, message, record) => batch.apply(message, record.messageId),
  (message) => ({ sender: message.cityId, keyNode: message.cityId, hospitals: auditedHospitals(message.event, message.index) }),
  messageSignatureChecks(),
);
