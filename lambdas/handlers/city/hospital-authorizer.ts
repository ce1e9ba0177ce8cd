/**
 * Hospital API authorizer: asks the hub (internal API, SigV4) who the credential names and
 * admits hospitals of this city only. The hub's answer is cached by API Gateway for 60 s.
 */
import type { APIGatewayRequestAuthorizerEvent } from "aws-lambda";
import { bearerToken } from "#domain/credentials.ts";
import { authenticateResponseSchema } from "#schemas/auth.ts";
import { allow, deny, UNAUTHORIZED } from "#shared/authorizer.ts";
import { discovery } from "#shared/discovery.ts";
import { nodeEnv } from "#shared/env.ts";
import { logger } from "#shared/logger.ts";
import { countRefusal } from "#shared/metrics.ts";
import { signedJsonPost } from "#shared/signed-fetch.ts";

const node = nodeEnv();
const nodes = discovery(node.ssmPrefix);

export const handler = async (event: APIGatewayRequestAuthorizerEvent) => {
  const credential = bearerToken(event.headers?.Authorization ?? event.headers?.authorization);
  if (!credential) {
    countRefusal("missing");
    throw new Error(UNAUTHORIZED);
  }
  const answer = await signedJsonPost(`${await nodes.hubInternalApiUrl()}/internal/authenticate`, { credential });
  if (answer.status === 401) {
    countRefusal("invalid");
    throw new Error(UNAUTHORIZED);
  }
  if (answer.status !== 200) {
    logger.error("hub authentication failed", { status: answer.status });
    throw new Error(`hub answered ${answer.status}`); // API Gateway answers 500; the FEP retries
  }
  const { principal } = authenticateResponseSchema.parse(answer.json);
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
  return allow(principal.hospitalId, event.methodArn, { hospitalId: principal.hospitalId, cityId: principal.cityId });
};
