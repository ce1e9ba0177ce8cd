/**
 * Queue messages between nodes. Every message carries `type` and `version`; a consumer parses
 * with these schemas and treats an unknown type or version as poison (it reaches the DLQ).
 * Compatibility rule (docs/adr/0004): a version may gain optional fields; anything else is a new version.
 */
import { z } from "zod";
import { cityIdSchema } from "./city.ts";
import { locatorEntrySchema } from "./documents.ts";

const isoTime = z.iso.datetime({ offset: true });

/** City → hub (Exchange queue): a hospital's heartbeat as the city received it. */
export const heartbeatMessageV1 = z.object({
  type: z.literal("heartbeat"),
  version: z.literal(1),
  messageId: z.string().min(1),
  cityId: cityIdSchema,
  hospitalId: z.string().min(1),
  /** City node time of receipt: the heartbeat's time by the platform's clocks */
  receivedAt: isoTime,
  fepVersion: z.string(),
  backlog: z.number().int().min(0),
  fepClock: isoTime,
});
export type HeartbeatMessageV1 = z.infer<typeof heartbeatMessageV1>;

/**
 * City → hub (Exchange queue): a document's entry in the record locator, at a revision (published,
 * superseded, withdrawn). The hub keeps the highest revision per document.
 */
export const documentPublishedMessageV1 = z.object({
  type: z.literal("document-published"),
  version: z.literal(1),
  /** `DocumentReference/<id>/<revision>`: stable, so a re-sent message is applied once */
  messageId: z.string().min(1),
  cityId: cityIdSchema,
  entry: locatorEntrySchema.extend({ resourceType: z.literal("DocumentReference") }),
});
export type DocumentPublishedMessageV1 = z.infer<typeof documentPublishedMessageV1>;

/** One implant as the city parsed it, with the encounter-recorded message (the hub indexes it by DI and DI + lot) */
export const implantSchema = z.object({
  /** The contained Device's id in its Encounter */
  deviceId: z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/),
  issuer: z.enum(["GS1", "HIBCC"]),
  di: z.string().min(1).max(64),
  lot: z.string().min(1).max(40).optional(),
  serial: z.string().min(1).max(40).optional(),
  expiryDate: z.iso.date().optional(),
  manufactureDate: z.iso.date().optional(),
});
export type Implant = z.infer<typeof implantSchema>;

/** City → hub (Exchange queue): an encounter for the EHR timeline, at a revision (status changes). */
export const encounterRecordedMessageV1 = z.object({
  type: z.literal("encounter-recorded"),
  version: z.literal(1),
  /** `Encounter/<id>/<revision>` */
  messageId: z.string().min(1),
  cityId: cityIdSchema,
  entry: locatorEntrySchema.extend({ resourceType: z.literal("Encounter") }),
  /** Its implanted devices, parsed by the city (added compatibly; docs/drugs-devices.md#implants) */
  implants: z.array(implantSchema).max(20).optional(),
});
export type EncounterRecordedMessageV1 = z.infer<typeof encounterRecordedMessageV1>;

export const exchangeMessageSchema = z.discriminatedUnion("type", [
  heartbeatMessageV1,
  documentPublishedMessageV1,
  encounterRecordedMessageV1,
]);
export type ExchangeMessage = z.infer<typeof exchangeMessageSchema>;

/** Hub → city (Push queue): the hub has applied these outbox messages; the city may forget them. */
export const exchangeAckMessageV1 = z.object({
  type: z.literal("exchange-ack"),
  version: z.literal(1),
  messageIds: z.array(z.string().min(1)).min(1),
  /** Which of the city's outboxes (added compatibly: absent means the exchange outbox) */
  outbox: z.enum(["exchange", "audit"]).optional(),
});
export type ExchangeAckMessageV1 = z.infer<typeof exchangeAckMessageV1>;

/**
 * A FHIR Communication for a hospital's FEP inbox (DESIGN.md contracts): addressed to the hospital,
 * about a resident, its payload referencing the new resource as searches return it
 * (`DocumentReference/<id>`, `Encounter/<id>`, `ClaimResponse/<id>`). Its id is stable: a redelivered
 * notification keeps it, so the inbox stores it once.
 */
export const inboxCommunicationSchema = z.object({
  resourceType: z.literal("Communication"),
  id: z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/),
  status: z.literal("completed"),
  sent: isoTime,
  recipient: z.array(z.object({ reference: z.string().regex(/^Organization\/[A-Za-z0-9\-.]{1,64}$/) })).length(1),
  /** The resident; absent when it names several, each in `payload` (a device recall: docs/drugs-devices.md#recall) */
  subject: z
    .object({
      reference: z.string().regex(/^Patient\/[A-Za-z0-9\-.]{1,64}$/),
      identifier: z.object({ system: z.string(), value: z.string() }).optional(),
    })
    .optional(),
  payload: z.array(z.object({ contentReference: z.object({ reference: z.string().min(1) }) })).min(1),
  /** What made it: the subscription (`Subscription/<id>`) or the claim it answers */
  basedOn: z.array(z.object({ reference: z.string() })).optional(),
  category: z.array(z.object({ text: z.string() })).optional(),
  /** What the hospital is told, in words (a recall's reason) */
  note: z
    .array(z.object({ text: z.string().max(1000) }))
    .max(5)
    .optional(),
});
export type InboxCommunication = z.infer<typeof inboxCommunicationSchema>;

/** Hub → city (Push queue): put this Communication into a hospital's FEP inbox (idempotent on its id). */
export const inboxDeliveryMessageV1 = z.object({
  type: z.literal("inbox-delivery"),
  version: z.literal(1),
  /** The city node the hospital belongs to (the push queue's owner): another city's node refuses it */
  cityId: cityIdSchema,
  hospitalId: z.string().min(1),
  communication: inboxCommunicationSchema,
});
export type InboxDeliveryMessageV1 = z.infer<typeof inboxDeliveryMessageV1>;

export const pushMessageSchema = z.discriminatedUnion("type", [exchangeAckMessageV1, inboxDeliveryMessageV1]);
export type PushMessage = z.infer<typeof pushMessageSchema>;

/**
 * Hub → hub (Notify queue): a document or encounter has been recorded at the hub (record locator /
 * EHR timeline), to be matched against subscriptions. Sent after the durable write; at least once.
 */
export const clinicalEventMessageV1 = z.object({
  type: z.literal("clinical-event"),
  version: z.literal(1),
  /** Stable per event: the resource and its version, e.g. `DocumentReference/<id>` */
  eventId: z.string().min(1),
  resourceType: z.enum(["DocumentReference", "Encounter"]),
  /** The id searches return the resource by */
  resourceId: z.string().min(1),
  /** The resident (master patient index) */
  empi: z.string().min(1),
  /** Where it was recorded */
  hospitalId: z.string().min(1),
  cityId: cityIdSchema,
  /** Encounters: FHIR Encounter.status; documents: DocumentReference.status */
  status: z.string().min(1),
  recordedAt: isoTime,
});
export type ClinicalEventMessageV1 = z.infer<typeof clinicalEventMessageV1>;
export const notifyMessageSchema = z.discriminatedUnion("type", [clinicalEventMessageV1]);
