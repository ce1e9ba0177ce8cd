/** Re-sends claims (and cancellations) the hub holds no ClaimResponse for yet, with backoff. */
import { citySettlement } from "#adapters/city-settlement.ts";
import { clock } from "#shared/clock.ts";
import { nodeEnv } from "#shared/env.ts";
import { hubClient } from "#shared/hub-client.ts";
import { logger } from "#shared/logger.ts";
import { sweepClaims } from "#use-cases/settlement/submit-claim.ts";

const node = nodeEnv();
const settlement = citySettlement(node, hubClient(node.ssmPrefix));

export const handler = async (): Promise<void> => {
  const result = await sweepClaims({ claims: settlement.claims, send: settlement.send, settled: settlement.settled }, clock.now());
  if (result.resent + result.parked + result.settled > 0) logger.info("claim sweep", { ...result });
};
