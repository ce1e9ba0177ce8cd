/**
 * POST /fhir/Encounter: records (or updates, by its identifier) an encounter for the resident's EHR
 * timeline, docs/documents.md. Requires X-Practitioner-Id; exactly one AuditEvent per request.
 */
import { documentWiring, empiIdentifier, namedSubject } from "#adapters/document-wiring.ts";
import { encounterSchema } from "#schemas/documents.ts";
import { httpHandler, parseJsonBody } from "#shared/http.ts";
import { actingPractitioner, practitionerHeader } from "#shared/practitioner-guard.ts";
import { recordEncounter } from "#use-cases/documents/encounters.ts";

const { cityId, hub, auditor, writeDeps } = documentWiring({ bytes: false });
const deps = writeDeps();

export const handler = httpHandler(async (event, http) => {
  const { hospitalId } = http.caller!;
  const template = {
    action: "C" as const,
    interaction: "create" as const,
    hospitalId,
    practitionerId: practitionerHeader(http.headers),
    patients: namedSubject(event.body, "Encounter"),
    resource: "Encounter",
  };
  return auditor.audited(template, async () => {
    await actingPractitioner(hub, http.headers, hospitalId, true);
    const encounter = parseJsonBody(event, encounterSchema);
    const result = await recordEncounter(deps, cityId, hospitalId, encounter);
    return {
      value: { statusCode: result.statusCode, body: result.resource, headers: { location: `Encounter/${String(result.resource.id)}` } },
      patients: [...template.patients, empiIdentifier(result.empi)],
    };
  });
});
