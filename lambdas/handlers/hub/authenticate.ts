/** Internal API, POST /internal/authenticate: a city authorizer asks who a credential names. */
import { dynamoCredentialStore } from "#adapters/credential-store.ts";
import { authenticateRequestSchema } from "#schemas/auth.ts";
import { tableName } from "#shared/env.ts";
import { UnauthorizedError } from "#shared/errors.ts";
import { httpHandler, parseJsonBody } from "#shared/http.ts";
import { authenticate } from "#use-cases/authenticate.ts";

const credentials = dynamoCredentialStore(tableName("Credentials"));

export const handler = httpHandler(async (event) => {
  const { credential } = parseJsonBody(event, authenticateRequestSchema);
  const principal = await authenticate(credentials, credential);
  if (!principal) throw new UnauthorizedError("Unknown, revoked or malformed credential");
  return { statusCode: 200, body: { principal }, headers: { "content-type": "application/json" } };
});
