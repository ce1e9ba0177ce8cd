/**
 * Operator (auditor): GET /fhir/AuditEvent, GET /fhir/AuditEvent/{id}, GET /audit/access-report.
 * The audit trail is append-only: POST, PUT and DELETE answer 405. Patient-scoped reads by the
 * auditor are themselves audited.
 */
import { MethodNotAllowedError } from "#domain/errors.ts";
import { httpRouter } from "#shared/http.ts";
import { auditAccessReport, readAuditEvent, searchAuditTrail } from "#use-cases/audit-search.ts";
import { auditRepository } from "#wiring/audit.ts";
import { pageKeyOfNode } from "#wiring/page-tokens.ts";

const repository = auditRepository();
const pageKey = pageKeyOfNode();

const appendOnly = async (): Promise<never> => {
  throw new MethodNotAllowedError("The audit trail is append-only: AuditEvents cannot be created, changed or deleted through the API");
};

export const handler = httpRouter({
  "GET /fhir/AuditEvent": async (request) => ({ statusCode: 200, body: await searchAuditTrail(repository, request.query, pageKey) }),
  "GET /fhir/AuditEvent/{id}": async (request) => ({
    statusCode: 200,
    body: await readAuditEvent(repository, request.pathParameters.id ?? ""),
  }),
  "GET /audit/access-report": async (request) => ({
    statusCode: 200,
    body: await auditAccessReport(repository, request.query),
    headers: { "content-type": "application/json" },
  }),
  "POST /fhir/AuditEvent": appendOnly,
  "PUT /fhir/AuditEvent/{id}": appendOnly,
  "DELETE /fhir/AuditEvent/{id}": appendOnly,
});
