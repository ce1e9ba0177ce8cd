/**
 * API Gateway's own answers (no handler ran), as FHIR OperationOutcomes. The CDK sets them as
 * gateway responses on every API; the local gateway answers with the same bodies.
 * `$context.authorizer.reason` is filled from the authorizer's context.
 */
export interface GatewayResponseDeclaration {
  type: "UNAUTHORIZED" | "ACCESS_DENIED" | "THROTTLED" | "MISSING_AUTHENTICATION_TOKEN" | "DEFAULT_5XX";
  statusCode: number;
  bodyTemplate: string;
}

const outcome = (code: string, diagnostics: string, expression?: string): string =>
  JSON.stringify({
    resourceType: "OperationOutcome",
    issue: [{ severity: "error", code, diagnostics, ...(expression ? { expression: [expression] } : {}) }],
  });

export const GATEWAY_RESPONSES: GatewayResponseDeclaration[] = [
  {
    type: "UNAUTHORIZED",
    statusCode: 401,
    bodyTemplate: outcome("login", "Missing or invalid credential: send Authorization: Bearer <credential>", "Authorization"),
  },
  { type: "ACCESS_DENIED", statusCode: 403, bodyTemplate: outcome("forbidden", "$context.authorizer.reason", "Authorization") },
  { type: "THROTTLED", statusCode: 429, bodyTemplate: outcome("throttled", "Too many requests from this caller; retry with backoff") },
  // API Gateway answers an unknown route with MISSING_AUTHENTICATION_TOKEN; we make it a plain 404
  { type: "MISSING_AUTHENTICATION_TOKEN", statusCode: 404, bodyTemplate: outcome("not-found", "No such route on this node") },
  { type: "DEFAULT_5XX", statusCode: 502, bodyTemplate: outcome("transient", "The node could not answer; retry later") },
];
