/**
 * Is a practitioner acting for a hospital? (POST /internal/practitioner-check, on every clinical read.)
 * Input: the hospital and the X-Practitioner-Id it sent. Output: active with the role codes the
 * practitioner holds there, or not active with the reason.
 * Primary course: one strongly consistent read of the practitioner's record (its roles are stored
 * with it): the practitioner exists and is active, and has a role in force at the hospital.
 */

import { roleCodeOf } from "#domain/registry/practitioners.ts";
import { type Practitioner, referencedId, referenceTo, roleInForce } from "#domain/registry/resources.ts";
import type { RegistryStore } from "#ports/registry.ts";
import { FHIR_ID } from "#schemas/fhir.ts";
import type { PractitionerCheckResponse } from "#schemas/internal.ts";
import { clock } from "#shared/clock.ts";

export async function checkPractitioner(
  store: RegistryStore,
  hospitalId: string,
  practitionerId: string,
  now = clock.now(),
): Promise<PractitionerCheckResponse> {
  if (!FHIR_ID.test(practitionerId)) return { active: false, reason: "not a practitioner id" };
  const record = await store.get(referenceTo("Practitioner", practitionerId));
  if (!record) return { active: false, reason: `no practitioner ${practitionerId} in the registry` };
  if ((record.resource as Practitioner).active === false) return { active: false, reason: `practitioner ${practitionerId} is not active` };
  const roles = record.roles.filter((r) => referencedId(r.organization.reference, "Organization") === hospitalId && roleInForce(r, now));
  if (roles.length === 0) return { active: false, reason: `practitioner ${practitionerId} has no active role at ${hospitalId}` };
  return { active: true, practitionerId, roles: [...new Set(roles.map(roleCodeOf))] };
}
