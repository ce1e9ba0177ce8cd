/**
 * Domain errors: plain classes thrown by the domain and the use cases. Each names its kind of
 * refusal and the issues (each naming its field); the HTTP edge (lambdas/shared/http.ts) alone
 * maps a kind to a status code and an OperationOutcome. Nothing here knows HTTP.
 */
import type { z } from "zod";
import type { IssueType } from "#schemas/fhir.ts";

export interface Issue {
  code: IssueType;
  diagnostics: string;
  /** FHIRPath-like location of the offending field, e.g. "backlog" or "Patient.birthDate" */
  expression?: string;
}

export type ErrorKind =
  | "invalid"
  | "unauthenticated"
  | "forbidden"
  | "not-found"
  | "method-not-allowed"
  | "not-acceptable"
  | "conflict"
  | "gone"
  | "precondition-failed"
  | "too-large"
  | "unprocessable"
  | "precondition-required"
  | "upstream"
  | "timeout"
  | "unavailable";

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly issues: Issue[],
  ) {
    super(issues.map((i) => i.diagnostics).join("; "));
    this.name = new.target.name;
  }
}

/** Whether the error is the caller's fault (a refusal), not a failure of the platform. */
export const isRefusal = (error: unknown): error is DomainError =>
  error instanceof DomainError && error.kind !== "upstream" && error.kind !== "unavailable";

const one = (code: IssueType, diagnostics: string, expression?: string): Issue[] => [
  { code, diagnostics, ...(expression ? { expression } : {}) },
];

export class BadRequestError extends DomainError {
  constructor(issues: Issue[] | string, expression?: string) {
    super("invalid", typeof issues === "string" ? one("invalid", issues, expression) : issues);
  }
}
export class UnauthorizedError extends DomainError {
  constructor(diagnostics = "Missing or invalid credential") {
    super("unauthenticated", one("login", diagnostics, "Authorization"));
  }
}
export class ForbiddenError extends DomainError {
  constructor(diagnostics: string, expression?: string) {
    super("forbidden", one("forbidden", diagnostics, expression));
  }
}
export class NotFoundError extends DomainError {
  constructor(diagnostics: string, expression?: string) {
    super("not-found", one("not-found", diagnostics, expression));
  }
}
export class MethodNotAllowedError extends DomainError {
  constructor(diagnostics: string) {
    super("method-not-allowed", one("not-supported", diagnostics));
  }
}
export class NotAcceptableError extends DomainError {
  constructor(diagnostics: string, expression: string) {
    super("not-acceptable", one("not-supported", diagnostics, expression));
  }
}
export class ConflictError extends DomainError {
  constructor(diagnostics: string, expression?: string) {
    super("conflict", one("conflict", diagnostics, expression));
  }
}
export class GoneError extends DomainError {
  constructor(diagnostics: string) {
    super("gone", one("not-found", diagnostics));
  }
}
export class PreconditionFailedError extends DomainError {
  constructor(issues: Issue[] | string, expression?: string) {
    super("precondition-failed", typeof issues === "string" ? one("conflict", issues, expression) : issues);
  }
}
export class PreconditionRequiredError extends DomainError {
  constructor(diagnostics: string, expression?: string) {
    super("precondition-required", one("required", diagnostics, expression));
  }
}
export class PayloadTooLargeError extends DomainError {
  constructor(issues: Issue[] | string, expression?: string) {
    super("too-large", typeof issues === "string" ? one("too-long", issues, expression) : issues);
  }
}
export class UnprocessableError extends DomainError {
  constructor(issues: Issue[] | string, expression?: string) {
    super("unprocessable", typeof issues === "string" ? one("business-rule", issues, expression) : issues);
  }
}
/** Another node answered in a way this one cannot use (502). */
export class UpstreamError extends DomainError {
  constructor(diagnostics: string, code: IssueType = "transient") {
    super("upstream", one(code, diagnostics));
  }
}
/** Another node did not answer in time (504): the request may have been applied there; retry it as it was. */
export class GatewayTimeoutError extends DomainError {
  constructor(diagnostics: string) {
    super("timeout", one("timeout", diagnostics));
  }
}
/** The platform cannot do it now (503): retry. */
export class UnavailableError extends DomainError {
  constructor(diagnostics: string) {
    super("unavailable", one("transient", diagnostics));
  }
}

/** A parameter or key as an issue's expression: its name, or `""` for the empty name (which is still a field sent) */
export const fieldName = (name: string): string => (name === "" ? '""' : name);

/** Renders a zod error as OperationOutcome issues, each naming its field. */
export function zodIssues(error: z.ZodError, prefix?: string): Issue[] {
  return error.issues.map((issue) => {
    // a key the schema does not know is the field the issue is about
    const keys = issue.code === "unrecognized_keys" ? issue.keys.map(fieldName) : [];
    const field = [prefix, ...issue.path.map(String), ...keys.slice(0, 1)].filter(Boolean).join(".");
    const expression = field || prefix;
    return {
      code: issue.code === "invalid_type" && issue.input === undefined ? "required" : "invalid",
      diagnostics: field ? `${field}: ${issue.message}` : issue.message,
      ...(expression ? { expression } : {}),
    } satisfies Issue;
  });
}
