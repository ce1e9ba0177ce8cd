/**
 * Drugs and devices at a city node (docs/drugs-devices.md), for its hospitals; neither reads patient
 * data, so no practitioner is needed, but one named in X-Practitioner-Id must be the hospital's (a
 * refusal is audited):
 *   GET  /fhir/MedicationKnowledge?code=<any of a drug's codes>   the catalogue entry, from the hub
 *   POST /fhir/Device/$parse-udi                                  a UDI's parts (GS1 or HIBCC), with the hub registry's DeviceDefinition
 *   POST /fhir/$trace-scan                                        a traceability code dispensed or returned,
 *        at the hub: patient care, so a licensed practitioner of the hospital acts, and it is audited
 */
import { parseUdiRequestSchema, traceScanRequestSchema } from "#schemas/drugs.ts";
import { type HttpRequest, httpRouter } from "#shared/http.ts";
import { actingPractitioner, practitionerHeader } from "#shared/practitioner-guard.ts";
import { parseUdiParameters, withDefinition } from "#use-cases/drugs/parse-udi.ts";
import { readTraceScan, scanAnswer } from "#use-cases/drugs/trace-scan.ts";
import { forwardRegistryRequest } from "#use-cases/registry/forward.ts";
import { cityAuditor } from "#wiring/audit.ts";
import { cityNode } from "#wiring/city.ts";

const { node, hub } = cityNode();
const auditor = cityAuditor(node);

/** The calling hospital, once its X-Practitioner-Id (if any) is its own */
async function admitted(request: HttpRequest, action: "R" | "E") {
  const hospital = request.caller;
  if (!hospital) throw new Error("the authorizer admitted no hospital"); // unreachable behind the authorizer
  const access = {
    action,
    interaction: action === "R" ? ("search-type" as const) : ("operation" as const),
    hospitalId: hospital.hospitalId,
    practitionerId: practitionerHeader(request.headers),
    query: `${request.method} ${request.path}`,
  };
  await auditor.refusals(access, () => actingPractitioner(hub, request.headers, hospital.hospitalId, false));
  return hospital.hospitalId;
}

export const handler = httpRouter({
  "GET /fhir/MedicationKnowledge": async (request) => forwardRegistryRequest(hub, await admitted(request, "R"), request),
  "POST /fhir/Device/$parse-udi": async (request) => {
    await admitted(request, "E");
    const body = request.body(parseUdiRequestSchema);
    const parsed = parseUdiParameters(body.parameter[0]!.valueString);
    const read = (di: string) => hub.forward("GET", `/devices/definition?di=${encodeURIComponent(di)}`, { accept: "application/json" });
    return { statusCode: 200, body: await withDefinition(parsed, read) };
  },
  "POST /fhir/$trace-scan": async (request) => {
    const hospitalId = request.caller!.hospitalId;
    const template = {
      action: "E" as const,
      interaction: "operation" as const,
      hospitalId,
      practitionerId: practitionerHeader(request.headers),
      patients: [],
      query: "POST /fhir/$trace-scan",
    };
    return auditor.audited(template, async () => {
      await actingPractitioner(hub, request.headers, hospitalId, true);
      const scan = readTraceScan(request.body(traceScanRequestSchema).parameter, hospitalId);
      const forwarded = { method: "POST", path: "/drugs/trace-scan", query: {}, headers: { "content-type": "application/json" } };
      return { value: scanAnswer(await forwardRegistryRequest(hub, hospitalId, { ...forwarded, rawBody: JSON.stringify(scan) })) };
    });
  },
});
