/**
 * A hospital's Subscriptions (docs/push.md), kept at the hub and forwarded to its internal API:
 *   POST /fhir/Subscription, GET /fhir/Subscription, GET|DELETE /fhir/Subscription/{id}
 * Reading and removing are system calls (a present X-Practitioner-Id must name an active practitioner
 * of the calling hospital); subscribing to a named patient needs a named licensed clinical practitioner
 * (403 otherwise). Audited (one AuditEvent each, refusals included): subscribing to a named patient,
 * reading subscriptions that name patients (naming them), and removing one (naming its patient).
 */
import { subscriptionRequestSchema } from "#schemas/push.ts";
import { type HttpRequest, type HttpResult, httpRouter, queryString } from "#shared/http.ts";
import { actingPractitioner, practitionerHeader } from "#shared/practitioner-guard.ts";
import { criteriaOf, patientsOfSubscriptions } from "#use-cases/push/subscriptions.ts";
import { citySubscriptionWiring } from "#wiring/push.ts";

const { hub, subscriptions, auditor } = citySubscriptionWiring();

const accessOf = (request: HttpRequest, action: "R" | "D", interaction: "read" | "search-type" | "delete") => ({
  action,
  interaction,
  hospitalId: request.caller!.hospitalId,
  practitionerId: practitionerHeader(request.headers),
  patients: [],
  resource: request.pathParameters.id ? `Subscription/${request.pathParameters.id}` : "Subscription",
});

/** GET: forwarded; audited when what it shows names a patient (or when refused) */
const read = async (request: HttpRequest): Promise<HttpResult> => {
  const { hospitalId } = request.caller!;
  const access = accessOf(request, "R", request.pathParameters.id ? "read" : "search-type");
  return auditor.audited(
    access,
    async () => {
      await actingPractitioner(hub, request.headers, hospitalId, false);
      // a search's page (`_count`, `_pageToken`) is the hub's to check; its links are relative to the base
      const answer = await subscriptions.forward("GET", `${request.path}${queryString(request.query)}`, hospitalId);
      const value = { statusCode: answer.status, ...(answer.json ? { body: answer.json } : {}) };
      return { value, patients: patientsOfSubscriptions(answer.json, hospitalId) };
    },
    { onlyWithPatients: true },
  );
};

export const handler = httpRouter({
  "GET /fhir/Subscription": read,
  "GET /fhir/Subscription/{id}": read,
  "DELETE /fhir/Subscription/{id}": async (request) => {
    const { hospitalId } = request.caller!;
    return auditor.audited(accessOf(request, "D", "delete"), async () => {
      await actingPractitioner(hub, request.headers, hospitalId, false);
      // the subscription's patient, for the AuditEvent (another hospital's or unknown: 404, audited)
      const current = await subscriptions.forward("GET", request.path, hospitalId);
      const answer = await subscriptions.forward("DELETE", request.path, hospitalId);
      const value = { statusCode: answer.status, ...(answer.json ? { body: answer.json } : {}) };
      return { value, patients: patientsOfSubscriptions(current.json, hospitalId) };
    });
  },
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
