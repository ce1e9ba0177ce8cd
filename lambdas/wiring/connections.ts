/**
 * The hub's connection use cases: the connection board (GET /connections, the operations summary)
 * and applying the cities' exchange messages (heartbeats, documents, encounters).
 */
import { dynamoActivityCounter } from "#adapters/activity.ts";
import { dynamoConnectionStore } from "#adapters/connection-store.ts";
import { dynamoImplantIndex } from "#adapters/device-implants.ts";
import { sendMessage, sendMessages } from "#adapters/queue-sender.ts";
import { recordLocator } from "#adapters/record-locator.ts";
import type { RecordLocator } from "#ports/connections.ts";
import type { ClinicalEventMessageV1, ExchangeAckMessageV1 } from "#schemas/messages.ts";
import { discovery } from "#shared/discovery.ts";
import { nodeEnv, positiveIntEnv, queueUrl, tableName } from "#shared/env.ts";
import { ENV } from "#shared/env-names.ts";
import type { ApplyExchangeDeps } from "#use-cases/apply-exchange.ts";
import type { ConnectionBoardDeps } from "#use-cases/connection-board.ts";
import { provinceCities } from "./province.ts";
import { facilityStore } from "./registry.ts";

export const connectionBoardDeps = (): ConnectionBoardDeps => ({
  facilities: facilityStore(),
  connections: dynamoConnectionStore(tableName("Connections")),
  cities: provinceCities(),
  windowSeconds: positiveIntEnv(ENV.connectedWindowSeconds),
});

export function applyExchangeDeps(): ApplyExchangeDeps {
  const nodes = discovery(nodeEnv().ssmPrefix);
  const notifyQueue = queueUrl("Notify");
  return {
    connections: dynamoConnectionStore(tableName("Connections")),
    locator: recordLocatorStore(),
    notify: (event: ClinicalEventMessageV1) => sendMessage(notifyQueue, event),
    notifyAll: (events: ClinicalEventMessageV1[]) => sendMessages(notifyQueue, events),
    activity: dynamoActivityCounter(tableName("Activity")),
    implants: dynamoImplantIndex(tableName("DeviceImplants")),
    acknowledge: async (cityId, messageIds) => {
      const ack: ExchangeAckMessageV1 = { type: "exchange-ack", version: 1, messageIds };
      await sendMessage(await nodes.cityPushQueueUrl(cityId), ack, undefined, cityId);
    },
  };
}

/** The hub's record locator and EHR timeline (RecordLocator table) */
export const recordLocatorStore = (): RecordLocator => recordLocator(tableName("RecordLocator"));
