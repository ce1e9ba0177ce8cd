/**
 * Consumes the insurance platform's answers (SettlementResults queue): stores each ClaimResponse
 * (searchable, reconciled) and sends it to the hospital's FEP inbox as a Communication.
 */
import { dynamoActivityCounter } from "#adapters/activity.ts";
import { inboxSender } from "#adapters/inbox-sender.ts";
import { settlementStore } from "#adapters/settlement-store.ts";
import { buildClaimResponse, claimResponseCommunication } from "#domain/settlement/claim-response.ts";
import { settlementResultSchema } from "#schemas/settlement.ts";
import { clock } from "#shared/clock.ts";
import { discovery } from "#shared/discovery.ts";
import { nodeEnv, tableName } from "#shared/env.ts";
import { sqsHandler } from "#shared/sqs.ts";

const node = nodeEnv();
const store = settlementStore(tableName("Settlements"));
const sendToInbox = inboxSender(discovery(node.ssmPrefix));
const activity = dynamoActivityCounter(tableName("Activity"));

export const handler = sqsHandler(settlementResultSchema, async (result) => {
  await store.record(result, buildClaimResponse(result));
  if (result.action === "submit") await activity.add("claims", clock.now());
  await sendToInbox(result.cityId, result.hospitalId, claimResponseCommunication(result));
});
