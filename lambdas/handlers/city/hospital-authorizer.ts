/**
 * Hospital API authorizer: asks the hub (internal API, SigV4) who the credential names and
 * admits hospitals of this city only. The hub's answer is cached by API Gateway for 60 s.
 */
import { hospitalApiKeyValue } from "#domain/api-keys.ts";
import { bearerToken } from "#domain/credentials.ts";
import { allow, authorizerHandler, deny, UNAUTHORIZED } from "#shared/authorizer.ts";
import { countRefusal } from "#shared/metrics.ts";
import { cityNode } from "#wiring/city.ts";

const { node, hub } = cityNode();

export const handler = authorizerHandler(async (event) => {
  const credential = bearerToken(event.headers?.Authorization ?? event.headers?.authorization);
  if (!credential) {
    countRefusal("missing");
    throw new Error(UNAUTHORIZED);
  }
  // a hub failure throws: API Gateway answers 500 and the FEP retries
  const principal = await hub.authenticate(credential);
  if (!principal) {
    countRefusal("invalid");
    throw new Error(UNAUTHORIZED);
  }
  if (principal.kind !== "hospital") {
    countRefusal("operator-as-hospital");
    return deny("operator", event.methodArn, "The operator credential cannot act as a hospital");
  }
  if (principal.cityId !== node.nodeId) {
    countRefusal("wrong-city");
    return deny(
      principal.hospitalId,
      event.methodArn,
      `Hospital ${principal.hospitalId} belongs to the ${principal.cityId} city node, not ${node.nodeId}`,
    );
  }
  return allow(
    principal.hospitalId,
    event.methodArn,
    { hospitalId: principal.hospitalId, cityId: principal.cityId },
    hospitalApiKeyValue(principal.hospitalId),
  );
});
