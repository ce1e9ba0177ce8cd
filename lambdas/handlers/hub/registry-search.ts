/**
 * mCSD searches and reads of the registry: GET /fhir/<Type>[/{id}] on the operator API, and the
 * same under /internal for the city nodes (which forward their hospitals' requests).
 */
import { dynamoRegistryStore } from "#adapters/registry-store.ts";
import { tableName } from "#shared/env.ts";
import { httpHandler } from "#shared/http.ts";
import { readResource, searchRegistry } from "#use-cases/registry/search.ts";
import { etag, registryRoute } from "./registry-http.ts";

const store = dynamoRegistryStore(tableName("Registry"), tableName("RegistryIndex"));

export const handler = httpHandler(async (event) => {
  const { type, id } = registryRoute(event);
  if (id) {
    const resource = await readResource(store, type, id);
    return { statusCode: 200, body: resource, headers: etag(resource) };
  }
  return { statusCode: 200, body: await searchRegistry(store, type, event.multiValueQueryStringParameters ?? {}) };
});
