/**
 * Traceability codes at the hub (docs/drugs-devices.md#traceability-codes):
 *   POST /internal/drugs/trace-scan   (a city, for its hospital) a dispense or return → Parameters outcome
 *   POST /internal/drugs/trace-check  (a city, for its hospital's claim) which of the codes it may not claim
 *   GET  /drugs/trace-alerts          (operator) the repeated dispenses, newest first
 */
import { actingHospital } from "#domain/acting-hospital.ts";
import { traceCheckSchema, traceScanSchema } from "#schemas/drugs.ts";
import { clock } from "#shared/clock.ts";
import { httpRouter } from "#shared/http.ts";
import { applyTraceScan, reusedTraceCodes } from "#use-cases/drugs/trace-scan.ts";
import { actingFor } from "#use-cases/node-identity.ts";
import { hubTraceRegistry } from "#wiring/drugs.ts";
import { nodeIdentityDeps } from "#wiring/node-identity.ts";

const registry = hubTraceRegistry();
const identity = nodeIdentityDeps();

export const handler = httpRouter({
  "POST /internal/drugs/trace-scan": async (request) => {
    const hospital = await actingFor(identity, request, actingHospital(request.headers));
    return { statusCode: 200, body: await applyTraceScan(registry, request.body(traceScanSchema), hospital, clock.isoNow()) };
  },
  "POST /internal/drugs/trace-check": async (request) => {
    const hospital = await actingFor(identity, request, actingHospital(request.headers));
    const { codes } = request.body(traceCheckSchema);
    return {
      statusCode: 200,
      body: await reusedTraceCodes(registry, hospital.hospitalId, codes),
      headers: { "content-type": "application/json" },
    };
  },
  "GET /drugs/trace-alerts": async () => ({
    statusCode: 200,
    body: { alerts: await registry.alerts(200) },
    headers: { "content-type": "application/json" },
  }),
});
