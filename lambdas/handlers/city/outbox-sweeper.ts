/** Scheduled every minute: re-sends the exchange messages and audit events the hub has not acknowledged. */

import { clock } from "#shared/clock.ts";
import { nodeEnv } from "#shared/env.ts";
import { logger } from "#shared/logger.ts";
import { sweepOutbox } from "#use-cases/outbox.ts";
import { auditOutboxDeps, outboxDeps } from "#wiring/outbox.ts";

const node = nodeEnv();
const exchange = outboxDeps(node);
const audit = auditOutboxDeps(node);

export const handler = async () => {
  const result = { exchange: await sweepOutbox(exchange, clock.now()), audit: await sweepOutbox(audit, clock.now()) };
  for (const [outbox, r] of Object.entries(result)) {
    if (r.resent + r.parked + r.failed > 0) logger.info("outbox swept", { outbox, ...r });
  }
  return result;
};
