/**
 * Queue messages between nodes. Every message carries `type` and `version`; a consumer parses
 * with these schemas and treats an unknown type or version as poison (it reaches the DLQ).
 * Compatibility rule (docs/adr/0004): a version may gain optional fields; anything else is a new version.
 */
import { z } from "zod";
import { cityIdSchema } from "#lib/config/province.ts";

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

export const exchangeMessageSchema = z.discriminatedUnion("type", [heartbeatMessageV1]);
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

export const pushMessageSchema = z.discriminatedUnion("type", [exchangeAckMessageV1]);
export type PushMessage = z.infer<typeof pushMessageSchema>;
