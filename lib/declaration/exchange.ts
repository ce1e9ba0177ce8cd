/**
 * The inbound exchange: the queue every city sends its heartbeats, documents and encounters to, and
 * the consumer that applies them (connection board, record locator) and hands new records to push.
 */
import type { DeclarationPart } from "./types.ts";

export const EXCHANGE: DeclarationPart = {
  hubStack: "exchange",
  hubQueues: [
    {
      id: "Exchange",
      fifo: false,
      visibilityTimeoutSeconds: 180,
      maxReceiveCount: 5,
      retentionDays: 14,
      description: "Inbound exchange from every city (messages carry their city)",
    },
  ],
  hubFunctions: [
    {
      id: "ExchangeConsumer",
      entry: "lambdas/handlers/hub/exchange-consumer.ts",
      description: "Applies inbound exchange messages and acknowledges them to their city",
      timeoutSeconds: 30,
      memoryMb: 512,
      // RegistryIndex: the hospitals a message names must be of the city that signed it (docs/node-identity.md)
      // DeviceImplants: an encounter's implanted devices, indexed for recalls (docs/drugs-devices.md#implants)
      tables: { Connections: "readWrite", RecordLocator: "readWrite", Activity: "write", RegistryIndex: "read", DeviceImplants: "write" },
      sendsTo: ["Notify"],
      discovery: ["send-city-push"],
      trigger: { kind: "queue", queue: "Exchange", batchSize: 10, maxBatchingWindowSeconds: 1 },
    },
  ],
};
