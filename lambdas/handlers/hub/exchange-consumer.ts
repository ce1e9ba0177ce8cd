/** Exchange queue consumer: applies each city's messages and acknowledges them to the city. */
import { dynamoConnectionStore } from "#adapters/connection-store.ts";
import { sendMessage } from "#adapters/queue-sender.ts";
import { type ExchangeAckMessageV1, exchangeMessageSchema } from "#schemas/messages.ts";
import { discovery } from "#shared/discovery.ts";
import { nodeEnv, tableName } from "#shared/env.ts";
import { sqsHandler } from "#shared/sqs.ts";
import { applyExchangeMessage } from "#use-cases/apply-exchange.ts";

const nodes = discovery(nodeEnv().ssmPrefix);
const deps = {
  connections: dynamoConnectionStore(tableName("Connections")),
  acknowledge: async (cityId: string, messageIds: string[]) => {
    const ack: ExchangeAckMessageV1 = { type: "exchange-ack", version: 1, messageIds };
    await sendMessage(await nodes.cityPushQueueUrl(cityId), ack);
  },
};

export const handler = sqsHandler(exchangeMessageSchema, (message) => applyExchangeMessage(deps, message));
