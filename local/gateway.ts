/**
 * API Gateway, locally: one HTTP server for the whole province. `/hub/…` is the hub's APIs,
 * `/cities/<cityId>/…` a city's. Routes, authorizers, IAM routes, throttling and gateway
 * responses come from the node declarations, and requests reach handlers as REST API
 * (payload v1) proxy events.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { APIGatewayAuthorizerResult, APIGatewayProxyResult } from "aws-lambda";
import type { ApiAuth, ApiDeclaration, RouteDeclaration } from "#lib/declaration/types.ts";
import { clock } from "#shared/clock.ts";
import { CLOCK_PATH } from "./clock.ts";
import { answerClientError, ERROR_TYPE_HEADER, gatewayResponse, outcome } from "./gateway-answers.ts";
import { type LocalIdentities, type LocalIdentity, verifySignature } from "./identities.ts";
import { isTextBody, matchRoute, proxyEvent } from "./proxy-event.ts";
import type { LocalFunction } from "./runtime.ts";
import { Throttle, throttleScale } from "./throttle.ts";

const THROTTLE_SCALE = throttleScale();

export interface GatewayNode {
  nodeId: string;
  /** URL prefix: "/hub" or "/cities/<cityId>" */
  prefix: string;
  apis: ApiDeclaration[];
  functions: Map<string, LocalFunction>;
}

/** Payload limit of a synchronous Lambda invocation */
const MAX_BODY_BYTES = 6 * 1024 * 1024;

/**
 * One line of a stage's access log, with the fields the CDK stage logs in AWS (lib/constructs/node-api.ts):
 * the only record of a request refused before any function ran (an authorizer's Deny, an IAM 403).
 */
export interface AccessLogRecord {
  requestId: string;
  requestTime: string;
  /** The node whose API answered ("hub", a city id) */
  node: string;
  /** The authorizer's principal (a hospital id, "operator"), also on a Deny */
  principalId?: string;
  /** The IAM caller (a node function's role ARN), once its signature verified */
  callerArn?: string;
  httpMethod: string;
  /** The declared route ("/fhir/Subscription/{id}"), or the path as sent when no route matched */
  resourcePath: string;
  status: number;
  /** The gateway response type when the gateway answered itself (ACCESS_DENIED, UNAUTHORIZED …) */
  errorType?: string;
}

/** Access-log lines kept in memory (the newest), as a CloudWatch log group keeps them for a year */
const ACCESS_LOG_LINES = 20_000;

/** `usageIdentifierKey`: the caller's API key the authorizer named (its usage plan's throttle applies to that key) */
type AuthorizerAnswer =
  | { response: APIGatewayProxyResult; principalId?: string }
  | { context: Record<string, string>; usageIdentifierKey?: string };

/** Who the gateway found behind a request, for its access-log line */
type Caller = { principalId?: string; callerArn?: string; resourcePath?: string };

export class LocalGateway {
  private server?: Server;
  private closing = false;
  private readonly throttles = new Map<string, Throttle>();
  /** Credentials refused at the authorizers, per node (CloudWatch's CredentialRefused, locally) */
  readonly refusals = new Map<string, { unauthorized: number; denied: number }>();
  /** The stages' access log, newest last (AccessLogRecord) */
  readonly accessLog: AccessLogRecord[] = [];
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

  /** Routes of the province's own (a reference node outside the declaration) under a path prefix, any method */
  private readonly mounts: [prefix: string, route: (req: IncomingMessage, res: ServerResponse, rest: string) => void][] = [];

