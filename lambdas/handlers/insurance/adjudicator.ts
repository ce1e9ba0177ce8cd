/**
 * The reference insurance platform's consumer of the hub's Settlement FIFO queue: adjudicates each
 * claim in its resident's order and answers on the SettlementResults queue (docs/settlement.md).
 */

import { settlementMessageSchema } from "#schemas/settlement.ts";
import { clock } from "#shared/clock.ts";
import { sqsFifoHandler } from "#shared/sqs-fifo.ts";
import { adjudicateClaim } from "#use-cases/settlement/adjudicate-claim.ts";
import { insuranceAdjudicator } from "#wiring/settlement.ts";

const deps = insuranceAdjudicator();

// a claim naming a city is adjudicated only if that city signed it under its own key (Ed25519: this
// platform holds no secret of the province; docs/node-identity.md)
export const handler = sqsFifoHandler(
  settlementMessageSchema,
  async (message) => {
    await adjudicateClaim(deps, message, clock.now());
  },
  (message) => ({ sender: message.cityId, scheme: "ed25519" }),
);
