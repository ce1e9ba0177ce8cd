/**
 * The audit trail (IHE BALP).
 * recordAccess — input: a described access at a city node; output: the AuditEvent id. Primary
 *   course: build the AuditEvent, record it durably in the city's AuditLog (its own outbox, never
 *   competing with clinical writes) and send it to the hub's Audit queue. If it cannot be recorded
 *   this throws, and the caller refuses the access: an access is never left unaudited.
 * storeAuditEvent — the hub's consumer: store the event in the audit repository (idempotent).
 */
import type { AuditRepository } from "#adapters/audit-repository.ts";
import { type AccessDescription, buildAuditEvent } from "#domain/audit.ts";
import type { AuditEventMessageV1 } from "#schemas/audit.ts";
import type { CityId } from "#schemas/city.ts";
import { clock } from "#shared/clock.ts";
import { type OutboxDeps, sendThroughOutbox } from "./outbox.ts";

export async function recordAccess(deps: OutboxDeps<AuditEventMessageV1>, cityId: CityId, access: AccessDescription): Promise<string> {
  const recorded = access.recorded ?? clock.now();
  const { event, index } = buildAuditEvent({ ...access, recorded });
  const id = String(event.id);
  await sendThroughOutbox(deps, { type: "audit-event", version: 1, messageId: id, cityId, index, event }, recorded);
  return id;
}

export async function storeAuditEvent(repository: AuditRepository, message: AuditEventMessageV1): Promise<void> {
  await repository.store(message.messageId, message.index, message.event);
}

/** At the hub itself (operator and auditor reads): straight into the repository, before the answer. */
export async function recordHubAccess(repository: AuditRepository, access: AccessDescription): Promise<string> {
  const { event, index } = buildAuditEvent({ ...access, recorded: access.recorded ?? clock.now() });
  await repository.store(String(event.id), index, event);
  return String(event.id);
}
