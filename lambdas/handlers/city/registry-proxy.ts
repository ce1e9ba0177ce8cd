/**
 * A city's registry routes: a hospital's searches and reads of the registry, and its own staff
 * (Practitioner, PractitionerRole), forwarded to the hub's internal API on behalf of the hospital
 * the authorizer admitted. Answers pass through unchanged (their links are relative to the FHIR base).
 * A present X-Practitioner-Id must name an active practitioner of that hospital (403 otherwise, audited
 * here; the hub audits the staff writes it refuses or makes).
 */
import { httpHandler } from "#shared/http.ts";
import { actingPractitioner, practitionerHeader } from "#shared/practitioner-guard.ts";
import { forwardRegistryRequest } from "#use-cases/registry/forward.ts";
import { cityAuditor } from "#wiring/audit.ts";
import { cityNode } from "#wiring/city.ts";

const { node, hub } = cityNode();
const auditor = cityAuditor(node);

/** The AuditEvent action of each declared method: searches and reads, staff created, roles updated */
const ACTIONS = {
  GET: { action: "R", interaction: "search-type" },
  POST: { action: "C", interaction: "create" },
  PUT: { action: "U", interaction: "update" },
} as const;

export const handler = httpHandler(async (_event, request) => {
  const hospital = request.caller;
  if (!hospital) throw new Error("the authorizer admitted no hospital"); // unreachable behind the authorizer
  const { action, interaction } = ACTIONS[request.method as keyof typeof ACTIONS] ?? ACTIONS.GET;
  const access = {
    action,
    interaction: interaction === "search-type" && request.pathParameters.id ? ("read" as const) : interaction,
    hospitalId: hospital.hospitalId,
    practitionerId: practitionerHeader(request.headers),
    query: `${request.method} ${request.path}`,
  };
  await auditor.refusals(access, () => actingPractitioner(hub, request.headers, hospital.hospitalId, false));
  return forwardRegistryRequest(hub, hospital.hospitalId, request);
});
