/**
 * POST /fep/heartbeat: a hospital's FEP reports its version, backlog and clock. A system call:
 * no practitioner is needed, but one named in X-Practitioner-Id must be the hospital's (a refusal is audited).
 */
import { heartbeatBodySchema } from "#schemas/fep.ts";
import { clock } from "#shared/clock.ts";
import { httpHandler } from "#shared/http.ts";
import { actingPractitioner, practitionerHeader } from "#shared/practitioner-guard.ts";
import { recordHeartbeat } from "#use-cases/record-heartbeat.ts";
import { cityAuditor } from "#wiring/audit.ts";
import { cityNode, heartbeatOutbox } from "#wiring/city.ts";

const { node, cityId, hub } = cityNode();
const deps = heartbeatOutbox(node);
const auditor = cityAuditor(node);

export const handler = httpHandler(async (_event, request) => {
  const hospital = request.caller;
  if (!hospital) throw new Error("the authorizer admitted no hospital"); // unreachable behind the authorizer
  const body = request.body(heartbeatBodySchema);
  const access = { action: "C" as const, interaction: "operation" as const, hospitalId: hospital.hospitalId, query: "POST /fep/heartbeat" };
  await auditor.refusals({ ...access, practitionerId: practitionerHeader(request.headers) }, () =>
    actingPractitioner(hub, request.headers, hospital.hospitalId, false),
  );
  await recordHeartbeat(deps, { hospitalId: hospital.hospitalId, cityId }, body, clock.now());
  return { statusCode: 204 };
});
