/**
 * The HTTP edge of every API handler: a middy chain that turns typed errors into an
 * OperationOutcome with its status, parses bodies with zod, and reads the authorizer's principal.
 */

import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import type { z } from "zod";
import {
  BadRequestError,
  DomainError,
  type ErrorKind,
  GatewayTimeoutError,
  type Issue,
  MethodNotAllowedError,
  NotAcceptableError,
  NotFoundError,
  zodIssues,
} from "#domain/errors.ts";
import type { OperationOutcome } from "#schemas/fhir.ts";
import { FHIR_ID, FHIR_JSON } from "#schemas/fhir.ts";
import { type NodeCaller, nodeOfCaller } from "#schemas/node-identity.ts";
import { logger } from "./logger.ts";

export interface HttpResult {
  statusCode: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Bytes answered as they are (base64 through API Gateway), with their own content-type header */
  raw?: Buffer;
  /** Text answered as it is (an HTML page), with its own content-type header */
  text?: string;
}

const toResponse = (result: HttpResult): APIGatewayProxyResult =>
  result.raw
    ? { statusCode: result.statusCode, headers: result.headers ?? {}, body: result.raw.toString("base64"), isBase64Encoded: true }
    : result.text !== undefined
      ? { statusCode: result.statusCode, headers: result.headers ?? {}, body: result.text }
      : jsonResponse(result);

const jsonResponse = (result: HttpResult): APIGatewayProxyResult => ({
  statusCode: result.statusCode,
  headers: { ...(result.body === undefined ? {} : { "content-type": FHIR_JSON }), ...result.headers },
  body: result.body === undefined ? "" : JSON.stringify(result.body),
});

/** The one place a domain error's kind becomes an HTTP status. */
const STATUS_OF_KIND: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  "not-found": 404,
  "method-not-allowed": 405,
  "not-acceptable": 406,
  conflict: 409,
  gone: 410,
  "precondition-failed": 412,
  "too-large": 413,
  unprocessable: 422,
  "precondition-required": 428,
  upstream: 502,
  unavailable: 503,
  timeout: 504,
};

export const statusOf = (error: DomainError): number => STATUS_OF_KIND[error.kind];

/** The domain error of another node's refusal, relayed with the same status and issues. */
export function relayedError(status: number, issues: Issue[]): DomainError {
  const kind = (Object.entries(STATUS_OF_KIND).find(([, s]) => s === status)?.[0] ?? (status >= 500 ? "upstream" : "invalid")) as ErrorKind;
  return new DomainError(kind, issues);
}

export function outcomeOf(error: DomainError): OperationOutcome {
  return {
    resourceType: "OperationOutcome",
    issue: error.issues.map((i) => ({
      severity: "error",
      code: i.code,
      diagnostics: i.diagnostics,
      ...(i.expression ? { expression: [i.expression] } : {}),
    })),
  };
}

/**
 * What a handler reads of an API request, decoded and parsed once by the edge: the use cases below
 * the handler see plain values, never an API Gateway event.
 */
export interface HttpRequest {
  method: string;
  /** The declared route, e.g. "/fhir/DocumentReference/{id}" */
  route: string;
  /** The route with its (checked) path ids filled in, e.g. "/fhir/DocumentReference/d1" */
  path: string;
  pathParameters: Record<string, string>;
  /** Every value of every query parameter */
  query: Record<string, string[]>;
  /** Header names lower-cased */
  headers: Record<string, string>;
  /** The body text, decoded from base64 once (an API with binary media types passes every body base64) */
  rawBody: string | undefined;
  /** The body's JSON, parsed once; undefined without a body; invalid JSON is a 400 when read. */
  json(): unknown;
  /** The body parsed by `schema`: a missing, non-JSON or invalid body is a 400 naming the field. */
  body<S extends z.ZodType>(schema: S, prefix?: string): z.infer<S>;
  /** The hospital the authorizer admitted, or undefined on routes without a hospital credential */
  caller: { hospitalId: string; cityId: string } | undefined;
  /**
   * Who the member authorizer admitted (docs/departments.md): a provincial department (`memberId`) or the
   * operator; undefined on routes it does not guard
   */
  principal: { kind: "member"; memberId: string } | { kind: "operator" } | undefined;
  /** The IAM identity (user ARN) of a SigV4-signed caller on an IAM route */
  iamCaller: string | undefined;
  /** The province node behind the IAM caller (its role's name, in this API's account), if it is one (docs/node-identity.md) */
  node: NodeCaller | undefined;
  requestId: string;
}

const NO_JSON = Symbol("no-json");

