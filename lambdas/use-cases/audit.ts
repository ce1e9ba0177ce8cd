/**
 * The audit trail (IHE BALP).
 * recordAccess — input: a described access at a city node; output: the AuditEvent id. Primary
 *   course: build the AuditEvent, record it durably in the city's AuditLog (its own outbox, never
 *   competing with clinical writes) and send it to the hub's Audit queue, side by side. If it cannot
 *   be recorded this throws, and the caller refuses the access: an access is never left unaudited (the
 *   hub may then hold the event of an access refused at its last step: over-reported, never under).
 * consumeAuditEvent — the hub's consumer. Input: a city's AuditEvent message. Primary course: store it
 *   in the audit repository, mark the hospital as exchanging when it is an access to patient clinical
 *   data (the connection board), count a document retrieval and a practitioner's read (past the hourly
 *   threshold: an alert for the dashboard and a metric that alarms), then acknowledge it to the city's audit
 *   outbox. Both writes are idempotent, so a redelivered event changes nothing.
 */
import { type AccessDescription, buildAuditEvent } from "#domain/audit.ts";
import { patientDataExchange } from "#domain/connections.ts";
import type { ActivityCounter, ReadVolume, ReadVolumeAlert } from "#ports/activity.ts";
import type { AuditRepository } from "#ports/audit.ts";
import type { ConnectionStore } from "#ports/connections.ts";
import type { AuditEventMessageV1 } from "#schemas/audit.ts";
import type { CityId } from "#schemas/city.ts";
import { clock } from "#shared/clock.ts";
import { acknowledgeByCity, type Owed } from "./batch-acks.ts";
import { type OutboxDeps, sendThroughOutbox } from "./outbox.ts";

export async function recordAccess(deps: OutboxDeps<AuditEventMessageV1>, cityId: CityId, access: AccessDescription): Promise<string> {
  const recorded = access.recorded ?? clock.now();
  const { event, index } = buildAuditEvent({ ...access, recorded });
  const id = String(event.id);
  // the AuditLog record is the event's durable point, awaited before the answer; the send to the hub goes with it
  await sendThroughOutbox(deps, { type: "audit-event", version: 1, messageId: id, cityId, index, event }, recorded, { sideBySide: true });
  return id;
}

export interface AuditConsumerDeps {
  repository: AuditRepository;
  connections: Pick<ConnectionStore, "recordExchange">;
  activity: Pick<ActivityCounter, "add">;
  /** Acknowledges the messages to the city's audit outbox (AuditLog), which then forgets them */
  acknowledge: (cityId: string, messageIds: string[]) => Promise<void>;
  /** Reads per practitioner per hour, and the threshold past which a practitioner's reads alarm */
  readVolume?: { counter: ReadVolume; threshold: number; exceeded: (alert: ReadVolumeAlert) => void };
}

/**
 * A practitioner's read of patient data (a read, search or operation naming patients, or refused):
 * the hospital and practitioner it names, for the volume alarm (enumeration is how breaches look)
 */
export function practitionerRead(event: Record<string, unknown>): { practitionerId: string; hospitalId: string } | undefined {
  if (event.action !== "R" && event.action !== "E") return undefined;
  const agents = (event.agent as { who?: { reference?: string } }[] | undefined) ?? [];
  const ref = (prefix: string) =>
    agents
      .map((a) => a.who?.reference ?? "")
      .find((r) => r.startsWith(prefix))
      ?.slice(prefix.length);
  const practitionerId = ref("Practitioner/");
  const hospitalId = ref("Organization/");
  const patients = ((event.entity as { role?: { code?: string } }[] | undefined) ?? []).some((e) => e.role?.code === "1");
  if (!practitionerId || !hospitalId || (!patients && event.outcome === "0")) return undefined;
  return { practitionerId, hospitalId };
}

/** A document's bytes retrieved (ITI-68): counted for the operations summary */
const isRetrieval = (event: Record<string, unknown>) =>
  event.action === "R" &&
  ((event.entity as { what?: { reference?: string } }[] | undefined) ?? []).some((e) => e.what?.reference?.startsWith("Binary/"));

export async function consumeAuditEvent(deps: AuditConsumerDeps, message: AuditEventMessageV1): Promise<void> {
  const batch = auditBatch(deps);
  await batch.apply(message, message.messageId);
  const [failure] = (await batch.settle()).values();
  if (failure) throw failure;
}

/**
 * The events of one SQS batch: each stored, its exchange marked and its read counted alone (`apply`, as
 * `consumeAuditEvent`); then `settle` adds the batch's retrievals once and acknowledges to each city once, and
 * answers the records whose acknowledgement failed (only they are retried; storing again changes nothing).
 */
export function auditBatch(deps: AuditConsumerDeps) {
  const applied: Owed[] = [];
  let retrievals = 0;
  return {
    async apply(message: AuditEventMessageV1, recordId: string): Promise<void> {
      await deps.repository.store(message.messageId, message.index, message.event);
      const exchange = patientDataExchange(message.event);
      if (exchange) await deps.connections.recordExchange(exchange);
      if (exchange && isRetrieval(message.event)) retrievals++;
      const read = deps.readVolume ? practitionerRead(message.event) : undefined;
      if (read && deps.readVolume) {
        const at = new Date(String(message.event.recorded));
        const reads = await deps.readVolume.counter.count(read.practitionerId, read.hospitalId, at);
        if (reads > deps.readVolume.threshold) {
          const alert = { ...read, hour: at.toISOString().slice(0, 13), reads };
          await deps.readVolume.counter.alert(alert);
          if (reads === deps.readVolume.threshold + 1) deps.readVolume.exceeded(alert);
        }
      }
      applied.push({ recordId, cityId: message.cityId, messageId: message.messageId });
    },
    async settle(): Promise<Map<string, Error>> {
      if (retrievals > 0) await deps.activity.add("retrievals", clock.now(), retrievals);
      const failed = new Map<string, Error>();
      await acknowledgeByCity(deps.acknowledge, applied, failed);
      return failed;
    },
  };
}

/** At the hub itself (operator and auditor reads): straight into the repository, before the answer. */
export async function recordHubAccess(repository: Pick<AuditRepository, "store">, access: AccessDescription): Promise<string> {
  const { event, index } = buildAuditEvent({ ...access, recorded: access.recorded ?? clock.now() });
  await repository.store(String(event.id), index, event);
  return String(event.id);
}
