/**
 * mCSD searches and reads of the registry: GET /fhir/<Type>[/{id}] on the operator API, and the
 * same under /internal for the city nodes (which forward their hospitals' requests, naming the
 * hospital in x-hhc-hospital). The operator's own searches (PractitionerRole?approval=pending) are
 * audited, and refused on the internal API.
 */
import { ACTING_HOSPITAL_HEADER } from "#schemas/internal.ts";
import { httpHandler } from "#shared/http.ts";
import { readResource, searchRegistryAs } from "#use-cases/registry/search.ts";
import { registrySearchWiring } from "#wiring/registry.ts";
import { etag, header, registryRoute } from "./registry-http.ts";

const deps = registrySearchWiring();
const { store } = deps;

export const handler = httpHandler(async (_event, request) => {
  const { type, id, internal } = registryRoute(request);
  if (id) {
    const resource = await readResource(store, type, id);
    return { statusCode: 200, body: resource, headers: etag(resource) };
  }
  const caller = internal ? { hospitalId: header(request, ACTING_HOSPITAL_HEADER) } : ({ operator: true } as const);
  return { statusCode: 200, body: await searchRegistryAs(deps, type, request.query, caller) };
});
