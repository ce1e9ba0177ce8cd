/**
 * Operator (auditor): GET /fhir/AuditEvent, GET /fhir/AuditEvent/{id}, GET /audit/access-report.
 * The audit trail is append-only: POST, PUT and DELETE answer 405. Patient-scoped reads by the
 * auditor are themselves audited.
 */
import type { APIGatewayProxyEvent } from "aws-lambda";
import { dynamoAuditRepository } from "#adapters/audit-repository.ts";
import { BadRequestError, MethodNotAllowedError, NotFoundError } from "#domain/errors.ts";
import { tableName } from "#shared/env.ts";
import { httpHandler } from "#shared/http.ts";
import { recordHubAccess } from "#use-cases/audit.ts";
import { accessReport, auditBundle, parseAuditQuery, searchAudit } from "#use-cases/audit-search.ts";

const repository = dynamoAuditRepository(tableName("AuditEvents"));

const params = (event: APIGatewayProxyEvent): Record<string, string[]> =>
  (event.multiValueQueryStringParameters ?? {}) as Record<string, string[]>;
const queryString = (p: Record<string, string[]>): string =>
  Object.entries(p)
    .flatMap(([k, vs]) => vs.map((v) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`))
    .join("&");
const patientIdentifier = (p: string | undefined) =>
  p ? [{ system: p.slice(0, p.indexOf("|")), value: p.slice(p.indexOf("|") + 1) }] : [];

export const handler = httpHandler(async (event) => {
  if (event.httpMethod !== "GET") {
    throw new MethodNotAllowedError("The audit trail is append-only: AuditEvents cannot be created, changed or deleted through the API");
  }
  if (event.resource === "/fhir/AuditEvent/{id}") {
    const stored = await repository.get(event.pathParameters?.id ?? "");
    if (!stored) throw new NotFoundError(`AuditEvent/${event.pathParameters?.id} does not exist`);
    return { statusCode: 200, body: stored.event };
  }
  if (event.resource === "/audit/access-report") {
    const q = parseAuditQuery({ ...params(event), _count: ["500"] });
    if (!q.patient) throw new BadRequestError("The access report needs patient.identifier=<system>|<value>", "patient.identifier");
    const events = await searchAudit(repository, q);
    await recordHubAccess(repository, {
      action: "R",
      interaction: "search-type",
      node: "hub",
      operator: true,
      patients: patientIdentifier(q.patient),
      query: "/audit/access-report",
      result: "success",
    });
    return { statusCode: 200, body: accessReport(q.patient, events), headers: { "content-type": "application/json" } };
  }
  const q = parseAuditQuery(params(event));
  const events = await searchAudit(repository, q);
  if (q.patient) {
    await recordHubAccess(repository, {
      action: "E",
      interaction: "search-type",
      node: "hub",
      operator: true,
      patients: patientIdentifier(q.patient),
      query: `AuditEvent?${queryString(params(event))}`,
      result: "success",
    });
  }
  return { statusCode: 200, body: auditBundle(events, `AuditEvent?${queryString(params(event))}`) };
});
