/**
 * The city's side of a record change: list it for the resident at once (own city), and hand it to
 * the exchange outbox for the hub's record locator. Both steps are idempotent (the listing keeps the
 * highest revision; the message id is `<type>/<id>/<revision>`), so a replay after a crash completes them.
 */
import type { DocumentIndex } from "#ports/documents.ts";
import type { CityId } from "#schemas/city.ts";
import type { LocatorEntry } from "#schemas/documents.ts";
import type { ExchangeMessage, Implant } from "#schemas/messages.ts";
import { type OutboxDeps, sendThroughOutbox } from "#use-cases/outbox.ts";

export interface RecordDeps {
  index: DocumentIndex;
  outbox: OutboxDeps<ExchangeMessage>;
  now: () => Date;
}

/** An encounter's message carries its implanted devices as the city parsed them (docs/drugs-devices.md#implants) */
export function exchangeMessageOf(cityId: CityId, entry: LocatorEntry, implants: Implant[] = []): ExchangeMessage {
  const messageId = `${entry.resourceType}/${entry.id}/${entry.revision}`;
  return entry.resourceType === "DocumentReference"
    ? { type: "document-published", version: 1, messageId, cityId, entry: { ...entry, resourceType: "DocumentReference" } }
    : {
        type: "encounter-recorded",
        version: 1,
        messageId,
        cityId,
        entry: { ...entry, resourceType: "Encounter" },
        ...(implants.length > 0 ? { implants } : {}),
      };
}

/**
 * Lists the entry for its resident and records + sends its exchange message (both done before the
 * caller's 2xx). The three writes are independent, so they run side by side: the message leaves for
 * the hub with the listing and the outbox record, not after them. The listing or the record failing
 * fails the request, whose retry completes both.
 */
export async function shareEntry(deps: RecordDeps, cityId: CityId, entry: LocatorEntry, implants?: Implant[]): Promise<void> {
  await Promise.all([
    deps.index.list(entry),
    sendThroughOutbox(deps.outbox, exchangeMessageOf(cityId, entry, implants), deps.now(), { sideBySide: true }),
  ]);
}
