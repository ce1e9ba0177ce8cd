/** A node's CapabilityStatement, derived from its declared routes (GET /fhir/metadata). */

import { capabilityStatement } from "#domain/capability.ts";
import { CITY_DECLARATION } from "#lib/declaration/city.ts";
import { HUB_DECLARATION } from "#lib/declaration/hub.ts";
import { SEARCH_PARAMETERS } from "#lib/declaration/search-parameters.ts";
import { clock } from "#shared/clock.ts";
import { nodeEnv } from "#shared/env.ts";

export function nodeCapabilityStatement() {
  const node = nodeEnv();
  // the insurance platform serves no API, so it has no CapabilityStatement
  if (node.kind === "insurance") throw new Error("the insurance platform has no FHIR API");
  const declaration = node.kind === "hub" ? HUB_DECLARATION : CITY_DECLARATION;
  // the IAM routes between nodes (the hub's internal API, a city's document-location route) are not offered to hospitals or the
  // operator, nor are routes declared only to refuse their method (the audit trail's writes: 405)
  const routes = declaration.apis.flatMap((api) => api.routes.filter((r) => (r.auth ?? api.defaultAuth).kind !== "iam" && !r.refuses));
  return capabilityStatement({
    kind: node.kind === "hub" ? "hub" : "city",
    nodeId: node.nodeId,
    routes,
    date: clock.now().toISOString(),
    version: "0.1.0",
    searchParams: SEARCH_PARAMETERS,
  });
}
