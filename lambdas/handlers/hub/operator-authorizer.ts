/** Operator API authorizer: admits the provincial operator credential only. */
import { allow, authorizerHandler, deny } from "#shared/authorizer.ts";
import { countRefusal } from "#shared/metrics.ts";
import { authenticateBearer } from "#wiring/authorizer.ts";
import { credentialStore } from "#wiring/credentials.ts";

const credentials = credentialStore();

export const handler = authorizerHandler(async (event) => {
  const principal = await authenticateBearer(credentials, event.headers);
  if (principal.kind !== "operator") {
    countRefusal("not-operator");
    const who = principal.kind === "member" ? principal.memberId : principal.hospitalId;
    return deny(who, event.methodArn, "This API admits the provincial operator credential only");
  }
  return allow("operator", event.methodArn, { principal: "operator" });
});
