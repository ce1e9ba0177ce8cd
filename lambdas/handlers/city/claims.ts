/**
 * One-Line Connect at the city node (docs/settlement.md):
 *   POST /fhir/Claim                                              submit, resubmit or cancel (status cancelled) a claim → 202
 *   GET  /fhir/ClaimResponse?request.identifier=<system>|<value>   the settlement(s) of one of the hospital's claims
 *   GET  /fhir/ClaimResponse/{id}                                 one of them by id (as its search and inbox Communication name it)
 * Claims carry patient data: X-Practitioner-Id must name an active practitioner of the hospital,
 * and every request leaves exactly one AuditEvent.
 */

import { empiIdentifier, namedPatients } from "#domain/named-patients.ts";
import { claimSystem } from "#schemas/settlement.ts";
import { clock } from "#shared/clock.ts";
import { httpRouter } from "#shared/http.ts";
import { actingPractitioner, practitionerHeader } from "#shared/practitioner-guard.ts";
import { readClaimResponse, searchClaimResponses } from "#use-cases/settlement/claim-responses.ts";
import { readClaim, submitClaim } from "#use-cases/settlement/submit-claim.ts";
import { citySettlement } from "#wiring/settlement.ts";

const { hubApi, hub, auditor, submitDeps } = citySettlement();

export const handler = httpRouter({
  "GET /fhir/ClaimResponse": async (request) => {
    const { hospitalId } = request.caller!;
    const wanted = request.query["request.identifier"]?.[0] ?? "";
    const template = {
      action: "E" as const,
      interaction: "search-type" as const,
      hospitalId,
      practitionerId: practitionerHeader(request.headers),
      patients: [],
      resource: "ClaimResponse",
      query: `request.identifier=${wanted}`,
    };
    return auditor.audited(template, async () => {
      await actingPractitioner(hubApi, request.headers, hospitalId, true);
      const { bundle, empis } = await searchClaimResponses(hub, hospitalId, wanted);
      return { value: { statusCode: 200, body: bundle }, patients: empis.map(empiIdentifier) };
    });
  },

  "GET /fhir/ClaimResponse/{id}": async (request) => {
    const { hospitalId } = request.caller!;
    const id = request.pathParameters.id!;
    const template = {
      action: "R" as const,
      interaction: "read" as const,
      hospitalId,
      practitionerId: practitionerHeader(request.headers),
      patients: [],
      resource: `ClaimResponse/${id}`,
    };
    return auditor.audited(template, async () => {
      await actingPractitioner(hubApi, request.headers, hospitalId, true);
      const { resource, empis } = await readClaimResponse(hub, hospitalId, id);
      return { value: { statusCode: 200, body: resource }, patients: empis.map(empiIdentifier) };
    });
  },

  "POST /fhir/Claim": async (request) => {
    const { hospitalId, cityId } = request.caller!;
    const named = namedPatients(request, "Claim");
    const template = {
      action: "C" as const,
      interaction: "create" as const,
      hospitalId,
      practitionerId: practitionerHeader(request.headers),
      patients: named,
      resource: "Claim",
    };
    return auditor.audited(template, async () => {
      await actingPractitioner(hubApi, request.headers, hospitalId, true);
      const read = readClaim(request.rawBody, hospitalId);
      const { message, duplicate } = await submitClaim(submitDeps(hospitalId, cityId), hospitalId, read, clock.now());
      const search = `ClaimResponse?request.identifier=${encodeURIComponent(`${claimSystem(hospitalId)}|${read.claimNumber}`)}`;
      const what = message.action === "cancel" ? "cancellation" : "claim";
      return {
        value: {
          statusCode: 202,
          headers: { "content-location": search },
          body: {
            resourceType: "OperationOutcome",
            issue: [
              {
                severity: "information",
                code: "informational",
                diagnostics: `${duplicate ? "Already accepted" : "Accepted"}: ${what} ${read.claimNumber}; its ClaimResponse will be at ${search} and in the hospital's inbox`,
              },
            ],
          },
        },
        patients: [...named, empiIdentifier(message.empi)],
      };
    });
  },
});
