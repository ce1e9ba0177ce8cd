/**
 * Internal API, for the city nodes:
 *   POST /internal/authenticate         who a credential names (the city authorizers)
 *   POST /internal/practitioner-check   is X-Practitioner-Id an active practitioner of the calling hospital
 */
import { UnauthorizedError } from "#domain/errors.ts";
import { authenticateRequestSchema } from "#schemas/auth.ts";
import { practitionerCheckRequestSchema } from "#schemas/internal.ts";
import { httpRouter } from "#shared/http.ts";
import { authenticate } from "#use-cases/authenticate.ts";
import { checkPractitioner } from "#use-cases/registry/check-practitioner.ts";
import { credentialStore } from "#wiring/credentials.ts";
import { registryStore } from "#wiring/registry.ts";

const credentials = credentialStore();
const registry = registryStore();
const json = { "content-type": "application/json" };

export const handler = httpRouter({
  "POST /internal/practitioner-check": async (request) => {
    const { hospitalId, practitionerId } = request.body(practitionerCheckRequestSchema);
    return { statusCode: 200, body: await checkPractitioner(registry, hospitalId, practitionerId), headers: json };
  },
  "POST /internal/authenticate": async (request) => {
    const { credential } = request.body(authenticateRequestSchema);
    const principal = await authenticate(credentials, credential);
    if (!principal) throw new UnauthorizedError("Unknown, revoked, expired or malformed credential");
    return { statusCode: 200, body: { principal }, headers: json };
  },
});
