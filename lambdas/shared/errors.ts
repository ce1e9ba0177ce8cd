/**
 * Typed errors thrown by use cases and turned into an OperationOutcome + status in one place
 * (http.ts). Handled 4xx are logged without stack traces.
 */
import type { IssueType, OperationOutcome } from "#schemas/fhir.ts";

export interface Issue {
  code: IssueType;
  diagnostics: string;
  /** FHIRPath-like location of the offending field, e.g. "backlog" or "Patient.birthDate" */
  expression?: string;
}

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly issues: Issue[],
  ) {
    super(issues.map((i) => i.diagnostics).join("; "));
    this.name = new.target.name;
  }

  toOutcome(): OperationOutcome {
    return {
      resourceType: "OperationOutcome",
      issue: this.issues.map((i) => ({
        severity: "error",
        code: i.code,
        diagnostics: i.diagnostics,
        ...(i.expression ? { expression: [i.expression] } : {}),
      })),
    };
  }
}

export class BadRequestError extends HttpError {
  constructor(issues: Issue[] | string, expression?: string) {
    super(400, typeof issues === "string" ? [{ code: "invalid", diagnostics: issues, expression }] : issues);
  }
}
export class UnauthorizedError extends HttpError {
  constructor(diagnostics = "Missing or invalid credential") {
    super(401, [{ code: "login", diagnostics, expression: "Authorization" }]);
  }
}
export class ForbiddenError extends HttpError {
  constructor(diagnostics: string) {
    super(403, [{ code: "forbidden", diagnostics }]);
  }
}
export class NotFoundError extends HttpError {
  constructor(diagnostics: string) {
    super(404, [{ code: "not-found", diagnostics }]);
  }
}
export class ConflictError extends HttpError {
  constructor(diagnostics: string) {
    super(409, [{ code: "conflict", diagnostics }]);
  }
}
