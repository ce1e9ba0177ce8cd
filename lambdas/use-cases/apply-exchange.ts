/**
 * Apply one inbound exchange message at the hub.
 * Input: a parsed, versioned message from a city. Output: none.
 * Primary course: apply it idempotently (a heartbeat updates the hospital's connection unless
 * a newer one is already there), then acknowledge it to its city so its outbox forgets it.
 */
import type { ConnectionStore } from "#adapters/connection-store.ts";
import { clockSkewSeconds } from "#domain/connections.ts";
import type { ExchangeMessage } from "#schemas/messages.ts";

export interface ApplyExchangeDeps {
  connections: ConnectionStore;
  acknowledge: (cityId: string, messageIds: string[]) => Promise<void>;
}

export async function applyExchangeMessage(deps: ApplyExchangeDeps, message: ExchangeMessage): Promise<void> {
  switch (message.type) {
    case "heartbeat":
      await deps.connections.recordHeartbeat({
        hospitalId: message.hospitalId,
        cityId: message.cityId,
        messageId: message.messageId,
        lastSeen: message.receivedAt,
        fepVersion: message.fepVersion,
        backlog: message.backlog,
        clockSkewSeconds: clockSkewSeconds(message.fepClock, message.receivedAt),
      });
      break;
  }
  await deps.acknowledge(message.cityId, [message.messageId]);
}
