/**
 * POST /fhir/Encounter: records (or updates, by its identifier) an encounter for the resident's EHR
 * timeline, docs/documents.md. Requires X-Practitioner-Id; exactly one AuditEvent per request. Its
 * notifiable diagnoses await a case report at the hub (docs/public-health.md#deadlines).
 */
import { empiIdentifier, namedPatients } from "#domain/named-patients.ts";
import { encounterSchema } from "#schemas/encounter.ts";
import { httpHandler } from "#shared/http.ts";
import { actingPractitioner, practitionerHeader } from "#shared/practitioner-guard.ts";
import { recordEncounter } from "#use-cases/documents/encounters.ts";
import { expectCaseReports } from "#use-cases/public-health/expectations.ts";
import { documentWiring, documentWriteDeps } from "#wiring/documents.ts";

const wiring = documentWiring({ bytes: false });
const { cityId, hub, auditor } = wiring;
const deps = documentWriteDeps(wiring);

export const handler = httpHandler(async (_event, request) => {
  const { hospitalId } = request.caller!;
  const template = {
    action: "C" as const,
    interaction: "create" as const,
    hospitalId,
    practitionerId: practitionerHeader(request.headers),
    patients: namedPatients(request, "Encounter"),
    resource: "Encounter",
  };
  return auditor.audited(template, async () => {
    await actingPractitioner(hub, request.headers, hospitalId, true);
    const encounter = request.body(encounterSchema);
    const result = await recordEncounter(deps, cityId, hospitalId, encounter);
    await expectCaseReports(hub, hospitalId, { ...encounter, id: String(result.resource.id) }, result.empi);
    return {
      value: { statusCode: result.statusCode, body: result.resource, headers: { location: `Encounter/${String(result.resource.id)}` } },
      patients: [...template.patients, empiIdentifier(result.empi)],
    };
  });
});
