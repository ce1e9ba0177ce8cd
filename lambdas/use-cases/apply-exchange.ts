/**
 * Apply one inbound exchange message at the hub.
 * Input: a parsed, versioned message from a city. Output: none.
 * Primary course: apply it idempotently — a heartbeat updates the hospital's connection unless a newer
 * one is already there; a document or encounter revision goes into the record locator / EHR timeline
 * unless a newer revision is held, and once durably there a clinical-event goes to the Notify queue
 * (again on a re-delivery of the revision held: at least once) — then acknowledge it to its city so
 * its outbox forgets it. An encounter's implanted devices are indexed by DI and lot for recalls
 * (docs/drugs-devices.md#implants), once per encounter and device however often it is re-sent.
 * A batch of messages (`exchangeBatch`) shares what goes out once it is applied: its Notify events in one
 * send, its activity as one count per metric, its acknowledgements as one message per city — each
 * message's durable writes first, alone, and its acknowledgement only once its own event was sent.
 */

import { clockSkewSeconds } from "#domain/connections.ts";
import type { ConnectionStore, LocatorWrite } from "#ports/connections.ts";
import type { ImplantIndex } from "#ports/devices.ts";
import type { LocatorEntry } from "#schemas/documents.ts";
import type { ClinicalEventMessageV1, ExchangeMessage } from "#schemas/messages.ts";
import { clock } from "#shared/clock.ts";
import { acknowledgeByCity, type Owed } from "./batch-acks.ts";

export interface ApplyExchangeDeps {
  connections: ConnectionStore;
  locator: { put(entry: LocatorEntry): Promise<LocatorWrite> };
  notify: (event: ClinicalEventMessageV1) => Promise<void>;
  /** Many events in one send (SQS SendMessageBatch); answers the events not sent. Without it: `notify` each. */
  notifyAll?: (events: ClinicalEventMessageV1[]) => Promise<ClinicalEventMessageV1[]>;
  /** Counts new documents and encounters for the operations summary (a gauge, not a ledger) */
  activity?: { add(metric: "documents" | "encounters" | "implants", at: Date, count?: number): Promise<void> };
  acknowledge: (cityId: string, messageIds: string[]) => Promise<void>;
  /** The implants' index (DeviceImplants) */
  implants?: ImplantIndex;
}

export const clinicalEventOf = (cityId: ClinicalEventMessageV1["cityId"], entry: LocatorEntry): ClinicalEventMessageV1 => ({
  type: "clinical-event",
  version: 1,
  eventId: `${entry.resourceType}/${entry.id}/${entry.revision}`,
  resourceType: entry.resourceType,
  resourceId: entry.id,
  empi: entry.empi,
  hospitalId: entry.hospitalId,
  cityId,
  status: entry.status,
  recordedAt: entry.recordedAt,
});

type Metric = "documents" | "encounters" | "implants";

/** What one applied message still owes its batch: the event to notify (if any), the acknowledgement */
interface Applied extends Owed {
  event?: ClinicalEventMessageV1;
}

/**
 * The messages of one SQS batch: `apply` makes each message's durable writes (connection, locator entry,
 * implants) alone, as `applyExchangeMessage` does, and keeps what it owes; `settle` then sends the batch's
 * events in one send, adds its activity once per metric and acknowledges to each city once, and answers the
 * records whose event or acknowledgement was not sent, with why: only they are retried, and a retry applies
 * idempotently (a locator entry already held is not counted again; its event is sent again: at least once).
 */
export function exchangeBatch(deps: ApplyExchangeDeps) {
  const applied: Applied[] = [];
  const counts = new Map<Metric, number>();
  const count = (metric: Metric, n = 1) => counts.set(metric, (counts.get(metric) ?? 0) + n);
  return {
    async apply(message: ExchangeMessage, recordId: string): Promise<void> {
      const owed: Applied = { recordId, cityId: message.cityId, messageId: message.messageId };
      switch (message.type) {
        case "heartbeat":
          await deps.connections.recordHeartbeat({
            hospitalId: message.hospitalId,
            cityId: message.cityId,
            messageId: message.messageId,
            lastSeen: message.receivedAt,
            fepVersion: message.fepVersion,
            backlog: message.backlog,
            clockSkewSeconds: clockSkewSeconds(message.fepClock, message.receivedAt),
          });
          break;
        case "document-published":
        case "encounter-recorded": {
          const written = await deps.locator.put(message.entry);
          if (written !== "older" && message.type === "encounter-recorded" && message.implants) {
            const { empi, hospitalId, id: encounterId, date, recordedAt } = message.entry;
            const where = { empi, hospitalId, cityId: message.cityId, encounterId, at: date ?? recordedAt };
            await deps.implants?.put(message.implants.map((implant) => ({ ...implant, ...where })));
            if (written === "written") count("implants", message.implants.length);
          }
          if (written !== "older") owed.event = clinicalEventOf(message.cityId, message.entry);
          if (written === "written" && message.entry.revision === 1)
            count(message.type === "document-published" ? "documents" : "encounters");
          break;
        }
      }
      applied.push(owed);
    },

    /** Sends what the applied messages owe; answers the records (by id) that must be retried, with why */
    async settle(): Promise<Map<string, Error>> {
      const failed = new Map<string, Error>();
      const events = applied.flatMap((a) => (a.event ? [a.event] : []));
      const unsent = new Set<ClinicalEventMessageV1>();
      if (events.length > 0) {
        if (deps.notifyAll) {
          try {
            for (const event of await deps.notifyAll(events)) unsent.add(event);
          } catch (error) {
            for (const event of events) unsent.add(event);
            for (const a of applied) if (a.event) failed.set(a.recordId, error as Error);
          }
        } else {
          const sent = await Promise.allSettled(events.map((event) => deps.notify(event)));
          for (const [i, s] of sent.entries()) if (s.status === "rejected") unsent.add(events[i]!);
        }
      }
      for (const a of applied)
        if (a.event && unsent.has(a.event) && !failed.has(a.recordId))
          failed.set(a.recordId, new Error(`event ${a.event.eventId} not sent`));
      const now = clock.now();
      await Promise.all([...counts].map(([metric, n]) => deps.activity?.add(metric, now, n)));
      await acknowledgeByCity(deps.acknowledge, applied, failed);
      return failed;
    },
  };
}

/** Applies one message as a batch of one (its event sent, counted, acknowledged); throws what failed */
export async function applyExchangeMessage(deps: ApplyExchangeDeps, message: ExchangeMessage): Promise<void> {
  const batch = exchangeBatch(deps);
  await batch.apply(message, message.messageId);
  const [failure] = (await batch.settle()).values();
  if (failure) throw failure;
}
