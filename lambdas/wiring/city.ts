/**
 * What every city handler of this layer builds once at init: the node (read from env once), its id as a
 * city, the hub's internal API, and the exchange outbox its heartbeats go through.
 */

import type { HubClient } from "#ports/hub.ts";
import { type CityId, cityIdSchema } from "#schemas/city.ts";
import type { ExchangeMessage } from "#schemas/messages.ts";
import { type NodeEnv, nodeEnv } from "#shared/env.ts";
import { hubClient } from "#shared/hub-client.ts";
import type { OutboxDeps } from "#use-cases/outbox.ts";
import { outboxDeps } from "#wiring/outbox.ts";

export interface CityNode {
  node: NodeEnv;
  cityId: CityId;
  hub: HubClient;
}

export function cityNode(): CityNode {
  const node = nodeEnv();
  return { node, cityId: cityIdSchema.parse(node.nodeId), hub: hubClient(node.ssmPrefix) };
}

/** The exchange outbox (Outbox table → the hub's Exchange queue) that heartbeats go through */
export const heartbeatOutbox = (node: NodeEnv): OutboxDeps<ExchangeMessage> => outboxDeps(node);
