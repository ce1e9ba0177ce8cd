/** Re-sends claims (and cancellations) the hub holds no ClaimResponse for yet, with backoff. */
import { clock } from "#shared/clock.ts";
import { logger } from "#shared/logger.ts";
import { sweepClaims } from "#use-cases/settlement/submit-claim.ts";
import { cityClaimSweep } from "#wiring/settlement.ts";

const deps = cityClaimSweep();

export const handler = async (): Promise<void> => {
  const result = await sweepClaims(deps, clock.now());
  if (result.resent + result.parked + result.settled > 0) logger.info("claim sweep", { ...result });
};
