/**
 * The HTTP edge of every API handler: a middy chain that turns typed errors into an
 * OperationOutcome with its status, parses bodies with zod, and reads the authorizer's principal.
 */
import middy from "@middy/core";
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import type { z } from "zod";
import { BadRequestError, DomainError, type ErrorKind, type Issue, zodIssues } from "#domain/errors.ts";
import type { OperationOutcome } from "#schemas/fhir.ts";
import { FHIR_JSON } from "#schemas/fhir.ts";
import { logger } from "./logger.ts";

export interface HttpResult {
  statusCode: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Bytes answered as they are (base64 through API Gateway), with their own content-type header */
  raw?: Buffer;
}

const toResponse = (result: HttpResult): APIGatewayProxyResult =>
  result.raw
    ? { statusCode: result.statusCode, headers: result.headers ?? {}, body: result.raw.toString("base64"), isBase64Encoded: true }
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
  conflict: 409,
  gone: 410,
  "precondition-failed": 412,
  "too-large": 413,
  unprocessable: 422,
  "precondition-required": 428,
  upstream: 502,
  unavailable: 503,
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

export function httpHandler(useCase: (event: APIGatewayProxyEvent) => Promise<HttpResult>) {
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
    .before((request) => {
      // an API with binary media types (the city's, for documents' bytes) passes every body base64;
      // the handlers read JSON text
      const event = request.event;
      if (event.body && event.isBase64Encoded) {
        event.body = Buffer.from(event.body, "base64").toString("utf8");
        event.isBase64Encoded = false;
      }
    })
    .onError(async (request) => {
      const error = request.error;
      if (error instanceof DomainError) {
        const statusCode = statusOf(error);
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
    .handler(async (event) => toResponse(await useCase(event)));
}

/** Parses the JSON body with `schema`; a missing, non-JSON or invalid body is a 400 naming the field. */
export function parseJsonBody<S extends z.ZodType>(event: APIGatewayProxyEvent, schema: S): z.infer<S> {
  if (!event.body) throw new BadRequestError([{ code: "required", diagnostics: "A JSON body is required" }]);
  const raw = event.isBase64Encoded ? Buffer.from(event.body, "base64").toString("utf8") : event.body;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new BadRequestError([{ code: "structure", diagnostics: "The body is not valid JSON" }]);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new BadRequestError(zodIssues(parsed.error));
  return parsed.data;
}

/** The hospital the authorizer admitted (its context), or undefined on unauthenticated routes. */
export function callingHospital(event: APIGatewayProxyEvent): { hospitalId: string; cityId: string } | undefined {
  const ctx = event.requestContext.authorizer;
  const hospitalId = ctx?.hospitalId;
  const cityId = ctx?.cityId;
  return typeof hospitalId === "string" && typeof cityId === "string" ? { hospitalId, cityId } : undefined;
}
