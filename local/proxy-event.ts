/**
 * What API Gateway hands a route's function: the declared route a request matches, with its path
 * parameters, and the REST API (payload v1) proxy event. The local gateway (gateway.ts) and the
 * fuzzing's in-process requests (lib/harness/fuzz) build their events here, so both are alike.
 */
import type { APIGatewayProxyEvent } from "aws-lambda";
import type { ApiDeclaration, RouteDeclaration } from "#lib/declaration/types.ts";
import { clock } from "#shared/clock.ts";
import { LOCAL_ACCOUNT, type LocalIdentity } from "./identities.ts";

const TEXT_TYPES = /^(application\/(fhir\+)?json|application\/(fhir\+)?xml|text\/|application\/x-www-form-urlencoded)/i;

/**
 * A path parameter as API Gateway passes it: percent-decoded; malformed percent-encoding ("%E4%B8",
 * "%zz") is passed as sent, for the handler's edge to refuse (400 naming the parameter), never a 5xx.
 */
const decodePathParameter = (raw: string): string => {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
};

/**
 * The declared route a request's method and path (below the node's prefix) match, with its path
 * parameters. A path ending in "/" is the path without it (`[base]/` is `[base]`), as API Gateway's
 * REST APIs route it (docs/fhir-clients.md#trailing-slashes); the event keeps the path as sent.
 */
export function matchRoute(apis: ApiDeclaration[], method: string, sent: string) {
  const path = sent.length > 1 && sent.endsWith("/") ? sent.slice(0, -1) : sent;
  for (const api of apis) {
    for (const route of api.routes) {
      if (route.method !== method) continue;
      const names: string[] = [];
      const pattern = new RegExp(
        `^${route.path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{([^}]+)\}/g, (_, n: string) => {
          names.push(n);
          return "([^/]+)";
        })}$`,
      );
      const m = pattern.exec(path);
      if (m) return { api, route, pathParameters: Object.fromEntries(names.map((n, i) => [n, decodePathParameter(m[i + 1]!)])) };
    }
  }
  return undefined;
}

/** Like API Gateway: a body of a binary media type reaches the function base64-encoded, any other as text */
export const isTextBody = (api: ApiDeclaration, headers: Record<string, string>, body: Buffer): boolean =>
  body.length === 0 || (!api.binaryMediaTypes?.includes("*/*") && TEXT_TYPES.test(headers["content-type"] ?? "application/json"));

/** The REST API (payload v1) proxy event API Gateway sends the route's function (also the fuzzing's in-process requests) */
export function proxyEvent(
  route: RouteDeclaration,
  path: string,
  method: string,
  headers: Record<string, string>,
  url: URL,
  pathParameters: Record<string, string>,
  body: Buffer,
  isText: boolean,
  apiId: string,
  requestId: string,
  authorizer: Record<string, string> | undefined,
  iam?: LocalIdentity,
): APIGatewayProxyEvent {
  const query = [...url.searchParams.keys()];
  return {
    resource: route.path,
    path,
    httpMethod: method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: query.length ? Object.fromEntries(url.searchParams) : null,
    multiValueQueryStringParameters: query.length ? Object.fromEntries(query.map((k) => [k, url.searchParams.getAll(k)])) : null,
    pathParameters: Object.keys(pathParameters).length ? pathParameters : null,
    stageVariables: null,
    body: body.length ? body.toString(isText ? "utf8" : "base64") : null,
    isBase64Encoded: body.length > 0 && !isText,
    requestContext: {
      accountId: LOCAL_ACCOUNT,
      apiId,
      authorizer: authorizer ?? null,
      protocol: "HTTP/1.1",
      httpMethod: method,
      // as API Gateway fills it for an IAM-authorized caller (a Lambda role's session)
      identity: {
        sourceIp: "127.0.0.1",
        userAgent: headers["user-agent"] ?? null,
        ...(iam
          ? { accountId: LOCAL_ACCOUNT, accessKey: iam.accessKeyId, caller: iam.caller, user: iam.caller, userArn: iam.userArn }
          : {}),
      } as APIGatewayProxyEvent["requestContext"]["identity"],
      path,
      stage: "local",
      requestId,
      requestTimeEpoch: clock.nowMs(),
      resourceId: route.path,
      resourcePath: route.path,
    },
  };
}
