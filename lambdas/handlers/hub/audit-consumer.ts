/**
 * Audit queue consumer: stores the cities' audit events in the repository, marks the hospital as
 * exchanging when the event is an access to patient clinical data (the connection board), and
 * acknowledges them. Both writes are idempotent, so a redelivered event changes nothing.
 */
import { auditMessageSchema } from "#schemas/audit.ts";
import { sqsHandler } from "#shared/sqs.ts";
import { consumeAuditEvent } from "#use-cases/audit.ts";
import { auditConsumerDeps } from "#wiring/audit.ts";

const deps = auditConsumerDeps();

export const handler = sqsHandler(auditMessageSchema, (message) => consumeAuditEvent(deps, message));
