/**
 * The department exchange's inbound messages (docs/departments.md#messages):
 *   POST /xchg/messages   (a member) a FHIR message → 200 a response message naming the request, with X-Request-Hash
 * Every message, refusals included (and the 503 of the evidence log's fail-closed rule), is audited naming
 * the member and the residents it names.
 */
import { REQUEST_HASH_HEADER } from "#domain/departments/messages.ts";
import { ForbiddenError, isRefusal, UnavailableError } from "#domain/errors.ts";
import { messageBundleSchema } from "#schemas/departments.ts";
import { clock } from "#shared/clock.ts";
import { httpRouter } from "#shared/http.ts";
import { recordHubAccess } from "#use-cases/audit.ts";
import { receiveMessage } from "#use-cases/departments/inbound.ts";
import { auditRepository } from "#wiring/audit.ts";
import { inboundDeps } from "#wiring/departments-inbound.ts";

const deps = inboundDeps();
const audit = auditRepository();

export const handler = httpRouter({
  "POST /xchg/messages": async (request) => {
    const memberId = request.principal?.kind === "member" ? request.principal.memberId : undefined;
    const access = {
      action: "U" as const,
      interaction: "operation" as const,
      node: "hub",
      resource: "Bundle/$process-message",
      ...(memberId ? { memberId } : { operator: true }),
    };
    try {
      if (!memberId) throw new ForbiddenError("Messages are sent by members of the exchange with their own credential", "Authorization");
      const answer = await receiveMessage(deps, memberId, request.body(messageBundleSchema), request.rawBody ?? "", clock.now());
      await recordHubAccess(audit, {
        ...access,
        patients: answer.patients,
        result: "success",
        ...(answer.repeated ? { detail: "a repeated message id: the first answer" } : {}),
      });
      return { statusCode: answer.status, body: answer.body, headers: { [REQUEST_HASH_HEADER]: answer.requestHash } };
    } catch (error) {
      if (isRefusal(error) || error instanceof UnavailableError)
        await recordHubAccess(audit, { ...access, patients: [], result: "refused", detail: error.message });
      throw error;
    }
  },
});
