/**
 * The department exchange's authorizer (docs/departments.md): admits a provincial department's member
 * credential (context `memberId`) and the operator's (context `principal: operator`); a hospital's is denied.
 */
import { allow, authorizerHandler, deny } from "#shared/authorizer.ts";
import { countRefusal } from "#shared/metrics.ts";
import { authenticateBearer } from "#wiring/authorizer.ts";
import { credentialStore } from "#wiring/credentials.ts";

const credentials = credentialStore();

export const handler = authorizerHandler(async (event) => {
  const principal = await authenticateBearer(credentials, event.headers);
  if (principal.kind === "member") return allow(principal.memberId, event.methodArn, { memberId: principal.memberId });
  if (principal.kind === "operator") return allow("operator", event.methodArn, { principal: "operator" });
  // a hospital: counted with the credentials an API does not admit
  countRefusal("not-operator");
  return deny(principal.hospitalId, event.methodArn, "The department exchange admits members' credentials and the operator's only");
});
