/**
 * The DeviceDefinition registry and device recalls at the hub (docs/drugs-devices.md):
 *   POST /devices/import                     (operator) device types by UDI-DI: {"entries": [...]} → changed, unchanged
 *   GET  /internal/devices/definition?di=    (a city, for a hospital's UDI) the DeviceDefinition, or 404
 *   GET  /devices/recall?di=&lot=            (operator) every resident who received a device of that DI (and lot); audited
 *   POST /devices/recall                     (operator) {di, lot?, reason}: the recall, a Communication to each affected hospital; audited
 */
import { isRefusal, NotFoundError } from "#domain/errors.ts";
import { deviceDeltaSchema, recallRequestSchema } from "#schemas/drugs.ts";
import { httpRouter } from "#shared/http.ts";
import { recordHubAccess } from "#use-cases/audit.ts";
import { deviceDefinitionOf, importDevices } from "#use-cases/drugs/devices.ts";
import { issueRecall, recallQuery } from "#use-cases/drugs/recall.ts";
import { hubDeviceRegistry, hubRecalls } from "#wiring/drugs.ts";

const registry = hubDeviceRegistry();
const { deps, auditRepository } = hubRecalls(registry);

/** A refused operator request names no resident: recorded as refused, then answered */
async function auditedRefusals<T>(resource: string, action: "R" | "C", work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isRefusal(error))
      await recordHubAccess(auditRepository, {
        action,
        interaction: action === "R" ? "search" : "operation",
        node: "hub",
        operator: true,
        resource,
        patients: [],
        result: "refused",
        detail: (error as Error).message,
      });
    throw error;
  }
}

export const handler = httpRouter({
  "POST /devices/import": async (request) => ({
    statusCode: 200,
    body: await importDevices(registry, request.body(deviceDeltaSchema)),
    headers: { "content-type": "application/json" },
  }),
  "GET /internal/devices/definition": async (request) => {
    const di = request.query.di?.[0];
    const found = await deviceDefinitionOf(registry, di);
    if (!found) throw new NotFoundError(`di: the registry holds no device ${di}`, "di");
    return { statusCode: 200, body: found };
  },
  "GET /devices/recall": (request) =>
    auditedRefusals("devices/recall", "R", async () => ({
      statusCode: 200,
      body: await recallQuery(deps, request.query.di?.[0], request.query.lot?.[0]),
      headers: { "content-type": "application/json" },
    })),
  "POST /devices/recall": (request) =>
    auditedRefusals("devices/recall", "C", async () => {
      const issued = await issueRecall(deps, request.body(recallRequestSchema));
      return { statusCode: issued.statusCode, body: issued.recall, headers: { "content-type": "application/json" } };
    }),
});
