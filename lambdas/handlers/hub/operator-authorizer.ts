/** Operator API authorizer: admits the provincial operator credential only. */
import { bearerToken } from "#domain/credentials.ts";
import { allow, authorizerHandler, deny, UNAUTHORIZED } from "#shared/authorizer.ts";
import { countRefusal } from "#shared/metrics.ts";
import { authenticate } from "#use-cases/authenticate.ts";
import { credentialStore } from "#wiring/credentials.ts";

const credentials = credentialStore();

export const handler = authorizerHandler(async (event) => {
  const principal = await authenticate(credentials, bearerToken(event.headers?.Authorization ?? event.headers?.authorization));
  if (!principal) {
    countRefusal("invalid");
    throw new Error(UNAUTHORIZED);
  }
  if (principal.kind !== "operator") {
    countRefusal("not-operator");
    return deny(principal.hospitalId, event.methodArn, "This API admits the provincial operator credential only");
  }
  return allow("operator", event.methodArn, { principal: "operator" });
});
