/**
 * API Gateway, locally: one HTTP server for the whole province. `/hub/…` is the hub's APIs,
 * `/cities/<cityId>/…` a city's. Routes, authorizers, IAM routes, throttling and gateway
 * responses come from the node declarations, and requests reach handlers as REST API
 * (payload v1) proxy events.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import type { APIGatewayAuthorizerResult, APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import { GATEWAY_RESPONSE_HEADERS, GATEWAY_RESPONSES, type GatewayResponseType } from "#lib/declaration/gateway-responses.ts";
import type { ApiAuth, ApiDeclaration, RouteDeclaration } from "#lib/declaration/types.ts";
import { clock } from "#shared/clock.ts";
import { CLOCK_PATH } from "./clock.ts";
import { LOCAL_ACCOUNT, type LocalIdentities, type LocalIdentity, verifySignature } from "./identities.ts";
import type { LocalFunction } from "./runtime.ts";
import { Throttle } from "./throttle.ts";

export interface GatewayNode {
  nodeId: string;
  /** URL prefix: "/hub" or "/cities/<cityId>" */
  prefix: string;
  apis: ApiDeclaration[];
  functions: Map<string, LocalFunction>;
}

/** Payload limit of a synchronous Lambda invocation */
const MAX_BODY_BYTES = 6 * 1024 * 1024;
const TEXT_TYPES = /^(application\/(fhir\+)?json|application\/(fhir\+)?xml|text\/|application\/x-www-form-urlencoded)/i;

