/**
 * A resident's consents (docs/consent.md), held at the hub and forwarded to its internal API:
 *   POST /fhir/Consent                         record what the resident signed
 *   GET  /fhir/Consent?patient.identifier=…    the resident's consents
 *   PUT  /fhir/Consent/{id}                    revoke (status inactive)
 *   POST /fhir/Consent/$decide                 the decision point: permit, deny or permit-with-filter
 * Each needs a named licensed clinical practitioner of the calling hospital (403 otherwise) and leaves
 * exactly one AuditEvent, refusals included.
 */
import { empiIdentifier, namedPatients } from "#domain/named-patients.ts";
import { consentSchema, decideParametersSchema } from "#schemas/consent.ts";
import { type HttpRequest, type HttpResult, httpRouter, queryString } from "#shared/http.ts";
import { actingPractitioner, practitionerHeader } from "#shared/practitioner-guard.ts";
import { decide } from "#use-cases/consent/decide.ts";
import { cityConsentWiring } from "#wiring/consent.ts";

const { hub, network, relay, privacy, auditor } = cityConsentWiring();

const who = (request: HttpRequest) => ({ hospitalId: request.caller!.hospitalId, practitionerId: practitionerHeader(request.headers) });
const relayed = (answer: { status: number; json?: Record<string, unknown> }, headers?: Record<string, string>): HttpResult => ({
  statusCode: answer.status,
  ...(answer.json ? { body: answer.json } : {}),
  ...(headers ? { headers } : {}),
});
const patientOf = (resource: Record<string, unknown> | undefined) => {
  const id = (resource?.patient as { identifier?: { system: string; value: string } } | undefined)?.identifier;
  return id ? [id] : [];
};

export const handler = httpRouter({
  "POST /fhir/Consent": async (request) => {
    const caller = who(request);
    const consent = request.body(consentSchema);
    const template = {
      ...caller,
      action: "C" as const,
      interaction: "create" as const,
      patients: [consent.patient.identifier],
      resource: "Consent",
    };
    return auditor.audited(template, async () => {
      await actingPractitioner(hub, request.headers, caller.hospitalId, true);
      const answer = await relay.forward("POST", "/fhir/Consent", caller.hospitalId, JSON.stringify(consent));
      return {
        value: relayed(answer, { location: `Consent/${String(answer.json?.id)}` }),
        patients: [consent.patient.identifier, ...patientOf(answer.json)],
      };
    });
  },
  "GET /fhir/Consent": async (request) => {
    const caller = who(request);
    const template = {
      ...caller,
      action: "E" as const,
      interaction: "search-type" as const,
      patients: namedPatients(request, { query: "patient.identifier" }),
      query: `Consent${queryString(request.query)}`,
    };
    return auditor.audited(template, async () => {
      await actingPractitioner(hub, request.headers, caller.hospitalId, true);
      return { value: relayed(await relay.forward("GET", `/fhir/Consent${queryString(request.query)}`, caller.hospitalId)) };
    });
  },
  "PUT /fhir/Consent/{id}": async (request) => {
    const caller = who(request);
    const consent = request.body(consentSchema);
    const id = request.pathParameters.id!;
    const template = {
      ...caller,
      action: "U" as const,
      interaction: "update" as const,
      patients: [consent.patient.identifier],
      resource: `Consent/${id}`,
    };
    return auditor.audited(template, async () => {
      await actingPractitioner(hub, request.headers, caller.hospitalId, true);
      const answer = await relay.forward("PUT", `/fhir/Consent/${id}`, caller.hospitalId, JSON.stringify(consent));
      return { value: relayed(answer), patients: [consent.patient.identifier, ...patientOf(answer.json)] };
    });
  },
  "POST /fhir/Consent/$decide": async (request) => {
    const caller = who(request);
    const parameters = request.body(decideParametersSchema);
    const named = parameters.parameter.flatMap((p) => (p.name === "patient" && p.valueIdentifier ? [p.valueIdentifier] : []));
    const template = { ...caller, action: "E" as const, interaction: "operation" as const, patients: named, query: "Consent/$decide" };
    return auditor.audited(template, async () => {
      const practitionerId = await actingPractitioner(hub, request.headers, caller.hospitalId, true);
      const answer = await decide(
        { network, privacy },
        { hospitalId: caller.hospitalId, ...(practitionerId ? { practitionerId } : {}) },
        parameters,
      );
      return {
        value: { statusCode: 200, body: answer.parameters },
        patients: [...named, ...(answer.empi ? [empiIdentifier(answer.empi)] : [])],
        privacy: answer.privacy,
      };
    });
  },
});
