/**
 * Internal API, for the city nodes:
 *   POST /internal/authenticate         who a credential names (the city authorizers)
 *   POST /internal/practitioner-check   is X-Practitioner-Id an active practitioner of the calling hospital
 */
import { dynamoCredentialStore } from "#adapters/credential-store.ts";
import { dynamoRegistryStore } from "#adapters/registry-store.ts";
import { UnauthorizedError } from "#domain/errors.ts";
import { authenticateRequestSchema } from "#schemas/auth.ts";
import { practitionerCheckRequestSchema } from "#schemas/internal.ts";
import { tableName } from "#shared/env.ts";
import { httpHandler, parseJsonBody } from "#shared/http.ts";
import { authenticate } from "#use-cases/authenticate.ts";
import { checkPractitioner } from "#use-cases/registry/check-practitioner.ts";

const credentials = dynamoCredentialStore(tableName("Credentials"));
const registry = dynamoRegistryStore(tableName("Registry"), tableName("RegistryIndex"));
const json = { "content-type": "application/json" };

export const handler = httpHandler(async (event) => {
  if (event.resource === "/internal/practitioner-check") {
    const { hospitalId, practitionerId } = parseJsonBody(event, practitionerCheckRequestSchema);
    return { statusCode: 200, body: await checkPractitioner(registry, hospitalId, practitionerId), headers: json };
  }
  const { credential } = parseJsonBody(event, authenticateRequestSchema);
  const principal = await authenticate(credentials, credential);
  if (!principal) throw new UnauthorizedError("Unknown, revoked, expired or malformed credential");
  return { statusCode: 200, body: { principal }, headers: json };
});
