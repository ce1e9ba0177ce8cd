/**
 * Who may act as whom on the hub's internal API (docs/node-identity.md).
 * callingCity — input: the IAM caller API Gateway names (its role, as the edge parsed it). Output: the
 *   calling city's id. Primary course: the caller is a city function's role; anything else is refused.
 * actingFor — input: the request and the hospital the city names (X-HHC-Hospital, or a body's
 *   hospitalId). Output: the city and the hospital. Primary course: the calling city is found from its
 *   IAM identity (never from a header), and the hospital must be one of that city's by the facility
 *   registry. A refusal is a 403, recorded in the audit repository before the answer.
 */

import type { AuditAction, RestInteraction } from "#domain/audit.ts";
import { ForbiddenError } from "#domain/errors.ts";
import type { AuditRepository } from "#ports/audit.ts";
import type { HospitalCities } from "#ports/registry.ts";
import { ACTING_HOSPITAL_HEADER } from "#schemas/internal.ts";
import type { NodeCaller } from "#schemas/node-identity.ts";
import { recordHubAccess } from "./audit.ts";

export interface NodeIdentityDeps {
  hospitals: HospitalCities;
  audit: Pick<AuditRepository, "store">;
}

export interface NodeRequest {
  /** The province node behind the request's IAM caller (HttpRequest.node) */
  node: NodeCaller | undefined;
  method: string;
  path: string;
}

const ACTIONS: Record<string, { action: AuditAction; interaction: RestInteraction }> = {
  GET: { action: "R", interaction: "search-type" },
  POST: { action: "C", interaction: "create" },
  PUT: { action: "U", interaction: "update" },
  DELETE: { action: "D", interaction: "delete" },
};

async function refuse(deps: NodeIdentityDeps, request: NodeRequest, detail: string, hospitalId?: string, field?: string): Promise<never> {
  const { action, interaction } = ACTIONS[request.method] ?? { action: "E" as const, interaction: "operation" as const };
  await recordHubAccess(deps.audit, {
    action,
    interaction,
    node: "hub",
    ...(hospitalId ? { hospitalId } : {}),
    patients: [],
    query: `${request.method} ${request.path}`,
    result: "refused",
    detail,
  });
  throw new ForbiddenError(detail, field);
}

export async function callingCity(deps: NodeIdentityDeps, request: NodeRequest): Promise<string> {
  if (request.node?.kind === "city") return request.node.nodeId;
  return refuse(deps, request, "Only a city node's function may call the hub's internal API (its IAM role names no city)");
}

export async function actingFor(
  deps: NodeIdentityDeps,
  request: NodeRequest,
  hospitalId: string,
  /** Where the request names the hospital, for a refusal to name: the acting-hospital header, or a body field */
  field: string = ACTING_HOSPITAL_HEADER,
): Promise<{ cityId: string; hospitalId: string }> {
  const cityId = await callingCity(deps, request);
  const hospitalCity = await deps.hospitals.cityOf(hospitalId);
  if (hospitalCity !== cityId)
    return refuse(
      deps,
      request,
      hospitalCity
        ? `City node ${cityId} may not act for hospital ${hospitalId}, a hospital of ${hospitalCity}`
        : `City node ${cityId} may not act for ${hospitalId}: no hospital of that id in the facility registry`,
      hospitalId,
      field,
    );
  return { cityId, hospitalId };
}
