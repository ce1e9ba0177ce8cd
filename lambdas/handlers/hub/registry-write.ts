/**
 * Writes to the registry. Operator API: POST/PUT Organization and Location (facilities). Internal
 * API (IAM: only city nodes): POST Practitioner, POST PractitionerRole, PUT PractitionerRole/{id} on
 * behalf of the hospital the city names in x-hhc-hospital (from its authorizer), which must be a hospital
 * of the calling city (its IAM identity; else 403, audited: docs/node-identity.md).
 */
import { BadRequestError } from "#domain/errors.ts";
import { ACTING_HOSPITAL_HEADER } from "#schemas/internal.ts";
import { locationSchema, organizationSchema, practitionerRoleSchema, practitionerSchema } from "#schemas/registry.ts";
import { httpHandler } from "#shared/http.ts";
import { actingFor } from "#use-cases/node-identity.ts";
import { createLocation, createOrganization, updateLocation, updateOrganization } from "#use-cases/registry/facilities.ts";
import { registerPractitioner, registerRole, updateRole } from "#use-cases/registry/staff.ts";
import { nodeIdentityDeps } from "#wiring/node-identity.ts";
import { registryStore } from "#wiring/registry.ts";
import { header, registryRoute, written } from "./registry-http.ts";

const store = registryStore();
const identity = nodeIdentityDeps();

export const handler = httpHandler(async (_event, request) => {
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
  const named = header(request, ACTING_HOSPITAL_HEADER);
  if (!internal || !named)
    throw new BadRequestError(`${ACTING_HOSPITAL_HEADER}: staff are written through a city node, for its hospital`, ACTING_HOSPITAL_HEADER);
  const { hospitalId } = await actingFor(identity, request, named);
  if (type === "Practitioner") return written(await registerPractitioner(store, request.body(practitionerSchema)));
  const role = request.body(practitionerRoleSchema);
  return written(id ? await updateRole(store, hospitalId, id, role, ifMatch) : await registerRole(store, hospitalId, role));
});
