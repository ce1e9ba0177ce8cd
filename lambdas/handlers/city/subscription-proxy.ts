/**
 * A hospital's Subscriptions (docs/push.md), kept at the hub and forwarded to its internal API:
 *   POST /fhir/Subscription, GET /fhir/Subscription, GET|DELETE /fhir/Subscription/{id}
 * A system call (no practitioner needed); a present X-Practitioner-Id must name an active practitioner
 * of the calling hospital. Creating a subscription that names a patient is audited (one AuditEvent).
 */
import type { APIGatewayProxyEvent } from "aws-lambda";
import { UpstreamError } from "#domain/errors.ts";
import { FHIR_JSON, type IssueType } from "#schemas/fhir.ts";
import { ACTING_HOSPITAL_HEADER } from "#schemas/internal.ts";
import { ACTING_CITY_HEADER, subscriptionRequestSchema } from "#schemas/push.ts";
import { nodeEnv } from "#shared/env.ts";
import { httpHandler, parseJsonBody, relayedError } from "#shared/http.ts";
import { hubClient } from "#shared/hub-client.ts";
import { actingPractitioner, practitionerHeader } from "#shared/practitioner-guard.ts";
import { criteriaOf } from "#use-cases/push/subscriptions.ts";
import { cityAuditor } from "#wiring/audit.ts";

const node = nodeEnv();
const hub = hubClient(node.ssmPrefix);
const auditor = cityAuditor(node);

const forward = async (event: APIGatewayProxyEvent, hospitalId: string, body?: string) => {
  const headers = { accept: FHIR_JSON, "content-type": FHIR_JSON, [ACTING_HOSPITAL_HEADER]: hospitalId, [ACTING_CITY_HEADER]: node.nodeId };
  const answer = await hub.forward(event.httpMethod, event.path, headers, body);
  let json: Record<string, unknown> | undefined;
  try {
    json = answer.body ? JSON.parse(answer.body) : undefined;
  } catch {
    throw new UpstreamError(`The hub answered ${answer.status} without JSON; retry shortly`);
  }
  if (answer.status >= 400 && answer.status < 500 && json?.resourceType === "OperationOutcome") {
    const issues = (json.issue as { code: IssueType; diagnostics?: string; expression?: string[] }[] | undefined) ?? [];
    throw relayedError(
      answer.status,
      issues.map((i) => ({
        code: i.code,
        diagnostics: i.diagnostics ?? "",
        ...(i.expression?.[0] ? { expression: i.expression[0] } : {}),
      })),
    );
  }
  return { status: answer.status, json };
};

export const handler = httpHandler(async (event, http) => {
  const { hospitalId } = http.caller!;
  if (event.httpMethod !== "POST") {
    await actingPractitioner(hub, http.headers, hospitalId, false);
    const answer = await forward(event, hospitalId);
    return { statusCode: answer.status, ...(answer.json ? { body: answer.json } : {}) };
  }
  const request = parseJsonBody(event, subscriptionRequestSchema);
  const criteria = criteriaOf(request.criteria, hospitalId);
  const create = async () => {
    await actingPractitioner(hub, http.headers, hospitalId, false);
    const answer = await forward(event, hospitalId, JSON.stringify(request));
    return { statusCode: answer.status, body: answer.json, headers: { location: `Subscription/${String(answer.json?.id)}` } };
  };
  if (criteria.kind !== "patient") return create();
  const template = {
    action: "C" as const,
    interaction: "create" as const,
    hospitalId,
    practitionerId: practitionerHeader(http.headers),
    patients: [criteria.identifier],
    resource: "Subscription",
  };
  return auditor.audited(template, async () => {
    const result = await create();
    return { value: result, patients: [criteria.identifier] };
  });
});
