/** Scheduled every minute: re-enqueues the department messages still owed (the outbox's bounded retries). */
import { clock } from "#shared/clock.ts";
import { logger } from "#shared/logger.ts";
import { sweepOutbox } from "#use-cases/outbox.ts";
import { outboundDeps } from "#wiring/departments.ts";

const deps = outboundDeps();

export const handler = async () => {
  const outbox = await sweepOutbox({ outbox: deps.outbox, sendToHub: deps.enqueue }, clock.now());
  if (outbox.resent + outbox.parked + outbox.failed > 0) logger.info("department outbox swept", { ...outbox });
  return { outbox };
};
