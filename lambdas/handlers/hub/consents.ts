/**
 * Internal API, for the city nodes: the consent registry and the privacy context (docs/consent.md).
 *   POST /internal/fhir/Consent                 record a resident's Consent
 *   GET  /internal/fhir/Consent?patient.identifier=<system>|<value>   the resident's consents
 *   PUT  /internal/fhir/Consent/{id}            revoke (status inactive)
 *   POST /internal/privacy/context              the facts of a read's decision (and a break-the-glass)
 * The city names the calling hospital in X-HHC-Hospital; the hub knows the city from its IAM identity
 * and refuses a hospital of another city (403, audited). The cities check the practitioner and audit.
 */
import { actingHospital } from "#domain/acting-hospital.ts";
import { searchset } from "#domain/documents/records.ts";
import { BadRequestError } from "#domain/errors.ts";
import { consentSchema } from "#schemas/consent.ts";
import { privacyContextRequestSchema } from "#schemas/privacy.ts";
import { type HttpRequest, httpRouter } from "#shared/http.ts";
import { listConsents, privacyContext, recordConsent, revokeConsent } from "#use-cases/consent/registry.ts";
import { actingFor } from "#use-cases/node-identity.ts";
import { consentDeps } from "#wiring/consent.ts";
import { nodeIdentityDeps } from "#wiring/node-identity.ts";

const deps = consentDeps();
const identity = nodeIdentityDeps();
const acting = (request: HttpRequest) => actingFor(identity, request, actingHospital(request.headers));

/** `patient.identifier=<system>|<value>`, exactly once */
function patientIdentifierParam(query: Record<string, string[]>): { system: string; value: string } {
  const values = query["patient.identifier"] ?? [];
  const unknown = Object.keys(query).find((k) => k !== "patient.identifier");
  if (unknown !== undefined) throw new BadRequestError(`${unknown || '""'}: not a search parameter of Consent`, unknown || '""');
  const [raw] = values;
  const bar = raw?.indexOf("|") ?? -1;
  if (values.length !== 1 || !raw || bar <= 0 || bar === raw.length - 1)
    throw new BadRequestError("patient.identifier: exactly one <system>|<value> is required", "patient.identifier");
  return { system: raw.slice(0, bar), value: raw.slice(bar + 1) };
}

export const handler = httpRouter({
  "POST /internal/fhir/Consent": async (request) => {
    const { hospitalId } = await acting(request);
    const { resource } = await recordConsent(deps, hospitalId, request.body(consentSchema));
    return { statusCode: 201, body: resource, headers: { location: `Consent/${String(resource.id)}` } };
  },
  "GET /internal/fhir/Consent": async (request) => {
    const { hospitalId } = await acting(request);
    const { resources } = await listConsents(deps, hospitalId, patientIdentifierParam(request.query));
    return { statusCode: 200, body: searchset(resources, "", deps.now()) };
  },
  "PUT /internal/fhir/Consent/{id}": async (request) => {
    const { hospitalId } = await acting(request);
    const { resource } = await revokeConsent(deps, hospitalId, request.pathParameters.id!, request.body(consentSchema));
    return { statusCode: 200, body: resource };
  },
  "POST /internal/privacy/context": async (request) => {
    const caller = await acting(request);
    return { statusCode: 200, body: await privacyContext(deps, caller, request.body(privacyContextRequestSchema)) };
  },
});
