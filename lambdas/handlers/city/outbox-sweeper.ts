/** Scheduled every minute: re-sends the exchange messages the hub has not acknowledged. */
import { nodeEnv } from "#shared/env.ts";
import { logger } from "#shared/logger.ts";
import { sweepOutbox } from "#use-cases/outbox.ts";
import { outboxDeps } from "./outbox-deps.ts";

const deps = outboxDeps(nodeEnv());

export const handler = async () => {
  const result = await sweepOutbox(deps, new Date());
  if (result.resent + result.parked + result.failed > 0) logger.info("outbox swept", { ...result });
  return result;
};
