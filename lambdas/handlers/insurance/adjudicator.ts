/**
 * The reference insurance platform's consumer of the hub's Settlement FIFO queue: adjudicates each
 * claim in its resident's order and answers on the SettlementResults queue (docs/settlement.md).
 */
import { dynamoLedgerStore } from "#adapters/insurance-ledger.ts";
import { sendMessage } from "#adapters/queue-sender.ts";
import { settlementMessageSchema } from "#schemas/settlement.ts";
import { clock } from "#shared/clock.ts";
import { queueUrl, tableName } from "#shared/env.ts";
import { sqsFifoHandler } from "#shared/sqs-fifo.ts";
import { adjudicateClaim } from "#use-cases/settlement/adjudicate-claim.ts";

const ledger = dynamoLedgerStore(tableName("InsuranceLedger"));
const results = queueUrl("SettlementResults");

export const handler = sqsFifoHandler(settlementMessageSchema, async (message) => {
  await adjudicateClaim({ ledger, sendResult: (result) => sendMessage(results, result) }, message, clock.now());
});
