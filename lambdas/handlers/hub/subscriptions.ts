/**
 * Internal API, for the city nodes: a hospital's Subscriptions (docs/push.md).
 *   POST   /internal/fhir/Subscription        create (criteria parsed, a named patient resolved at the MPI)
 *   GET    /internal/fhir/Subscription        the hospital's own, as a searchset Bundle
 *   GET    /internal/fhir/Subscription/{id}   one of its own
 *   DELETE /internal/fhir/Subscription/{id}   remove one of its own
 * The city names the calling hospital in X-HHC-Hospital and its own city in X-HHC-City.
 */
import { mpiWiring } from "#adapters/resident-index.ts";
import { dynamoSubscriptionStore } from "#adapters/subscription-store.ts";
import { BadRequestError } from "#domain/errors.ts";
import { cityIdSchema } from "#schemas/city.ts";
import { ACTING_HOSPITAL_HEADER } from "#schemas/internal.ts";
import { ACTING_CITY_HEADER, subscriptionRequestSchema } from "#schemas/push.ts";
import { clock } from "#shared/clock.ts";
import { tableName } from "#shared/env.ts";
import { httpHandler, parseJsonBody } from "#shared/http.ts";
import { residentEmpi } from "#use-cases/mpi/queries.ts";
import {
  createSubscription,
  listSubscriptions,
  readSubscription,
  removeSubscription,
  type SubscriptionDeps,
} from "#use-cases/push/subscriptions.ts";
import { header } from "./registry-http.ts";

const { deps: mpi } = mpiWiring();
const deps: SubscriptionDeps = {
  store: dynamoSubscriptionStore(tableName("Subscriptions")),
  resolveEmpi: (identifier) => residentEmpi(mpi, identifier),
  now: clock.now,
};

export const handler = httpHandler(async (event, http) => {
  const hospitalId = header(http, ACTING_HOSPITAL_HEADER);
  if (!hospitalId)
    throw new BadRequestError(`${ACTING_HOSPITAL_HEADER}: the forwarding city names the calling hospital`, ACTING_HOSPITAL_HEADER);
  const id = event.pathParameters?.id;
  if (event.httpMethod === "POST") {
    const cityId = cityIdSchema.safeParse(header(http, ACTING_CITY_HEADER));
    if (!cityId.success) throw new BadRequestError(`${ACTING_CITY_HEADER}: the forwarding city names itself`, ACTING_CITY_HEADER);
    const body = parseJsonBody(event, subscriptionRequestSchema);
    const { resource } = await createSubscription(deps, { hospitalId, cityId: cityId.data }, body);
    return { statusCode: 201, body: resource, headers: { location: `Subscription/${resource.id}` } };
  }
  if (event.httpMethod === "DELETE" && id) {
    await removeSubscription(deps, hospitalId, id);
    return { statusCode: 204 };
  }
  if (id) return { statusCode: 200, body: await readSubscription(deps, hospitalId, id) };
  return { statusCode: 200, body: await listSubscriptions(deps, hospitalId) };
});
