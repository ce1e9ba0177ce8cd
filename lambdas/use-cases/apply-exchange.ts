/**
 * Apply one inbound exchange message at the hub.
 * Input: a parsed, versioned message from a city. Output: none.
 * Primary course: apply it idempotently — a heartbeat updates the hospital's connection unless a newer
 * one is already there; a document or encounter revision goes into the record locator / EHR timeline
 * unless a newer revision is held, and once durably there a clinical-event goes to the Notify queue
 * (again on a re-delivery of the revision held: at least once) — then acknowledge it to its city so
 * its outbox forgets it. An encounter's implanted devices are indexed by DI and lot for recalls
 * (docs/drugs-devices.md#implants), once per encounter and device however often it is re-sent.
 */

import { clockSkewSeconds } from "#domain/connections.ts";
import type { ConnectionStore, LocatorWrite } from "#ports/connections.ts";
import type { ImplantIndex } from "#ports/devices.ts";
import type { LocatorEntry } from "#schemas/documents.ts";
import type { ClinicalEventMessageV1, ExchangeMessage } from "#schemas/messages.ts";
import { clock } from "#shared/clock.ts";

export interface ApplyExchangeDeps {
  connections: ConnectionStore;
  locator: { put(entry: LocatorEntry): Promise<LocatorWrite> };
  notify: (event: ClinicalEventMessageV1) => Promise<void>;
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

export async function applyExchangeMessage(deps: ApplyExchangeDeps, message: ExchangeMessage): Promise<void> {
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
        if (written === "written") await deps.activity?.add("implants", clock.now(), message.implants.length);
      }
      if (written !== "older") await deps.notify(clinicalEventOf(message.cityId, message.entry));
      if (written === "written" && message.entry.revision === 1)
        await deps.activity?.add(message.type === "document-published" ? "documents" : "encounters", clock.now());
      break;
    }
  }
  await deps.acknowledge(message.cityId, [message.messageId]);
}
