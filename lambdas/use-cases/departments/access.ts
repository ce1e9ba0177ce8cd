/**
 * Access rights of members to conditional services (issue 16, docs/departments.md#access-rights).
 * `requestAccess` — input: a member, service, purpose and legal basis; output: the request, `submitted`.
 * `decideAccess` — input: the operator's decision (grant or deny, a reason, a grant's days); output: the
 * request in its new state; a request already decided is a 409. `revokeAccess` ends a grant.
 * `grantedMembers` — the members holding an unexpired grant for a service (the exchange's check).
 */
import { randomUUID } from "node:crypto";
import { canMove, effectiveState, isOverdue } from "#domain/departments/access.ts";
import { serviceById } from "#domain/departments/catalogue.ts";
import { BadRequestError, ConflictError, NotFoundError } from "#domain/errors.ts";
import type { AccessRequest, AccessRequestStore } from "#ports/department-exchange.ts";

export interface AccessDeps {
  requests: AccessRequestStore;
}

export async function requestAccess(
  deps: AccessDeps,
  member: string,
  input: { serviceId: string; purpose: string; legalBasis: string },
  now: Date,
): Promise<AccessRequest> {
  const service = serviceById(input.serviceId);
  if (!service) throw new BadRequestError(`service ${input.serviceId} is not in the catalogue`, "service");
  if (service.shareClass !== "conditional")
    throw new BadRequestError(`service ${service.id} is ${service.shareClass}: access is not requested`, "service");
  const request: AccessRequest = {
    id: randomUUID(),
    member,
    serviceId: service.id,
    purpose: input.purpose,
    legalBasis: input.legalBasis,
    state: "submitted",
    submittedAt: now.toISOString(),
  };
  await deps.requests.put(request);
  return request;
}

export async function decideAccess(
  deps: AccessDeps,
  id: string,
  decision: { decision: "grant" | "deny" | "revoke"; reason: string; days?: number },
  now: Date,
): Promise<AccessRequest> {
  const current = await deps.requests.get(id);
  if (!current) throw new NotFoundError(`no access request ${id}`, "id");
  const state = effectiveState(current, now);
  const to = decision.decision === "grant" ? "granted" : decision.decision === "deny" ? "denied" : "revoked";
  if (!canMove(state, to)) throw new ConflictError(`access request ${id} is ${state}: it cannot become ${to}`, "decision");
  const next: AccessRequest = {
    ...current,
    state: to,
    decidedAt: now.toISOString(),
    reason: decision.reason,
    ...(to === "granted" && decision.days ? { expiresAt: new Date(now.getTime() + decision.days * 86_400_000).toISOString() } : {}),
  };
  if (!(await deps.requests.transition(id, current.state, next)))
    throw new ConflictError(`access request ${id} was decided meanwhile`, "decision");
  return next;
}

export async function grantedMembers(deps: AccessDeps, serviceId: string, now: Date): Promise<string[]> {
  return (await deps.requests.list()).filter((r) => r.serviceId === serviceId && effectiveState(r, now) === "granted").map((r) => r.member);
}

/** Every request with its state at `now`, and whether it waits past the 10-working-day rule */
export async function listAccessRequests(deps: AccessDeps, now: Date): Promise<(AccessRequest & { overdue: boolean })[]> {
  return (await deps.requests.list()).map((r) => ({ ...r, state: effectiveState(r, now), overdue: isOverdue(r, now) }));
}
