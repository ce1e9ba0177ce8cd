/**
 * The answers the local gateway makes itself, as API Gateway does: its gateway responses (as the CDK
 * declares them), a FHIR OperationOutcome, and the 400 for a request Node's HTTP parser refused.
 */
import type { Duplex } from "node:stream";
import type { APIGatewayProxyResult } from "aws-lambda";
import { GATEWAY_RESPONSE_HEADERS, GATEWAY_RESPONSES, type GatewayResponseType } from "#lib/declaration/gateway-responses.ts";

/** The header naming the gateway response type of an answer API Gateway made itself (its `x-amzn-ErrorType`) */
export const ERROR_TYPE_HEADER = "x-amzn-errortype";

/** API Gateway's answer of a type, as the CDK declares it (lib/declaration/gateway-responses.ts) */
export function gatewayResponse(type: GatewayResponseType, reason = ""): APIGatewayProxyResult {
  const decl = GATEWAY_RESPONSES.find((r) => r.type === type)!;
  const body = decl.bodyTemplate.replace("$context.authorizer.reason", reason.replace(/["\\]/g, ""));
  const headers = Object.fromEntries(Object.entries(GATEWAY_RESPONSE_HEADERS).map(([k, v]) => [k.toLowerCase(), v.slice(1, -1)]));
  return { statusCode: decl.statusCode ?? 400, headers: { ...headers, [ERROR_TYPE_HEADER]: type }, body };
}

export const outcome = (statusCode: number, code: string, diagnostics: string): APIGatewayProxyResult => ({
  statusCode,
  headers: { "content-type": "application/fhir+json" },
  body: JSON.stringify({ resourceType: "OperationOutcome", issue: [{ severity: "error", code, diagnostics }] }),
});

/**
 * Node's HTTP parser refuses a request whose URL holds raw non-ASCII characters (Chinese in a query
 * string) before any handler sees it; answer that with a FHIR 400 that says what to do, not a bare one.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable) return void socket.destroy();
  const invalidUrl = error.code === "HPE_INVALID_URL";
  const body = JSON.stringify({
    resourceType: "OperationOutcome",
    issue: [
      {
        severity: "error",
        code: invalidUrl ? "invalid" : "structure",
        // what the parser refused: the URL, the headers (too large), or the request's framing
        expression: [invalidUrl ? "url" : error.code === "HPE_HEADER_OVERFLOW" ? "headers" : "request"],
        diagnostics: invalidUrl
          ? "The URL holds characters that must be percent-encoded (RFC 3986): write name=%E4%BF%9D%E5%AE%9A, not name=保定 (node -p 'encodeURIComponent(\"保定\")', or curl -G --data-urlencode 'name=保定')"
          : `Malformed HTTP request: ${error.message}`,
      },
    ],
  });
  socket.end(
    `HTTP/1.1 400 Bad Request\r\nContent-Type: application/fhir+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
