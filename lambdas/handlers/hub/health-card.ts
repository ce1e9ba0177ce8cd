/**
 * The resident health card at the hub (docs/health-card.md):
 *   POST /internal/health-card/issue    (a city, for its hospital) $issue-health-card → 201 Parameters
 *   POST /internal/health-card/verify   (a city, for its hospital) $verify-health-card → 200, 404 or 422
 *   POST /internal/health-card/status   (a city, for the issuing hospital) $health-card-status → 200
 *   POST /health-card/status            (operator) the same, audited here
 *   GET  /health-card/usage?date=YYYY-MM-DD[&city=<id>]   (operator) the day's issues and verifications
 * The cities check the practitioner and audit their hospitals' requests; the hub audits the operator's, and a
 * verification whose city asks it to (X-HHC-Audit: hub), with its use (answering X-HHC-Audited: <AuditEvent id>).
 */
import { actingHospital } from "#domain/acting-hospital.ts";
import { BadRequestError, isRefusal } from "#domain/errors.ts";
import { cardStatusSchema, HEALTH_CARD_SYSTEM, issueCardSchema, verifyCardSchema } from "#schemas/health-card.ts";
import { AUDIT_AT_HUB_HEADER, AUDITED_AT_HUB_HEADER } from "#schemas/internal.ts";
import { httpRouter } from "#shared/http.ts";
import { recordHubAccess } from "#use-cases/audit.ts";
import { changeCardStatus, issueCard, statusBody, verifyCard } from "#use-cases/health-card.ts";
import { cardUsage } from "#use-cases/health-card-usage.ts";
import { actingFor } from "#use-cases/node-identity.ts";
import { hubHealthCardWiring } from "#wiring/health-card.ts";
import { nodeIdentityDeps } from "#wiring/node-identity.ts";

const { deps, auditRepository } = hubHealthCardWiring();
const identity = nodeIdentityDeps();

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export const handler = httpRouter({
  "POST /internal/health-card/issue": async (request) => {
    const by = await actingFor(identity, request, actingHospital(request.headers));
    const issued = await issueCard(deps, by, request.body(issueCardSchema));
    return { statusCode: 201, body: issued.body };
  },
  "POST /internal/health-card/verify": async (request) => {
    const by = await actingFor(identity, request, actingHospital(request.headers));
    const verification = await verifyCard(deps, by, request.body(verifyCardSchema), request.headers[AUDIT_AT_HUB_HEADER] === "hub");
    const audited = verification.auditEventId ? { headers: { [AUDITED_AT_HUB_HEADER]: verification.auditEventId } } : {};
    return { statusCode: verification.statusCode, body: verification.body, ...audited };
  },
  "POST /internal/health-card/status": async (request) => {
    const by = await actingFor(identity, request, actingHospital(request.headers));
    return { statusCode: 200, body: statusBody(await changeCardStatus(deps, by, request.body(cardStatusSchema))) };
  },
  "POST /health-card/status": async (request) => {
    const access = {
      action: "U" as const,
      interaction: "operation" as const,
      node: "hub",
      operator: true,
      resource: "Patient/$health-card-status",
    };
    let patients = [] as { system: string; value: string }[];
    try {
      const change = request.body(cardStatusSchema);
      patients = [{ system: HEALTH_CARD_SYSTEM, value: change.cardId }];
      const card = await changeCardStatus(deps, undefined, change);
      await recordHubAccess(auditRepository, { ...access, patients, result: "success" });
      return { statusCode: 200, body: statusBody(card) };
    } catch (error) {
      if (isRefusal(error)) await recordHubAccess(auditRepository, { ...access, patients, result: "refused", detail: error.message });
      throw error;
    }
  },
  "GET /health-card/usage": async (request) => {
    const date = request.query.date?.[0];
    if (!date || !DAY.test(date)) throw new BadRequestError("date: a China Standard Time day, YYYY-MM-DD", "date");
    const city = request.query.city?.[0];
    const usage = await cardUsage(deps, date, city);
    return { statusCode: 200, body: { date, ...(city ? { city } : {}), ...usage }, headers: { "content-type": "application/json" } };
  },
});
