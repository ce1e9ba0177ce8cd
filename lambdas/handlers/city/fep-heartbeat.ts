/**
 * POST /fep/heartbeat: a hospital's FEP reports its version, backlog and clock. A system call:
 * no practitioner is needed, but one named in X-Practitioner-Id must be the hospital's.
 */

import { cityIdSchema } from "#schemas/city.ts";
import { heartbeatBodySchema } from "#schemas/fep.ts";
import { nodeEnv } from "#shared/env.ts";
import { callingHospital, httpHandler, parseJsonBody } from "#shared/http.ts";
import { hubClient } from "#shared/hub-client.ts";
import { actingPractitioner } from "#shared/practitioner-guard.ts";
import { recordHeartbeat } from "#use-cases/record-heartbeat.ts";
import { outboxDeps } from "#wiring/outbox.ts";

const node = nodeEnv();
const deps = outboxDeps(node);
const cityId = cityIdSchema.parse(node.nodeId);
const hub = hubClient(node.ssmPrefix);

export const handler = httpHandler(async (event, http) => {
  const hospital = callingHospital(event);
  if (!hospital) throw new Error("the authorizer admitted no hospital"); // unreachable behind the authorizer
  const body = parseJsonBody(event, heartbeatBodySchema);
  await actingPractitioner(hub, http.headers, hospital.hospitalId, false);
  await recordHeartbeat(deps, { hospitalId: hospital.hospitalId, cityId }, body, new Date());
  return { statusCode: 204 };
});