  /** Serves every request under `prefix` (e.g. "/departments/") with `route`, given the path after the prefix */
  mount(prefix: string, route: (req: IncomingMessage, res: ServerResponse, rest: string) => void): void {
    this.mounts.push([prefix, route]);
  }

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
    // an idle kept-alive connection is the client's to close (fetch's undici after 4 s), as API Gateway
    // keeps them far longer: a server closing first races a client reusing the socket (ECONNRESET on a
    // busy machine, where the client's timer fires late), and fetch does not retry it
    this.server.keepAliveTimeout = 65_000;
    this.server.headersTimeout = 66_000;
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
    const mounted = this.mounts.find(([prefix]) => url.pathname.startsWith(prefix));
    if (mounted) return mounted[1](req, res, url.pathname.slice(mounted[0].length));
    const node = this.nodes.find((n) => url.pathname === n.prefix || url.pathname.startsWith(`${n.prefix}/`));
    if (!node) return this.send(res, gatewayResponse("MISSING_AUTHENTICATION_TOKEN"));
    const path = url.pathname.slice(node.prefix.length) || "/";
    const requestId = randomUUID();
    const requestTime = clock.isoNow();
    const caller: Caller = {};
    const answer = await this.answer(node, req, url, path, requestId, caller);
    this.logAccess({
      requestId,
      requestTime,
      node: node.nodeId,
      ...(caller.principalId ? { principalId: caller.principalId } : {}),
      ...(caller.callerArn ? { callerArn: caller.callerArn } : {}),
      httpMethod: req.method ?? "GET",
      resourcePath: caller.resourcePath ?? path,
      status: answer.statusCode,
      ...(answer.headers?.[ERROR_TYPE_HEADER] ? { errorType: String(answer.headers[ERROR_TYPE_HEADER]) } : {}),
    });
    // as API Gateway: every answer names its request, which the access log and the function's logs name too
    this.send(res, { ...answer, headers: { ...answer.headers, "x-amzn-requestid": requestId } });
  }

  private async answer(
    node: GatewayNode,
    req: IncomingMessage,
    url: URL,
    path: string,
    requestId: string,
    caller: Caller,
  ): Promise<APIGatewayProxyResult> {
    const matched = matchRoute(node.apis, req.method ?? "GET", path);
    if (!matched) return gatewayResponse("MISSING_AUTHENTICATION_TOKEN");
    caller.resourcePath = matched.route.path;
    if (!this.ready) return outcome(503, "transient", "The node is starting (seeding); retry shortly");
    const body = await readBody(req);
    if (body === undefined) return gatewayResponse("REQUEST_TOO_LARGE");
    return this.dispatch(node, matched, req, url, path, body, requestId, caller);
  }

  private logAccess(record: AccessLogRecord): void {
    this.accessLog.push(record);
    if (this.accessLog.length > ACCESS_LOG_LINES) this.accessLog.splice(0, this.accessLog.length - ACCESS_LOG_LINES);
  }

  private async dispatch(
    node: GatewayNode,
    matched: NonNullable<ReturnType<typeof matchRoute>>,
    req: IncomingMessage,
    url: URL,
    path: string,
    body: Buffer,
    requestId: string,
    who: Caller,
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
      if ("response" in result) {
        if (result.principalId) who.principalId = result.principalId;
        return this.refused(node.nodeId, result.response);
      }
      authorizer = result.context;
      who.principalId = result.context.principalId;
      // like a usage plan: one token bucket per API key when the authorizer names one, else per principal
      caller = result.usageIdentifierKey ? `key:${result.usageIdentifierKey}` : (result.context.principalId ?? caller);
    }
    let identity: LocalIdentity | undefined;
    if (auth.kind === "iam") {
      const iam = await this.iamCaller(node, route, req, url, headers, body);
      if (iam.callerArn) who.callerArn = iam.callerArn;
      if ("response" in iam) return iam.response;
      identity = iam.identity;
      caller = identity.accessKeyId;
    }
    const throttle =
      this.throttles.get(apiId) ?? new Throttle(api.throttle.rateLimit * THROTTLE_SCALE, api.throttle.burstLimit * THROTTLE_SCALE);
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
      requestId,
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
  ): Promise<{ identity: LocalIdentity; callerArn: string } | { response: APIGatewayProxyResult; callerArn?: string }> {
    const denied = (reason: string, callerArn?: string) => ({
      response: { ...gatewayResponse("ACCESS_DENIED", reason), statusCode: 403 },
      ...(callerArn ? { callerArn } : {}),
    });
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
    if (identity.kind !== "city")
      return denied(`${who} is not a city node's role: not admitted by the API's resource policy`, identity.userArn);
    if (!(identity.declaration.calls ?? []).includes(action)) {
      this.log(`gateway: ${who} may not invoke ${node.nodeId} ${action} (not in its declaration's calls)`);
      return denied(`${who} is not authorized to perform execute-api:Invoke on ${action}`, identity.userArn);
    }
    return { identity, callerArn: identity.userArn };
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
    if (!allowed) return { response: gatewayResponse("ACCESS_DENIED", context.reason ?? "Access denied"), principalId: result.principalId };
    return {
      context: { ...context, principalId: result.principalId },
      ...(result.usageIdentifierKey ? { usageIdentifierKey: result.usageIdentifierKey } : {}),
    };
  }
}

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
