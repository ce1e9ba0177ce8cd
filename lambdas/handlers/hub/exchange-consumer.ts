/** Exchange queue consumer: applies each city's messages, notifies new clinical resources, and acknowledges them to the city. */
import { dynamoActivityCounter } from "#adapters/activity.ts";
import { dynamoConnectionStore } from "#adapters/connection-store.ts";
import { sendMessage } from "#adapters/queue-sender.ts";
import { recordLocator } from "#adapters/record-locator.ts";
import { type ClinicalEventMessageV1, type ExchangeAckMessageV1, exchangeMessageSchema } from "#schemas/messages.ts";
import { discovery } from "#shared/discovery.ts";
import { nodeEnv, queueUrl, tableName } from "#shared/env.ts";
import { sqsHandler } from "#shared/sqs.ts";
import { applyExchangeMessage } from "#use-cases/apply-exchange.ts";

const nodes = discovery(nodeEnv().ssmPrefix);
const notifyQueue = queueUrl("Notify");
const deps = {
  connections: dynamoConnectionStore(tableName("Connections")),
  locator: recordLocator(tableName("RecordLocator")),
  notify: (event: ClinicalEventMessageV1) => sendMessage(notifyQueue, event),
  activity: dynamoActivityCounter(tableName("Activity")),
  acknowledge: async (cityId: string, messageIds: string[]) => {
    const ack: ExchangeAckMessageV1 = { type: "exchange-ack", version: 1, messageIds };
    await sendMessage(await nodes.cityPushQueueUrl(cityId), ack);
  },
};

export const handler = sqsHandler(exchangeMessageSchema, (message) => applyExchangeMessage(deps, message));
