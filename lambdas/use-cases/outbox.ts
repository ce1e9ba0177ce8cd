/**
 * The city outbox: nothing accepted is lost (DESIGN.md decision 5, docs/adr/0004).
 * Input: an exchange message for the hub. Output: none; the message is durably recorded.
 * Primary course: record the message (pending), send it to the hub; the hub acknowledges it
 * through the city's push queue and the record is removed. The sweeper re-sends whatever is
 * still pending when due, with exponential backoff, and parks it after MAX_ATTEMPTS.
 */
import type { OutboxStore } from "#ports/outbox.ts";
import { logger } from "#shared/logger.ts";

export const FIRST_RESEND_AFTER_SECONDS = 60;
export const MAX_ATTEMPTS = 12;

/** Any versioned message with an id: exchange messages, audit events */
export interface OutboxMessage {
  messageId: string;
  type: string;
  version: number;
}

export interface OutboxDeps<M extends OutboxMessage = OutboxMessage> {
  outbox: OutboxStore;
  sendToHub: (message: M, body: string) => Promise<void>;
}

const later = (now: Date, seconds: number): string => new Date(now.getTime() + seconds * 1000).toISOString();

/** Seconds before attempt `attempts + 1` is due: 60 s, 2 min, 4 min … capped at one hour. */
export const backoffSeconds = (attempts: number): number => Math.min(FIRST_RESEND_AFTER_SECONDS * 2 ** Math.max(0, attempts - 1), 3600);

/**
 * Records the message, then sends it. `sideBySide`: the send starts with the record instead of after
 * it (one round trip less before the caller's answer); the record is still awaited, and its failure
 * still fails the call (after the send has settled), so nothing is answered that is not recorded.
 * What it allows, and why that is safe: a message at the hub whose record failed (the caller's request
 * fails and its retry sends the same id again, which the idempotent hub ignores), and, rarely, the hub's
 * acknowledgement arriving before the record is written, which leaves the record pending: the sweeper
 * sends it again when due and the idempotent hub acknowledges it again (docs/capacity.md section 4).
 */
export async function sendThroughOutbox<M extends OutboxMessage>(
  deps: OutboxDeps<M>,
  message: M,
  now: Date,
  options: { sideBySide?: boolean } = {},
): Promise<void> {
  const body = JSON.stringify(message);
  // already recorded (a retry of the same request, e.g. a document re-published after a crash):
  // the record stands, and sending it again is harmless to the idempotent hub
  const record = () =>
    deps.outbox.record({
      messageId: message.messageId,
      type: message.type,
      body,
      status: "pending",
      createdAt: now.toISOString(),
      attempts: 1,
      nextAttemptAt: later(now, backoffSeconds(1)),
    });
  const send = async () => {
    try {
      await deps.sendToHub(message, body);
    } catch (error) {
      // recorded: the sweeper sends it when due
      logger.warn("exchange send failed; left to the outbox sweeper", { messageId: message.messageId, error: error as Error });
    }
  };
  if (!options.sideBySide) {
    await record();
    return send();
  }
  const [recorded] = await Promise.allSettled([record(), send()]);
  if (recorded.status === "rejected") throw recorded.reason;
}

export interface SweepResult {
  resent: number;
  parked: number;
  failed: number;
}

export async function sweepOutbox<M extends OutboxMessage>(deps: OutboxDeps<M>, now: Date): Promise<SweepResult> {
  const result: SweepResult = { resent: 0, parked: 0, failed: 0 };
  for (const record of await deps.outbox.listDue(now.toISOString())) {
    if (record.attempts >= MAX_ATTEMPTS) {
      if (await deps.outbox.markAttempt(record.messageId, record.attempts, record.nextAttemptAt, "parked")) {
        logger.error("exchange message parked after bounded retries", { messageId: record.messageId, attempts: record.attempts });
        result.parked++;
      }
      continue;
    }
    const claimed = await deps.outbox.markAttempt(
      record.messageId,
      record.attempts,
      later(now, backoffSeconds(record.attempts + 1)),
      "pending",
    );
    if (!claimed) continue;
    try {
      await deps.sendToHub(JSON.parse(record.body) as M, record.body);
      result.resent++;
    } catch (error) {
      logger.warn("exchange re-send failed", { messageId: record.messageId, error: error as Error });
      result.failed++;
    }
  }
  return result;
}

export async function acknowledge(outbox: OutboxStore, messageIds: string[]): Promise<void> {
  // a batch's acknowledgement (the hub's Exchange consumer acknowledges each batch at once): one write
  if (outbox.removeAll && messageIds.length > 1) return outbox.removeAll(messageIds);
  for (const id of messageIds) await outbox.remove(id);
}
