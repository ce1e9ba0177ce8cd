/**
 * mCSD searches and reads of the registry: GET /fhir/<Type>[/{id}] on the operator API, and the
 * same under /internal for the city nodes (which forward their hospitals' requests).
 */
import { httpHandler } from "#shared/http.ts";
import { readResource, searchRegistry } from "#use-cases/registry/search.ts";
import { registryStore } from "#wiring/registry.ts";
import { etag, registryRoute } from "./registry-http.ts";

const store = registryStore();

export const handler = httpHandler(async (_event, request) => {
  const { type, id } = registryRoute(request);
  if (id) {
    const resource = await readResource(store, type, id);
    return { statusCode: 200, body: resource, headers: etag(resource) };
  }
  return { statusCode: 200, body: await searchRegistry(store, type, request.query) };
});
