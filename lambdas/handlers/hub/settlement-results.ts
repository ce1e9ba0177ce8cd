/**
 * Consumes the insurance platform's answers (SettlementResults queue): stores each ClaimResponse
 * (searchable, reconciled) and sends it to the hospital's FEP inbox as a Communication.
 */

import { settlementResultSchema } from "#schemas/settlement.ts";
import { clock } from "#shared/clock.ts";
import { sqsHandler } from "#shared/sqs.ts";
import { recordSettlement } from "#use-cases/settlement/settlement-results.ts";
import { hubSettlement } from "#wiring/settlement.ts";

const deps = hubSettlement().resultDeps();

// only the insurance platform's answers, signed under its own key (Ed25519; docs/node-identity.md)
export const handler = sqsHandler(
  settlementResultSchema,
  (result) => recordSettlement(deps, result, clock.now()),
  () => ({ sender: "insurance", scheme: "ed25519" }),
);