/** API Gateway's answer of a type, as the CDK declares it (lib/declaration/gateway-responses.ts) */
function gatewayResponse(type: GatewayResponseType, reason = ""): APIGatewayProxyResult {
  const decl = GATEWAY_RESPONSES.find((r) => r.type === type)!;
  const body = decl.bodyTemplate.replace("$context.authorizer.reason", reason.replace(/["\\]/g, ""));
  const headers = Object.fromEntries(Object.entries(GATEWAY_RESPONSE_HEADERS).map(([k, v]) => [k.toLowerCase(), v.slice(1, -1)]));
  return { statusCode: decl.statusCode ?? 400, headers, body };
}

const outcome = (statusCode: number, code: string, diagnostics: string): APIGatewayProxyResult => ({
  statusCode,
  headers: { "content-type": "application/fhir+json" },
  body: JSON.stringify({ resourceType: "OperationOutcome", issue: [{ severity: "error", code, diagnostics }] }),
});

/**
 * Node's HTTP parser refuses a request whose URL holds raw non-ASCII characters (Chinese in a query
 * string) before any handler sees it; answer that with a FHIR 400 that says what to do, not a bare one.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
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

/** The declared route a request's method and path (below the node's prefix) match, with its path parameters */
export function matchRoute(apis: ApiDeclaration[], method: string, path: string) {
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

/** `usageIdentifierKey`: the caller's API key the authorizer named (its usage plan's throttle applies to that key) */
type AuthorizerAnswer = { response: APIGatewayProxyResult } | { context: Record<string, string>; usageIdentifierKey?: string };

export class LocalGateway {
  private server?: Server;
  private closing = false;
  private readonly throttles = new Map<string, Throttle>();
  /** Credentials refused at the authorizers, per node (CloudWatch's CredentialRefused, locally) */
  readonly refusals = new Map<string, { unauthorized: number; denied: number }>();
  ready = false;

  constructor(
    private readonly nodes: GatewayNode[],
    private readonly log: (line: string) => void,
    private readonly staticRoutes: Map<string, (req: IncomingMessage, res: ServerResponse) => void> = new Map(),
    /**
     * API Gateway caches authorizer answers for 60 s (lib/constructs/node-api.ts). Locally the
     * default is 0 — a revoked credential is refused at once — and HHC_AUTHORIZER_CACHE_SECONDS=60
     * reproduces AWS.
     */
    private readonly authorizerCacheSeconds = 0,
    /** The functions' IAM credentials, against which IAM routes verify SigV4 signatures (docs/node-identity.md) */
    private readonly identities?: LocalIdentities,
  ) {}

  /** A node that joins while the gateway runs (a city added to the running province) */
  addNode(node: GatewayNode): void {
    if (this.nodes.some((n) => n.nodeId === node.nodeId || n.prefix === node.prefix))
      throw new Error(`node ${node.nodeId} is already served`);
    this.nodes.push(node);
  }

  async listen(port: number): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: Error) => {
        this.log(`gateway: ${error.stack ?? error.message}`);
        if (!res.headersSent) this.send(res, gatewayResponse("DEFAULT_5XX"));
      });
    });
    this.server.keepAliveTimeout = 5000;
    this.server.on("clientError", answerClientError);
    await new Promise<void>((resolve, reject) => {
      this.server!.once("error", reject);
      this.server!.listen(port, "127.0.0.1", () => resolve());
    });
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /**
   * Stops listening; answers still being written end their connection, and connections that stay
   * busy (a client reusing a kept-alive socket) are cut after a short grace period.
   */
  async close(): Promise<void> {
    if (!this.server) return;
    this.closing = true;
    const closed = new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server.closeIdleConnections();
    const cut = setTimeout(() => this.server?.closeAllConnections(), 2000);
    await closed;
    clearTimeout(cut);
  }

  private send(res: ServerResponse, result: APIGatewayProxyResult): void {
    const body = result.isBase64Encoded ? Buffer.from(result.body, "base64") : Buffer.from(result.body ?? "");
    res.writeHead(result.statusCode, {
      ...(result.headers as Record<string, string>),
      "content-length": String(body.length),
      ...(this.closing ? { connection: "close" } : {}),
    });
    res.end(body);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://local");
    const staticRoute = this.staticRoutes.get(url.pathname);
    // the province's own pages are GET only, but for the clock (POST advances it; it answers any method)
    if (staticRoute && (req.method === "GET" || url.pathname === CLOCK_PATH)) return staticRoute(req, res);
    const node = this.nodes.find((n) => url.pathname === n.prefix || url.pathname.startsWith(`${n.prefix}/`));
    if (!node) return this.send(res, gatewayResponse("MISSING_AUTHENTICATION_TOKEN"));
    const path = url.pathname.slice(node.prefix.length) || "/";
    const matched = matchRoute(node.apis, req.method ?? "GET", path);
    if (!matched) return this.send(res, gatewayResponse("MISSING_AUTHENTICATION_TOKEN"));
    if (!this.ready) return this.send(res, outcome(503, "transient", "The node is starting (seeding); retry shortly"));
    const body = await readBody(req);
    if (body === undefined) return this.send(res, gatewayResponse("REQUEST_TOO_LARGE"));
    this.send(res, await this.dispatch(node, matched, req, url, path, body));
  }

  private async dispatch(
    node: GatewayNode,
    matched: NonNullable<ReturnType<typeof matchRoute>>,
    req: IncomingMessage,
    url: URL,
    path: string,
    body: Buffer,
  ): Promise<APIGatewayProxyResult> {
    const { api, route, pathParameters } = matched;
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : (v ?? "")]));
    const apiId = `${node.nodeId}-${api.id.toLowerCase()}`;
    const methodArn = `arn:aws-cn:execute-api:cn-north-1:000000000000:${apiId}/local/${route.method}${route.path}`;
    const auth: ApiAuth = route.auth ?? api.defaultAuth;
    let authorizer: Record<string, string> | undefined;
    let caller = req.socket.remoteAddress ?? "unknown";
    if (auth.kind === "lambda") {
      if (!headers.authorization) return this.refused(node.nodeId, gatewayResponse("UNAUTHORIZED"));
      const result = await this.authorize(node, auth.authorizer, {
        type: "REQUEST",
        methodArn,
        headers,
        path,
        httpMethod: route.method,
        resource: route.path,
      });
      if ("response" in result) return this.refused(node.nodeId, result.response);
      authorizer = result.context;
      // like a usage plan: one token bucket per API key when the authorizer names one, else per principal
      caller = result.usageIdentifierKey ? `key:${result.usageIdentifierKey}` : (result.context.principalId ?? caller);
    }
    let identity: LocalIdentity | undefined;
    if (auth.kind === "iam") {
      const iam = await this.iamCaller(node, route, req, url, headers, body);
      if ("response" in iam) return iam.response;
      identity = iam.identity;
      caller = identity.accessKeyId;
    }
    const throttle = this.throttles.get(apiId) ?? new Throttle(api.throttle.rateLimit, api.throttle.burstLimit);
    this.throttles.set(apiId, throttle);
    if (!throttle.take(caller)) return gatewayResponse("THROTTLED");
    const fn = node.functions.get(route.function)!;
    const event = proxyEvent(
      route,
      path,
      req.method!,
      headers,
      url,
      pathParameters,
      body,
      isTextBody(api, headers, body),
      apiId,
      authorizer,
      identity,
    );
    try {
      return await fn.invoke<APIGatewayProxyResult>(event);
    } catch (error) {
      this.log(`${fn.name}: ${(error as Error).stack ?? error}`);
      return gatewayResponse("DEFAULT_5XX");
    }
  }

  /**
   * An IAM route, as API Gateway with IAM authorization and the hub internal API's resource policy
   * answer it: the SigV4 signature must be valid under a key this province issued (else 403, as AWS
   * answers an invalid signature); the caller must be a city function (the resource policy admits
   * role/hhc/city/* only), and the route must be one its declaration lists in `calls` (its role's grant).
   */
  private async iamCaller(
    node: GatewayNode,
    route: RouteDeclaration,
    req: IncomingMessage,
    url: URL,
    headers: Record<string, string>,
    body: Buffer,
  ): Promise<{ identity: LocalIdentity } | { response: APIGatewayProxyResult }> {
    const denied = (reason: string) => ({ response: { ...gatewayResponse("ACCESS_DENIED", reason), statusCode: 403 } });
    if (!/^AWS4-HMAC-SHA256 /.test(headers.authorization ?? "")) return denied("This route requires a SigV4-signed request");
    if (!this.identities) return denied("No IAM identities are known to this gateway");
    const check = await verifySignature(this.identities, { method: req.method ?? "GET", url, headers, body });
    if ("refused" in check) {
      this.log(`gateway: ${node.nodeId} ${route.method} ${route.path}: signature refused: ${check.refused}`);
      return denied(check.refused);
    }
    const { identity } = check;
    const action = `${route.method} ${route.path}`;
    const who = `${identity.nodeId}-${identity.declaration.id}`;
    if (identity.kind !== "city") return denied(`${who} is not a city node's role: not admitted by the API's resource policy`);
    if (!(identity.declaration.calls ?? []).includes(action)) {
      this.log(`gateway: ${who} may not invoke ${node.nodeId} ${action} (not in its declaration's calls)`);
      return denied(`${who} is not authorized to perform execute-api:Invoke on ${action}`);
    }
    return { identity };
  }

  private refused(nodeId: string, response: APIGatewayProxyResult): APIGatewayProxyResult {
    const counts = this.refusals.get(nodeId) ?? { unauthorized: 0, denied: 0 };
    if (response.statusCode === 401) counts.unauthorized++;
    if (response.statusCode === 403) counts.denied++;
    this.refusals.set(nodeId, counts);
    return response;
  }

  /** Authorizer answers per (node, authorizer, Authorization header), as API Gateway caches them */
  private readonly authorizerCache = new Map<string, { expires: number; answer: AuthorizerAnswer }>();
  /** Milliseconds spent in authorizers per request (0 for a cache hit), for bench/authorizer.ts */
  readonly authorizerTimings: number[] = [];

  private async authorize(
    node: GatewayNode,
    authorizerId: string,
    event: Record<string, unknown> & { headers: Record<string, string> },
  ): Promise<AuthorizerAnswer> {
    const started = performance.now();
    const key = `${node.nodeId}|${authorizerId}|${event.headers.authorization}`;
    const hit = this.authorizerCacheSeconds > 0 ? this.authorizerCache.get(key) : undefined;
    if (hit && hit.expires > clock.nowMs()) {
      this.authorizerTimings.push(performance.now() - started);
      return hit.answer;
    }
    const answer = await this.invokeAuthorizer(node, authorizerId, event);
    this.authorizerTimings.push(performance.now() - started);
    if (this.authorizerTimings.length > 100_000) this.authorizerTimings.splice(0, 50_000);
    // API Gateway caches Allow and Deny policies (not errors) for the TTL
    const cacheable = !("response" in answer) || answer.response.statusCode === 403;
    if (this.authorizerCacheSeconds > 0 && cacheable)
      this.authorizerCache.set(key, { expires: clock.nowMs() + this.authorizerCacheSeconds * 1000, answer });
    return answer;
  }

  private async invokeAuthorizer(node: GatewayNode, authorizerId: string, event: Record<string, unknown>): Promise<AuthorizerAnswer> {
    const fn = node.functions.get(authorizerId)!;
    let result: APIGatewayAuthorizerResult;
    try {
      result = await fn.invoke<APIGatewayAuthorizerResult>(event);
    } catch (error) {
      if ((error as Error).message === "Unauthorized") return { response: gatewayResponse("UNAUTHORIZED") };
      this.log(`${fn.name}: ${(error as Error).stack ?? error}`);
      return { response: { ...gatewayResponse("DEFAULT_5XX"), statusCode: 500 } };
    }
    const context = Object.fromEntries(Object.entries(result.context ?? {}).map(([k, v]) => [k, String(v)]));
    const allowed = result.policyDocument.Statement.some((s) => "Effect" in s && s.Effect === "Allow");
    if (!allowed) return { response: gatewayResponse("ACCESS_DENIED", context.reason ?? "Access denied") };
    return {
      context: { ...context, principalId: result.principalId },
      ...(result.usageIdentifierKey ? { usageIdentifierKey: result.usageIdentifierKey } : {}),
    };
  }
}

/** Like API Gateway: a body of a binary media type reaches the function base64-encoded, any other as text */
export const isTextBody = (api: ApiDeclaration, headers: Record<string, string>, body: Buffer): boolean =>
  body.length === 0 || (!api.binaryMediaTypes?.includes("*/*") && TEXT_TYPES.test(headers["content-type"] ?? "application/json"));

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

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
      requestId: randomUUID(),
      requestTimeEpoch: clock.nowMs(),
      resourceId: route.path,
      resourcePath: route.path,
    },
  };
}
