/**
 * Lambda REQUEST authorizer results. The policy covers the whole API stage so that API Gateway's
 * cache (keyed on the Authorization header) serves every route; a Deny carries the reason that
 * the ACCESS_DENIED gateway response puts in its OperationOutcome.
 */
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from "aws-lambda";
import { logger } from "./logger.ts";

/** Thrown with exactly this message, API Gateway answers 401 (the UNAUTHORIZED gateway response). */
export const UNAUTHORIZED = "Unauthorized";

const stageWide = (methodArn: string): string => {
  const [arnPrefix, apiId, stage] = methodArn.split("/");
  return `${arnPrefix}/${apiId}/${stage}/*/*`;
};

const policy = (
  principalId: string,
  effect: "Allow" | "Deny",
  methodArn: string,
  context: Record<string, string>,
  usageIdentifierKey?: string,
): APIGatewayAuthorizerResult => ({
  principalId,
  policyDocument: { Version: "2012-10-17", Statement: [{ Action: "execute-api:Invoke", Effect: effect, Resource: stageWide(methodArn) }] },
  context,
  ...(usageIdentifierKey ? { usageIdentifierKey } : {}),
});

/** `usageIdentifierKey`: the caller's API key, which API Gateway throttles by its usage plan (key source AUTHORIZER) */
export const allow = (principalId: string, methodArn: string, context: Record<string, string>, usageIdentifierKey?: string) =>
  policy(principalId, "Allow", methodArn, context, usageIdentifierKey);
export const deny = (principalId: string, methodArn: string, reason: string) => policy(principalId, "Deny", methodArn, { reason });

/** An authorizer with the Lambda context in every log line; a thrown UNAUTHORIZED is API Gateway's 401. */
export function authorizerHandler(authorize: (event: APIGatewayRequestAuthorizerEvent) => Promise<APIGatewayAuthorizerResult>) {
  return middy<APIGatewayRequestAuthorizerEvent, APIGatewayAuthorizerResult>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(authorize);
}
