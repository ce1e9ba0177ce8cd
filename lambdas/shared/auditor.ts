/**
 * For city handlers that touch patient data: record the access (BALP AuditEvent) before the
 * answer. If the event cannot be recorded the access is refused (503) — never silently unaudited.
 * Refusals of authenticated requests (wrong practitioner, another hospital's data) are recorded too.
 */

import type { AccessDescription } from "#domain/audit.ts";
import { isRefusal, UnavailableError } from "#domain/errors.ts";
import type { CityId } from "#schemas/city.ts";
import { recordAccess } from "#use-cases/audit.ts";
import { auditOutboxDeps } from "#wiring/outbox.ts";
import type { NodeEnv } from "./env.ts";
import { logger } from "./logger.ts";
import { PractitionerRefusedError } from "./practitioner-guard.ts";

export type AccessTemplate = Omit<AccessDescription, "result" | "detail" | "node">;

export function cityAuditor(node: NodeEnv) {
  const deps = auditOutboxDeps(node);
  const cityId = node.nodeId as CityId;
  const record = async (access: AccessDescription): Promise<string> => {
    try {
      return await recordAccess(deps, cityId, access);
    } catch (error) {
      logger.error("audit event could not be recorded; refusing the access", { error: error as Error });
      throw new UnavailableError("The access could not be audited, so it was refused; retry shortly");
    }
  };
  return {
    record,
    /**
     * Runs `access` and records exactly one AuditEvent for it: success with the patients it
     * names, or the refusal (4xx after authentication) with the practitioner id the request gave.
     */
    async audited<T>(template: AccessTemplate, access: () => Promise<{ value: T; patients?: AccessDescription["patients"] }>): Promise<T> {
      let outcome: { value: T; patients?: AccessDescription["patients"] };
      try {
        outcome = await access();
      } catch (error) {
        if (isRefusal(error)) {
          const practitionerId = error instanceof PractitionerRefusedError ? error.practitionerId : template.practitionerId;
          await record({ ...template, practitionerId, node: node.nodeId, result: "refused", detail: error.message });
        }
        throw error;
      }
      await record({ ...template, patients: outcome.patients ?? template.patients, node: node.nodeId, result: "success" });
      return outcome.value;
    },
  };
}
export type CityAuditor = ReturnType<typeof cityAuditor>;