function httpRequest(event: APIGatewayProxyEvent): HttpRequest {
  const rawBody = event.body ? (event.isBase64Encoded ? Buffer.from(event.body, "base64").toString("utf8") : event.body) : undefined;
  let parsed: unknown = NO_JSON;
  const json = (): unknown => {
    if (parsed !== NO_JSON) return parsed;
    if (rawBody === undefined || rawBody === "") {
      parsed = undefined;
      return parsed;
    }
    try {
      parsed = JSON.parse(rawBody);
    } catch {
      throw new BadRequestError([{ code: "structure", diagnostics: "The body is not valid JSON", expression: "body" }]);
    }
    return parsed;
  };
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) if (value !== undefined) headers[name.toLowerCase()] = value;
  const query: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(event.multiValueQueryStringParameters ?? {})) if (values) query[name] = values;
  for (const [name, value] of Object.entries(event.queryStringParameters ?? {}))
    if (value !== undefined && !query[name]) query[name] = [value];
  const pathParameters: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.pathParameters ?? {})) {
    if (value === undefined) continue;
    // every path id of every route is a FHIR id: nothing else reaches a key, a log line or a forwarded path
    if (!FHIR_ID.test(value)) throw new BadRequestError(`${name}: a path id is 1 to 64 of A-Z, a-z, 0-9, "-" and "." (FHIR id)`, name);
    pathParameters[name] = value;
  }
  return {
    method: event.httpMethod,
    route: event.resource,
    // the declared route with its checked ids, never the raw path as sent: what a proxy forwards
    path: event.resource ? event.resource.replace(/\{(\w+)\}/g, (_, name: string) => pathParameters[name] ?? "") : event.path,
    pathParameters,
    query,
    headers,
    rawBody,
    json,
    body<S extends z.ZodType>(schema: S, prefix?: string): z.infer<S> {
      const value = json();
      if (value === undefined)
        throw new BadRequestError([{ code: "required", diagnostics: "A JSON body is required", expression: "body" }]);
      const result = schema.safeParse(value);
      // an issue of the body as a whole (not an object, say) names the body
      if (!result.success) throw new BadRequestError(zodIssues(result.error, prefix).map((i) => ({ expression: "body", ...i })));
      return result.data;
    },
    caller: callingHospital(event),
    principal: principalOf(event),
    iamCaller: event.requestContext?.identity?.userArn ?? undefined,
    node: nodeOfCaller(event.requestContext?.identity?.userArn ?? undefined, event.requestContext?.accountId),
    requestId: event.requestContext?.requestId ?? "",
  };
}

type UseCase = (event: APIGatewayProxyEvent, request: HttpRequest) => Promise<HttpResult>;

/**
 * One API handler: the request decoded and parsed once, the Lambda context in every log line
 * (request id, node, function), and domain errors turned into an OperationOutcome with its status.
 */
export function httpHandler(useCase: UseCase) {
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .before((request) => {
      const event = request.event;
      negotiateFormat(event);
      // decoded once, for the handlers that still read event.body (the request below reads it decoded)
      if (event.body && event.isBase64Encoded) {
        event.body = Buffer.from(event.body, "base64").toString("utf8");
        event.isBase64Encoded = false;
      }
    })
    .onError(async (request) => {
      // the function ran out of time (middy answers just before Lambda's timeout): whether the request was
      // applied is not known here, so the caller is told to retry it unchanged (504), never a bare 500
      const error =
        request.error?.name === "TimeoutError"
          ? new GatewayTimeoutError("The request did not finish in time; it may have been applied: retry it unchanged")
          : request.error;
      if (error instanceof DomainError) {
        const statusCode = statusOf(error);
        if (statusCode < 500 && request.event) nameTheField(error, request.event);
        if (statusCode >= 500) logger.error("request failed", { error });
        else logger.info("request refused", { status: statusCode, reason: error.message });
        request.response = toResponse({ statusCode, body: outcomeOf(error) });
        return;
      }
      logger.error("unhandled error", { error: error as Error });
      request.response = toResponse({
        statusCode: 500,
        body: {
          resourceType: "OperationOutcome",
          issue: [{ severity: "error", code: "exception", diagnostics: "Internal error; the request was not applied" }],
        },
      });
    })
    .handler(async (event) => toResponse(await useCase(event, httpRequest(event))));
}

const JSON_FORMATS = new Set(["json", "application/json", "application/fhir+json"]);
const XML_TYPE = /^(application\/(fhir\+)?xml|application\/xml\+fhir|text\/xml|xml)$/i;
const JSON_TYPE = /^(application\/(fhir\+)?json|application\/json\+fhir|application\/\*|\*\/\*)$/i;

/**
 * The nodes speak JSON (docs/fhir-clients.md): `_format` json, application/json or
 * application/fhir+json is honoured and taken out of the query (no search sees it as a parameter);
 * any other `_format`, or an Accept that asks for XML and accepts no JSON, is a 406 saying so. An
 * Accept naming neither (a document's own content type, on Binary) is the route's to answer.
 */
