/** What the registry handlers share: the resource type and id a route names, and write answers. */

import { REGISTRY_RESOURCE_TYPES, type RegistryResource, type RegistryType } from "#domain/registry/resources.ts";
import { clock } from "#shared/clock.ts";
import type { HttpRequest, HttpResult } from "#shared/http.ts";

/** The registry type and id of a route `[/internal]/fhir/<Type>[/{id}]` (as declared in lib/declaration/hub.ts). */
export function registryRoute(request: Pick<HttpRequest, "route" | "pathParameters">): {
  type: RegistryType;
  id?: string;
  internal: boolean;
} {
  const m = /^(\/internal)?\/fhir\/([A-Za-z]+)(\/\{id\})?$/.exec(request.route);
  const type = m?.[2] as RegistryType | undefined;
  if (!m || !type || !REGISTRY_RESOURCE_TYPES.includes(type)) throw new Error(`not a registry route: ${request.route}`);
  const id = m[3] ? request.pathParameters.id : undefined;
  return { type, internal: Boolean(m[1]), ...(id ? { id } : {}) };
}

/** A request header (name lower-case), trimmed; undefined when absent or blank. */
export const header = (request: Pick<HttpRequest, "headers">, name: string): string | undefined =>
  request.headers[name]?.trim() || undefined;

export const etag = (resource: RegistryResource): Record<string, string> =>
  resource.meta?.versionId
    ? { etag: `W/"${resource.meta.versionId}"`, "last-modified": new Date(resource.meta.lastUpdated ?? clock.nowMs()).toUTCString() }
    : {};

/** 201 with Location for a created resource, 200 otherwise; the resource in the body. */
export function written(result: { resource: RegistryResource; created: boolean }): HttpResult {
  const { resource } = result;
  return {
    statusCode: result.created ? 201 : 200,
    body: resource,
    headers: {
      ...etag(resource),
      ...(result.created ? { location: `${resource.resourceType}/${resource.id}/_history/${resource.meta?.versionId}` } : {}),
    },
  };
}
