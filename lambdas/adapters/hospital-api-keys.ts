/**
 * The ApiKeys adapter of this runtime: API Gateway in AWS; the SSM emulator's store in the local
 * province, which sets AWS_ENDPOINT_URL_SSM (lambdas/shared/aws.ts) and has no API Gateway to call.
 */
import { nodeEnv } from "#shared/env.ts";
import type { ApiKeys } from "../ports/api-keys.ts";
import { apiGatewayKeys } from "./api-gateway-keys.ts";
import { localApiKeys } from "./local-api-keys.ts";

export const hospitalApiKeys = (): ApiKeys => {
  const { ssmPrefix } = nodeEnv();
  return process.env.AWS_ENDPOINT_URL_SSM ? localApiKeys(ssmPrefix) : apiGatewayKeys(ssmPrefix);
};
