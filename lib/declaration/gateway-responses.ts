/**
 * API Gateway's own answers (no handler ran), as FHIR OperationOutcomes. The CDK sets them as
 * gateway responses on every API; the local gateway answers with the same bodies.
 *
 * Every type API Gateway can answer with is covered: the named ones below, and DEFAULT_4XX /
 * DEFAULT_5XX for the rest (a WAF block, a body over the payload limit, an expired signature…), so a
 * caller never reads API Gateway's bare `{"message": …}`. The defaults keep the status API Gateway
 * chose; `$context.error.messageString` is its message as a quoted JSON string.
 * `$context.authorizer.reason` is filled from the authorizer's context.
 */
export type GatewayResponseType =
  | "UNAUTHORIZED"
  | "ACCESS_DENIED"
  | "THROTTLED"
  | "MISSING_AUTHENTICATION_TOKEN"
  | "REQUEST_TOO_LARGE"
  | "WAF_FILTERED"
  | "DEFAULT_4XX"
  | "DEFAULT_5XX";

export interface GatewayResponseDeclaration {
  type: GatewayResponseType;
  /** Absent: API Gateway's own status for the error is kept (the DEFAULT_4XX family) */
  statusCode?: number;
  bodyTemplate: string;
}

/** API Gateway's message for the error, as a JSON string (a template variable, not a literal) */
export const ERROR_MESSAGE = "$context.error.messageString";

/** The headers every gateway response carries (values are API Gateway's quoted literals) */
export const GATEWAY_RESPONSE_HEADERS: Record<string, string> = {
  "Content-Type": "'application/fhir+json'",
  "X-Content-Type-Options": "'nosniff'",
};

/** An OperationOutcome body; `diagnostics` is either literal text or ERROR_MESSAGE */
function outcome(code: string, diagnostics: string, expression?: string): string {
  const text = diagnostics === ERROR_MESSAGE ? "__DIAGNOSTICS__" : diagnostics;
  const body = JSON.stringify({
    resourceType: "OperationOutcome",
    issue: [{ severity: "error", code, diagnostics: text, ...(expression ? { expression: [expression] } : {}) }],
  });
  return diagnostics === ERROR_MESSAGE ? body.replace('"__DIAGNOSTICS__"', ERROR_MESSAGE) : body;
}

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
  {
    type: "REQUEST_TOO_LARGE",
    statusCode: 413,
    bodyTemplate: outcome("too-costly", "Request bodies are limited to 6 MB; upload larger content to an upload URL"),
  },
  { type: "WAF_FILTERED", statusCode: 403, bodyTemplate: outcome("forbidden", "The request was refused by the node's firewall rules") },
  { type: "DEFAULT_4XX", bodyTemplate: outcome("invalid", ERROR_MESSAGE) },
  { type: "DEFAULT_5XX", statusCode: 502, bodyTemplate: outcome("transient", "The node could not answer; retry later") },
];
