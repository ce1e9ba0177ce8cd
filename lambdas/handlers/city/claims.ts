/**
 * One-Line Connect at the city node (docs/settlement.md):
 *   POST /fhir/Claim                                              submit, resubmit or cancel (status cancelled) a claim → 202
 *   GET  /fhir/ClaimResponse?request.identifier=<system>|<value>   the settlement(s) of one of the hospital's claims
 * Claims carry patient data: X-Practitioner-Id must name an active practitioner of the hospital,
 * and every request leaves exactly one AuditEvent.
 */

import { citySettlement } from "#adapters/city-settlement.ts";
import { BadRequestError, ForbiddenError, UpstreamError } from "#domain/errors.ts";
import { EMPI_SYSTEM } from "#schemas/patient.ts";
import { claimSystem } from "#schemas/settlement.ts";
import { clock } from "#shared/clock.ts";
import { nodeEnv } from "#shared/env.ts";
import { httpHandler } from "#shared/http.ts";
import { hubClient } from "#shared/hub-client.ts";
import { actingPractitioner, practitionerHeader } from "#shared/practitioner-guard.ts";
import { readClaim, submitClaim } from "#use-cases/settlement/submit-claim.ts";
import { cityAuditor } from "#wiring/audit.ts";

const node = nodeEnv();
const hub = hubClient(node.ssmPrefix);
const settlement = citySettlement(node, hub);
const auditor = cityAuditor(node);

/** The patient a claim body names, for the audit (when it can be read) */
function namedPatient(body: string | null): { system: string; value: string }[] {
  try {
    const id = (JSON.parse(body ?? "") as { patient?: { identifier?: { system?: unknown; value?: unknown } } }).patient?.identifier;
    return typeof id?.system === "string" && typeof id.value === "string" ? [{ system: id.system, value: id.value }] : [];
  } catch {
    return [];
  }
}

export const handler = httpHandler(async (event, http) => {
  const { hospitalId, cityId } = http.caller!;
  const practitionerId = practitionerHeader(http.headers);
  if (event.httpMethod === "GET") {
    const wanted = event.queryStringParameters?.["request.identifier"] ?? "";
    return auditor.audited(
      {
        action: "E",
        interaction: "search-type",
        hospitalId,
        practitionerId,
        patients: [],
        resource: "ClaimResponse",
        query: `request.identifier=${wanted}`,
      },
      async () => {
        await actingPractitioner(hub, http.headers, hospitalId, true);
        const bar = wanted.indexOf("|");
        if (bar <= 0 || bar === wanted.length - 1)
          throw new BadRequestError("request.identifier: <claim number system>|<claim number> is required", "request.identifier");
        if (wanted.slice(0, bar) !== claimSystem(hospitalId))
          throw new ForbiddenError(`request.identifier: a hospital reads only its own claims (${claimSystem(hospitalId)})`);
        const answer = await settlement.claimResponses(hospitalId, wanted.slice(bar + 1));
        if (answer.status !== 200) throw new UpstreamError(`The hub answered ${answer.status}`, "exception");
        const bundle = JSON.parse(answer.body) as { entry?: { resource: { patient?: { identifier?: { value: string } } } }[] };
        const empis = [...new Set((bundle.entry ?? []).map((e) => e.resource.patient?.identifier?.value).filter((v): v is string => !!v))];
        return { value: { statusCode: 200, body: bundle }, patients: empis.map((value) => ({ system: EMPI_SYSTEM, value })) };
      },
    );
  }
  return auditor.audited(
    { action: "C", interaction: "create", hospitalId, practitionerId, patients: namedPatient(event.body), resource: "Claim" },
    async () => {
      await actingPractitioner(hub, http.headers, hospitalId, true);
      const read = readClaim(event, hospitalId);
      const { message, duplicate } = await submitClaim(
        { claims: settlement.claims, send: settlement.send, resolve: settlement.resolve(hospitalId, cityId) },
        hospitalId,
        read,
        clock.now(),
      );
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
        patients: [...namedPatient(event.body), { system: EMPI_SYSTEM, value: message.empi }],
      };
    },
  );
});
