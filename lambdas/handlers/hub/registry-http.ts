/** What the registry handlers share: the resource type and id a route names, headers, and write answers. */
import type { APIGatewayProxyEvent } from "aws-lambda";
import { REGISTRY_RESOURCE_TYPES, type RegistryResource, type RegistryType } from "#domain/registry/resources.ts";
import { clock } from "#shared/clock.ts";
import type { HttpResult } from "#shared/http.ts";

/** The registry type and id of a route `[/internal]/fhir/<Type>[/{id}]` (as declared in lib/declaration/hub.ts). */
export function registryRoute(event: APIGatewayProxyEvent): { type: RegistryType; id?: string; internal: boolean } {
  const m = /^(\/internal)?\/fhir\/([A-Za-z]+)(\/\{id\})?$/.exec(event.resource);
  const type = m?.[2] as RegistryType | undefined;
  if (!m || !type || !REGISTRY_RESOURCE_TYPES.includes(type)) throw new Error(`not a registry route: ${event.resource}`);
  const id = m[3] ? event.pathParameters?.id : undefined;
  return { type, internal: Boolean(m[1]), ...(id ? { id } : {}) };
}

export function header(event: APIGatewayProxyEvent, name: string): string | undefined {
  const entry = Object.entries(event.headers ?? {}).find(([k]) => k.toLowerCase() === name);
  return entry?.[1]?.trim() || undefined;
}

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
