/**
 * Writes to the registry. Operator API: POST/PUT Organization and Location (facilities); PUT
 * Practitioner/{id} (correct or deactivate a practitioner); POST PractitionerRole/{id}/$approve and
 * $reject (multi-site practice awaiting the operator). Internal API (IAM: only city nodes): POST
 * Practitioner, POST PractitionerRole, PUT PractitionerRole/{id} on behalf of the hospital the city
 * names in x-hhc-hospital (from its authorizer), which must be a hospital of the calling city (its IAM
 * identity; else 403, audited: docs/node-identity.md). Staff writes and the operator's practitioner
 * decisions leave one hub AuditEvent each, refusals included.
 */
import type { AccessDescription } from "#domain/audit.ts";
import { BadRequestError, isRefusal } from "#domain/errors.ts";
import { ACTING_HOSPITAL_HEADER } from "#schemas/internal.ts";
import { locationSchema, organizationSchema, practitionerRoleSchema, practitionerSchema } from "#schemas/registry.ts";
import { type HttpRequest, type HttpResult, httpHandler } from "#shared/http.ts";
import { recordHubAccess } from "#use-cases/audit.ts";
import { actingFor } from "#use-cases/node-identity.ts";
import { createLocation, createOrganization, updateLocation, updateOrganization } from "#use-cases/registry/facilities.ts";
import { correctPractitioner, decideRole, registerPractitioner, registerRole, updateRole } from "#use-cases/registry/staff.ts";
import { nodeIdentityDeps } from "#wiring/node-identity.ts";
import { registryWriteWiring } from "#wiring/registry.ts";
import { header, registryRoute, written } from "./registry-http.ts";

const { store, auditRepository } = registryWriteWiring();
const identity = nodeIdentityDeps();

/** Runs a staff write and records one AuditEvent for it at the hub, success or refusal */
async function audited(access: Omit<AccessDescription, "result" | "node" | "patients">, write: () => Promise<HttpResult>) {
  const base = { ...access, node: "hub", patients: [] };
  let result: HttpResult;
  try {
    result = await write();
  } catch (error) {
    if (isRefusal(error)) await recordHubAccess(auditRepository, { ...base, result: "refused", detail: (error as Error).message });
    throw error;
  }
  await recordHubAccess(auditRepository, { ...base, result: "success" });
  return result;
}

const DECISION = /^\/fhir\/PractitionerRole\/\{id\}\/\$(approve|reject)$/;

export const handler = httpHandler(async (_event, request: HttpRequest) => {
  const decision = DECISION.exec(request.route)?.[1];
  if (decision) {
    const id = request.pathParameters.id!;
    return audited(
      { action: "U", interaction: "operation", operator: true, resource: `PractitionerRole/${id}`, query: `$${decision}` },
      async () => written(await decideRole(store, id, decision === "approve" ? "approved" : "rejected")),
    );
  }
  const { type, id, internal } = registryRoute(request);
  const ifMatch = header(request, "if-match");
  if (!internal && type === "Organization") {
    const body = request.body(organizationSchema);
    return written(id ? await updateOrganization(store, id, body, ifMatch) : await createOrganization(store, body));
  }
  if (!internal && type === "Location") {
    const body = request.body(locationSchema);
    return written(id ? await updateLocation(store, id, body, ifMatch) : await createLocation(store, body));
  }
  if (!internal && type === "Practitioner" && id)
    return audited({ action: "U", interaction: "update", operator: true, resource: `Practitioner/${id}` }, async () =>
      written(await correctPractitioner(store, id, request.body(practitionerSchema), ifMatch)),
    );
  const named = header(request, ACTING_HOSPITAL_HEADER);
  if (!internal || !named)
    throw new BadRequestError(`${ACTING_HOSPITAL_HEADER}: staff are written through a city node, for its hospital`, ACTING_HOSPITAL_HEADER);
  // the calling city's own hospital only (refusals audited by actingFor)
  const { hospitalId } = await actingFor(identity, request, named);
  const access = {
    action: id ? ("U" as const) : ("C" as const),
    interaction: id ? ("update" as const) : ("create" as const),
    hospitalId,
    resource: id ? `${type}/${id}` : type,
  };
  if (type === "Practitioner")
    return audited(access, async () => written(await registerPractitioner(store, request.body(practitionerSchema))));
  return audited(access, async () => {
    const role = request.body(practitionerRoleSchema);
    return written(id ? await updateRole(store, hospitalId, id, role, ifMatch) : await registerRole(store, hospitalId, role));
  });
});
