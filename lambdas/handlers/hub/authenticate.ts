/**
 * Internal API, for the city nodes:
 *   POST /internal/authenticate         who a credential names (the city authorizers)
 *   POST /internal/practitioner-check   is X-Practitioner-Id an active practitioner of the calling hospital
 * Only a city node may ask (its IAM identity), and only about its own hospitals (403, audited: docs/node-identity.md).
 */
import { UnauthorizedError } from "#domain/errors.ts";
import { authenticateRequestSchema } from "#schemas/auth.ts";
import { practitionerCheckRequestSchema } from "#schemas/internal.ts";
import { httpRouter } from "#shared/http.ts";
import { authenticate } from "#use-cases/authenticate.ts";
import { actingFor, callingCity } from "#use-cases/node-identity.ts";
import { checkPractitioner } from "#use-cases/registry/check-practitioner.ts";
import { credentialStore } from "#wiring/credentials.ts";
import { nodeIdentityDeps } from "#wiring/node-identity.ts";
import { registryStore } from "#wiring/registry.ts";

const credentials = credentialStore();
const registry = registryStore();
const identity = nodeIdentityDeps();
const json = { "content-type": "application/json" };

export const handler = httpRouter({
  "POST /internal/practitioner-check": async (request) => {
    const { hospitalId, practitionerId } = request.body(practitionerCheckRequestSchema);
    await actingFor(identity, request, hospitalId, "hospitalId");
    return { statusCode: 200, body: await checkPractitioner(registry, hospitalId, practitionerId), headers: json };
  },
  "POST /internal/authenticate": async (request) => {
    // any credential, any city's: a hospital calling another city's node is refused by that city's authorizer
    await callingCity(identity, request);
    const { credential } = request.body(authenticateRequestSchema);
    const principal = await authenticate(credentials, credential);
    if (!principal) throw new UnauthorizedError("Unknown, revoked, expired or malformed credential");
    return { statusCode: 200, body: { principal }, headers: json };
  },
});
