/**
 * A hospital's Subscriptions (docs/push.md), kept at the hub and forwarded to its internal API:
 *   POST /fhir/Subscription, GET /fhir/Subscription, GET|DELETE /fhir/Subscription/{id}
 * Reading and removing are system calls (a present X-Practitioner-Id must name an active practitioner
 * of the calling hospital); subscribing to a named patient needs a named licensed clinical practitioner
 * (403 otherwise) and is audited (one AuditEvent, refusals included).
 */
import { subscriptionRequestSchema } from "#schemas/push.ts";
import { type HttpRequest, type HttpResult, httpRouter } from "#shared/http.ts";
import { actingPractitioner, practitionerHeader } from "#shared/practitioner-guard.ts";
import { criteriaOf } from "#use-cases/push/subscriptions.ts";
import { citySubscriptionWiring } from "#wiring/push.ts";

const { hub, subscriptions, auditor } = citySubscriptionWiring();

/** GET and DELETE: forwarded as they came */
const forwarded = async (request: HttpRequest): Promise<HttpResult> => {
  const { hospitalId } = request.caller!;
  await actingPractitioner(hub, request.headers, hospitalId, false);
  const answer = await subscriptions.forward(request.method, request.path, hospitalId);
  return { statusCode: answer.status, ...(answer.json ? { body: answer.json } : {}) };
};

export const handler = httpRouter({
  "GET /fhir/Subscription": forwarded,
  "GET /fhir/Subscription/{id}": forwarded,
  "DELETE /fhir/Subscription/{id}": forwarded,
  "POST /fhir/Subscription": async (request) => {
    const { hospitalId } = request.caller!;
    const subscription = request.body(subscriptionRequestSchema);
    const criteria = criteriaOf(subscription.criteria, hospitalId);
    const create = async (): Promise<HttpResult> => {
      await actingPractitioner(hub, request.headers, hospitalId, criteria.kind === "patient");
      const answer = await subscriptions.forward("POST", request.path, hospitalId, JSON.stringify(subscription));
      return { statusCode: answer.status, body: answer.json, headers: { location: `Subscription/${String(answer.json?.id)}` } };
    };
    if (criteria.kind !== "patient") return create();
    const template = {
      action: "C" as const,
      interaction: "create" as const,
      hospitalId,
      practitionerId: practitionerHeader(request.headers),
      patients: [criteria.identifier],
      resource: "Subscription",
    };
    return auditor.audited(template, async () => ({ value: await create(), patients: [criteria.identifier] }));
  },
});
