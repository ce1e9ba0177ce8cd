/**
 * Record a front-end processor heartbeat.
 * Input: the admitted hospital, the validated body, the city's clock. Output: none (204).
 * Primary course: build the versioned heartbeat message and hand it to the outbox, which
 * records it before the answer and forwards it to the hub's exchange queue.
 */
import { randomUUID } from "node:crypto";
import type { CityId } from "#schemas/city.ts";
import type { HeartbeatBody } from "#schemas/fep.ts";
import type { ExchangeMessage, HeartbeatMessageV1 } from "#schemas/messages.ts";
import { type OutboxDeps, sendThroughOutbox } from "./outbox.ts";

export async function recordHeartbeat(
  deps: OutboxDeps<ExchangeMessage>,
  hospital: { hospitalId: string; cityId: CityId },
  body: HeartbeatBody,
  now: Date,
): Promise<void> {
  const message: HeartbeatMessageV1 = {
    type: "heartbeat",
    version: 1,
    messageId: randomUUID(),
    cityId: hospital.cityId,
    hospitalId: hospital.hospitalId,
    receivedAt: now.toISOString(),
    fepVersion: body.fepVersion,
    backlog: body.backlog,
    fepClock: body.clock,
  };
  await sendThroughOutbox(deps, message, now);
}