function negotiateFormat(event: APIGatewayProxyEvent): void {
  const formats =
    event.multiValueQueryStringParameters?._format ??
    (event.queryStringParameters?._format !== undefined ? [event.queryStringParameters._format] : []);
  for (const format of formats)
    if (!JSON_FORMATS.has(format.trim().toLowerCase()))
      throw new NotAcceptableError(
        `_format: the nodes speak JSON only (json, application/json, application/fhir+json), not '${format}'`,
        "_format",
      );
  if (formats.length) {
    if (event.multiValueQueryStringParameters) delete event.multiValueQueryStringParameters._format;
    if (event.queryStringParameters) delete event.queryStringParameters._format;
  }
  const accept = Object.entries(event.headers ?? {}).find(([name]) => name.toLowerCase() === "accept")?.[1];
  if (!accept || formats.length) return;
  const types = accept
    .split(",")
    .map((t) => t.split(";")[0]!.trim())
    .filter(Boolean);
  if (types.some((t) => XML_TYPE.test(t)) && !types.some((t) => JSON_TYPE.test(t)))
    throw new NotAcceptableError(
      `Accept: the nodes speak JSON only (application/fhir+json or application/json), not '${accept}'`,
      "Accept",
    );
}

/** Request headers a refusal may be about */
const NAMED_HEADERS = ["x-hhc-hospital", "x-practitioner-id", "if-match", "content-type"];

/**
 * Every refusal names its field (docs/security.md, "Fuzzing"). Where a use case refused without
 * naming one, the edge names the part of the request the refusal is about, as its diagnostics show:
 * a path parameter whose value they quote (the id not found), a header or query parameter they name
 * or whose value they quote, a top-level body field they name first; else, on a route with path
 * parameters, a refusal of the resource they identify names the last of them. Nothing else is
 * guessed: a refusal about none of these (a method not allowed) stays as it is.
 */
function nameTheField(error: DomainError, event: APIGatewayProxyEvent): void {
  if (error.issues.some((i) => i.expression)) return;
  const text = error.issues.map((i) => i.diagnostics).join(" ");
  const quotes = (value: string | undefined) => value !== undefined && value.length > 0 && text.includes(value);
  const path = Object.entries(event.pathParameters ?? {});
  const headers = Object.fromEntries(Object.entries(event.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const query = Object.entries(event.queryStringParameters ?? {});
  const lower = text.toLowerCase();
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = event.body ? JSON.parse(event.body) : undefined;
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
  } catch {
    // not JSON: no body field to name
  }
  const field =
    path.find(([, v]) => quotes(v))?.[0] ??
    NAMED_HEADERS.find((h) => lower.includes(h) || (h !== "content-type" && quotes(headers[h]))) ??
    query.find(([k, v]) => text.includes(`${k}:`) || text.includes(`${k}=`) || (quotes(v) && (v?.length ?? 0) > 2))?.[0] ??
    Object.keys(body).find((k) => k.length > 2 && new RegExp(`^(the )?${k.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\b`, "i").test(text)) ??
    (error.kind === "not-found" || error.kind === "gone" ? path.at(-1)?.[0] : undefined);
  const first = error.issues[0];
  if (field && first) first.expression = field;
}

/**
 * A declared router for a handler that serves several routes: keys are "<METHOD> <route>" as the
 * declaration names them; anything else is a 405 (a known route) or a 404.
 */
export function httpRouter(routes: Record<string, (request: HttpRequest) => Promise<HttpResult>>) {
  return httpHandler(async (_event, request) => {
    const route = routes[`${request.method} ${request.route}`];
    if (route) return route(request);
    if (Object.keys(routes).some((key) => key.endsWith(` ${request.route}`)))
      throw new MethodNotAllowedError(`${request.method} is not allowed on ${request.route}`);
    throw new NotFoundError(`No such route on this node: ${request.method} ${request.route}`);
  });
}

/** The hospital the authorizer admitted (its context), or undefined on unauthenticated routes. */
function callingHospital(event: APIGatewayProxyEvent): { hospitalId: string; cityId: string } | undefined {
  const ctx = event.requestContext.authorizer;
  const hospitalId = ctx?.hospitalId;
  const cityId = ctx?.cityId;
  return typeof hospitalId === "string" && typeof cityId === "string" ? { hospitalId, cityId } : undefined;
}

function principalOf(event: APIGatewayProxyEvent): HttpRequest["principal"] {
  const ctx = event.requestContext?.authorizer;
  if (typeof ctx?.memberId === "string") return { kind: "member", memberId: ctx.memberId };
  return ctx?.principal === "operator" ? { kind: "operator" } : undefined;
}

/** The parameters as a query string, each value encoded (to forward a request as received) */
export function queryString(params: Record<string, readonly string[] | undefined> | undefined | null): string {
  const parts = Object.entries(params ?? {}).flatMap(([k, vs]) =>
    (vs ?? []).map((v) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`),
  );
  return parts.length ? `?${parts.join("&")}` : "";
}
