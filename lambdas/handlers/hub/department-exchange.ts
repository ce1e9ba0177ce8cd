/**
 * The department exchange's catalogue and access rights (docs/departments.md):
 *   GET  /xchg/services                          (members, operator) the members and the service catalogue
 *   GET  /xchg/services/{serviceId}/allowed      (members, operator) the members allowed to take part in a service
 *   POST /xchg/access-requests                   (a member) ask for a conditional service → 201, submitted
 *   GET  /xchg/access-requests                   (operator) every request, its state, and whether it is overdue
 *   POST /xchg/access-requests/{id}/decision     (operator) grant, deny or revoke, with a reason
 *   GET  /xchg/reconciliation?month=YYYY-MM      (operator) deaths known to health but not to public security, and the reverse
 * Each is audited (the requester, the service; no patient data is read here).
 */
import { allowedMembers, MEMBERS, SERVICES, serviceById } from "#domain/departments/catalogue.ts";
import { BadRequestError, ForbiddenError, isRefusal, NotFoundError } from "#domain/errors.ts";
import { accessDecisionSchema, accessRequestSchema } from "#schemas/departments.ts";
import { clock } from "#shared/clock.ts";
import { type HttpRequest, httpRouter } from "#shared/http.ts";
import { recordHubAccess } from "#use-cases/audit.ts";
import { decideAccess, grantedMembers, listAccessRequests, requestAccess } from "#use-cases/departments/access.ts";
import { reconcileDeaths } from "#use-cases/departments/vital.ts";
import { auditRepository } from "#wiring/audit.ts";
import { accessDeps, vitalStore } from "#wiring/departments.ts";

const deps = accessDeps();
const audit = auditRepository();
const vital = vitalStore();

/** Runs `act` and records one AuditEvent for it, refusals included */
async function audited<T>(request: HttpRequest, resource: string, action: "R" | "C" | "U", act: () => Promise<T>): Promise<T> {
  const who =
    request.principal?.kind === "member" ? { memberId: request.principal.memberId } : { operator: request.principal?.kind === "operator" };
  const access = {
    action,
    interaction: action === "R" ? ("search" as const) : ("operation" as const),
    node: "hub",
    patients: [],
    resource,
    ...who,
  };
  try {
    const result = await act();
    await recordHubAccess(audit, { ...access, result: "success" });
    return result;
  } catch (error) {
    if (isRefusal(error)) await recordHubAccess(audit, { ...access, result: "refused", detail: error.message });
    throw error;
  }
}

const member = (request: HttpRequest): string => {
  if (request.principal?.kind !== "member") throw new ForbiddenError("Only a member of the exchange asks for access", "Authorization");
  return request.principal.memberId;
};

export const handler = httpRouter({
  "GET /xchg/services": async () => ({ statusCode: 200, body: { members: MEMBERS, services: SERVICES } }),
  "GET /xchg/services/{serviceId}/allowed": async (request) => {
    const service = serviceById(request.pathParameters.serviceId!);
    if (!service) throw new NotFoundError(`no service ${request.pathParameters.serviceId} in the catalogue`, "serviceId");
    const now = clock.now();
    const members = allowedMembers(service, service.shareClass === "conditional" ? await grantedMembers(deps, service.id, now) : []);
    return { statusCode: 200, body: { service: service.id, shareClass: service.shareClass, members } };
  },
  "POST /xchg/access-requests": async (request) =>
    audited(request, "AccessRequest", "C", async () => {
      const by = member(request);
      const body = request.body(accessRequestSchema);
      const created = await requestAccess(
        deps,
        by,
        { serviceId: body.service, purpose: body.purpose, legalBasis: body.legalBasis },
        clock.now(),
      );
      return { statusCode: 201, body: created };
    }),
  "GET /xchg/reconciliation": async (request) => {
    const month = request.query.month?.[0];
    if (!month || !/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new BadRequestError("month: YYYY-MM (China Standard Time)", "month");
    const result = await audited(request, "Patient/$death-reconciliation", "R", () => reconcileDeaths(vital, month));
    return { statusCode: 200, body: result };
  },
  "GET /xchg/access-requests": async () => ({ statusCode: 200, body: { requests: await listAccessRequests(deps, clock.now()) } }),
  "POST /xchg/access-requests/{id}/decision": async (request) =>
    audited(request, `AccessRequest/${request.pathParameters.id}`, "U", async () => {
      const decided = await decideAccess(deps, request.pathParameters.id!, request.body(accessDecisionSchema), clock.now());
      return { statusCode: 200, body: decided };
    }),
});
