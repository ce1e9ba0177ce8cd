/**
 * Internal API, for the city nodes: a hospital's Subscriptions (docs/push.md).
 *   POST   /internal/fhir/Subscription        create (criteria parsed, a named patient resolved at the MPI)
 *   GET    /internal/fhir/Subscription        the hospital's own, as a searchset Bundle
 *   GET    /internal/fhir/Subscription/{id}   one of its own
 *   DELETE /internal/fhir/Subscription/{id}   remove one of its own
 * The city names the calling hospital in X-HHC-Hospital and its own city in X-HHC-City.
 */
import { actingHospital } from "#domain/acting-hospital.ts";
import { BadRequestError } from "#domain/errors.ts";
import { cityIdSchema } from "#schemas/city.ts";
import { ACTING_CITY_HEADER, subscriptionRequestSchema } from "#schemas/push.ts";
import { httpRouter } from "#shared/http.ts";
import { createSubscription, listSubscriptions, readSubscription, removeSubscription } from "#use-cases/push/subscriptions.ts";
import { subscriptionDeps } from "#wiring/push.ts";

const deps = subscriptionDeps();

export const handler = httpRouter({
  "POST /internal/fhir/Subscription": async (request) => {
    const hospitalId = actingHospital(request.headers);
    const cityId = cityIdSchema.safeParse(request.headers[ACTING_CITY_HEADER]?.trim() || undefined);
    if (!cityId.success) throw new BadRequestError(`${ACTING_CITY_HEADER}: the forwarding city names itself`, ACTING_CITY_HEADER);
    const { resource } = await createSubscription(deps, { hospitalId, cityId: cityId.data }, request.body(subscriptionRequestSchema));
    return { statusCode: 201, body: resource, headers: { location: `Subscription/${resource.id}` } };
  },
  "GET /internal/fhir/Subscription": async (request) => ({
    statusCode: 200,
    body: await listSubscriptions(deps, actingHospital(request.headers)),
  }),
  "GET /internal/fhir/Subscription/{id}": async (request) => ({
    statusCode: 200,
    body: await readSubscription(deps, actingHospital(request.headers), request.pathParameters.id!),
  }),
  "DELETE /internal/fhir/Subscription/{id}": async (request) => {
    await removeSubscription(deps, actingHospital(request.headers), request.pathParameters.id!);
    return { statusCode: 204 };
  },
});
