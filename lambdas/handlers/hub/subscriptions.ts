/**
 * Internal API, for the city nodes: a hospital's Subscriptions (docs/push.md).
 *   POST   /internal/fhir/Subscription        create (criteria parsed, a named patient resolved at the MPI)
 *   GET    /internal/fhir/Subscription        the hospital's own, as a searchset Bundle (paged: `_count`, `_pageToken`)
 *   GET    /internal/fhir/Subscription/{id}   one of its own
 *   DELETE /internal/fhir/Subscription/{id}   remove one of its own
 * The city names the calling hospital in X-HHC-Hospital; the hub knows the city from its IAM identity
 * and refuses a hospital of another city (403, audited: docs/node-identity.md).
 */
import { actingHospital } from "#domain/acting-hospital.ts";
import { subscriptionRequestSchema } from "#schemas/push.ts";
import { type HttpRequest, httpRouter } from "#shared/http.ts";
import { actingFor } from "#use-cases/node-identity.ts";
import { createSubscription, listSubscriptions, readSubscription, removeSubscription } from "#use-cases/push/subscriptions.ts";
import { nodeIdentityDeps } from "#wiring/node-identity.ts";
import { subscriptionDeps } from "#wiring/push.ts";

const deps = subscriptionDeps();
const identity = nodeIdentityDeps();
const acting = (request: HttpRequest) => actingFor(identity, request, actingHospital(request.headers));

export const handler = httpRouter({
  "POST /internal/fhir/Subscription": async (request) => {
    const { hospitalId, cityId } = await acting(request);
    const { resource } = await createSubscription(deps, { hospitalId, cityId }, request.body(subscriptionRequestSchema));
    return { statusCode: 201, body: resource, headers: { location: `Subscription/${resource.id}` } };
  },
  "GET /internal/fhir/Subscription": async (request) => {
    const { hospitalId } = await acting(request);
    return { statusCode: 200, body: await listSubscriptions(deps, hospitalId, request.query) };
  },
  "GET /internal/fhir/Subscription/{id}": async (request) => ({
    statusCode: 200,
    body: await readSubscription(deps, (await acting(request)).hospitalId, request.pathParameters.id!),
  }),
  "DELETE /internal/fhir/Subscription/{id}": async (request) => {
    await removeSubscription(deps, (await acting(request)).hospitalId, request.pathParameters.id!);
    return { statusCode: 204 };
  },
});
