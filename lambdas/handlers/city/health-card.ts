/**
 * The resident health card at a city node (docs/health-card.md), kept at the hub and forwarded to its
 * internal API for the calling hospital:
 *   POST /fhir/Patient/$issue-health-card    a named licensed practitioner issues (201: cardId, staticCode, cardKey)
 *   POST /fhir/Patient/$verify-health-card   a terminal verifies a presented code (200, 404, or 422 with why)
 *   POST /fhir/Patient/$health-card-status   the issuing hospital pauses, reactivates, declares lost or cancels
 * A malformed body is a 400 naming the field and never reaches the hub. A present X-Practitioner-Id must
 * name an active practitioner of the hospital. Each request leaves exactly one AuditEvent, refusals included:
 * a verification naming no practitioner asks the hub to record it with the use (one write there instead of
 * this city's outbox, queue and acknowledgement) and is audited here only if the hub did not say it did.
 */

import { UpstreamError } from "#domain/errors.ts";
import { parseCode } from "#domain/health-card.ts";
import type { IssueType } from "#schemas/fhir.ts";
import { cardStatusSchema, HEALTH_CARD_SYSTEM, issueCardSchema, verifyCardSchema } from "#schemas/health-card.ts";
import { ACTING_HOSPITAL_HEADER, AUDIT_AT_HUB_HEADER, AUDITED_AT_HUB_HEADER } from "#schemas/internal.ts";
import { EMPI_SYSTEM } from "#schemas/patient.ts";
import { type HttpRequest, type HttpResult, httpRouter, relayedError } from "#shared/http.ts";
import { actingPractitioner, practitionerHeader } from "#shared/practitioner-guard.ts";
import { cityHealthCardWiring } from "#wiring/health-card.ts";

const { hub, auditor } = cityHealthCardWiring();

type Identifier = { system: string; value: string };
type Json = Record<string, unknown>;

/** The hub's answer: its status and JSON body; `auditAtHub`: the hub is asked to record the AuditEvent, `audited` says it did */
async function atHub(request: HttpRequest, path: string, auditAtHub = false): Promise<{ status: number; json: Json; audited: boolean }> {
  const headers = {
    "content-type": "application/fhir+json",
    [ACTING_HOSPITAL_HEADER]: request.caller!.hospitalId,
    ...(auditAtHub ? { [AUDIT_AT_HUB_HEADER]: "hub" } : {}),
  };
  const answer = await hub.forward("POST", path, headers, request.rawBody);
  try {
    return {
      status: answer.status,
      json: JSON.parse(answer.body) as Json,
      audited: auditAtHub && Boolean(answer.headers?.get(AUDITED_AT_HUB_HEADER)),
    };
  } catch {
    throw new UpstreamError(`The hub answered ${answer.status} without JSON; retry shortly`);
  }
}

/** A hub refusal as the same typed error (so it is audited as refused and answered as the hub answered) */
function refusal(status: number, json: Json): Error {
  const issues = (json.issue as { code: IssueType; diagnostics?: string; expression?: string[] }[] | undefined) ?? [];
  return relayedError(
    status,
    issues.map((i) => ({ code: i.code, diagnostics: i.diagnostics ?? "", ...(i.expression?.[0] ? { expression: i.expression[0] } : {}) })),
  );
}

const param = (body: Json, name: string): Json | undefined => (body.parameter as Json[] | undefined)?.find((p) => p.name === name);

const template = (request: HttpRequest, action: "C" | "R" | "U", resource: string, patients: Identifier[]) => ({
  action,
  interaction: "operation" as const,
  hospitalId: request.caller!.hospitalId,
  practitionerId: practitionerHeader(request.headers),
  patients,
  resource,
});

export const handler = httpRouter({
  "POST /fhir/Patient/$issue-health-card": async (request) => {
    const { hospitalId } = request.caller!;
    const issue = request.body(issueCardSchema);
    const named = [issue.identifier, ...(issue.patient ? [issue.patient] : [])];
    return auditor.audited(template(request, "C", "Patient/$issue-health-card", named), async () => {
      await actingPractitioner(hub, request.headers, hospitalId, true);
      const { status, json } = await atHub(request, "/health-card/issue");
      if (status !== 201) throw refusal(status, json);
      const card = { system: HEALTH_CARD_SYSTEM, value: String(param(json, "cardId")?.valueString) };
      const empi = param(json, "patient")?.valueIdentifier as Identifier;
      return { value: { statusCode: 201, body: json }, patients: [...named, card, empi] };
    });
  },

  "POST /fhir/Patient/$verify-health-card": async (request) => {
    const { hospitalId } = request.caller!;
    const verify = request.body(verifyCardSchema);
    const parsed = parseCode(verify.code);
    const card = parsed.kind === "malformed" ? [] : [{ system: HEALTH_CARD_SYSTEM, value: parsed.cardId }];
    const access = template(request, "R", `Patient/$verify-health-card?careStep=${verify.careStep}&terminal=${verify.terminal}`, card);
    // a terminal as the hospital (no practitioner named): the hub records the AuditEvent with the use, before it answers
    const auditAtHub = !access.practitionerId;
    let answered: Awaited<ReturnType<typeof atHub>> | undefined;
    if (auditAtHub) {
      answered = await atHub(request, "/health-card/verify", true);
      if (answered.audited) return { statusCode: answered.status, body: answered.json };
      // a hub that did not record it (an older version): audited here, as always
    }
    const answers = new WeakMap<Error, HttpResult>();
    try {
      return await auditor.audited(access, async () => {
        await actingPractitioner(hub, request.headers, hospitalId, false);
        const { status, json } = answered ?? (await atHub(request, "/health-card/verify"));
        if (status !== 200) {
          // audited as refused, answered as the hub answered (its OperationOutcome says why in details.coding)
          const error = refusal(status, json);
          answers.set(error, { statusCode: status, body: json });
          throw error;
        }
        const patient = param(json, "patient")?.resource as { identifier?: Identifier[] } | undefined;
        const empi = patient?.identifier?.filter((i) => i.system === EMPI_SYSTEM) ?? [];
        return { value: { statusCode: 200, body: json } as HttpResult, patients: [...card, ...empi] };
      });
    } catch (error) {
      const answer = answers.get(error as Error);
      if (answer) return answer;
      throw error;
    }
  },

  "POST /fhir/Patient/$health-card-status": async (request) => {
    const { hospitalId } = request.caller!;
    const change = request.body(cardStatusSchema);
    const card = [{ system: HEALTH_CARD_SYSTEM, value: change.cardId }];
    return auditor.audited(template(request, "U", "Patient/$health-card-status", card), async () => {
      await actingPractitioner(hub, request.headers, hospitalId, false);
      const { status, json } = await atHub(request, "/health-card/status");
      if (status !== 200) throw refusal(status, json);
      return { value: { statusCode: 200, body: json } };
    });
  },
});
