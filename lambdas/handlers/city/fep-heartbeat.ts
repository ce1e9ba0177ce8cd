/** POST /fep/heartbeat: a hospital's FEP reports its version, backlog and clock. */

import { outboxDeps } from "#adapters/city-outboxes.ts";
import { cityIdSchema } from "#lib/config/province.ts";
import { heartbeatBodySchema } from "#schemas/fep.ts";
import { nodeEnv } from "#shared/env.ts";
import { callingHospital, httpHandler, parseJsonBody } from "#shared/http.ts";
import { recordHeartbeat } from "#use-cases/record-heartbeat.ts";

const node = nodeEnv();
const deps = outboxDeps(node);
const cityId = cityIdSchema.parse(node.nodeId);

export const handler = httpHandler(async (event) => {
  const hospital = callingHospital(event);
  if (!hospital) throw new Error("the authorizer admitted no hospital"); // unreachable behind the authorizer
  const body = parseJsonBody(event, heartbeatBodySchema);
  await recordHeartbeat(deps, { hospitalId: hospital.hospitalId, cityId }, body, new Date());
  return { statusCode: 204 };
});
