/**
 * The DeviceDefinition registry at the hub (docs/drugs-devices.md#the-devicedefinition-registry):
 *   POST /devices/import                     (operator) device types by UDI-DI: {"entries": [...]} → changed, unchanged
 *   GET  /internal/devices/definition?di=    (a city, for a hospital's UDI) the DeviceDefinition, or 404
 */
import { NotFoundError } from "#domain/errors.ts";
import { deviceDeltaSchema } from "#schemas/drugs.ts";
import { httpRouter } from "#shared/http.ts";
import { deviceDefinitionOf, importDevices } from "#use-cases/drugs/devices.ts";
import { hubDeviceRegistry } from "#wiring/drugs.ts";

const registry = hubDeviceRegistry();

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
});
