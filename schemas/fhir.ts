/** The few FHIR R4 shapes the nodes emit themselves (inbound resources get zod schemas of their own). */
export type IssueType =
  | "invalid"
  | "required"
  | "value"
  | "structure"
  | "login"
  | "forbidden"
  | "not-found"
  | "conflict"
  | "throttled"
  | "processing"
  | "exception"
  | "transient"
  | "timeout"
  | "business-rule"
  | "not-supported"
  | "too-costly"
  | "too-long";

export interface OperationOutcomeIssue {
  severity: "fatal" | "error" | "warning" | "information";
  code: IssueType;
  diagnostics: string;
  expression?: string[];
}

export interface OperationOutcome {
  resourceType: "OperationOutcome";
  issue: OperationOutcomeIssue[];
}

export const FHIR_JSON = "application/fhir+json";

/** A FHIR resource id (R4 `id` datatype): 1 to 64 of A-Z, a-z, 0-9, "-" and "." */
export const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
