/**
 * An audited access at a city node: every handler that touches patient data runs its work through it.
 * Input: the access's template (who, what) and the work. Output: the work's value.
 * Primary course: run the work, then record exactly one AuditEvent before the answer: success with the
 * patients the work names, or the refusal (4xx after authentication) with the practitioner id the
 * request gave. An access that cannot be recorded is refused (503), never left unaudited.
 */
import type { AccessDescription } from "#domain/audit.ts";
import { patientsOfRefusal, privacyOfRefusal } from "#domain/consent/refusal.ts";
import { isRefusal, UnavailableError } from "#domain/errors.ts";
import type { AccessRecorder } from "#ports/audit.ts";
import { logger } from "#shared/logger.ts";
import { PractitionerRefusedError } from "#shared/practitioner-guard.ts";

export type AccessTemplate = Omit<AccessDescription, "result" | "detail" | "node">;

export interface CityAuditor {
  /** Records one access (or throws UnavailableError); returns the AuditEvent id */
  record(access: AccessDescription): Promise<string>;
  /**
   * Runs `access` and records exactly one AuditEvent for it (success or refusal). With
   * `onlyWithPatients`, a success that named no patient is not recorded (an idle inbox poll).
   */
  audited<T>(
    template: AccessTemplate,
    access: () => Promise<{ value: T; patients?: AccessDescription["patients"]; privacy?: AccessDescription["privacy"] }>,
    options?: { onlyWithPatients?: boolean },
  ): Promise<T>;
  /**
   * Runs `access`, a call that names no patient (a heartbeat, a registry read, an acknowledgement), and
   * records an AuditEvent only when it is refused: who tried what, and why it was refused.
   */
  refusals<T>(template: Omit<AccessTemplate, "patients">, access: () => Promise<T>): Promise<T>;
}

export function auditedAccess(recorder: AccessRecorder, nodeId: string): CityAuditor {
  const record = async (access: AccessDescription): Promise<string> => {
    try {
      return await recorder.record(access);
    } catch (error) {
      logger.error("audit event could not be recorded; refusing the access", { error: error as Error });
      throw new UnavailableError("The access could not be audited, so it was refused; retry shortly");
    }
  };
  const audited: CityAuditor["audited"] = async (template, access, options) => {
    let outcome: Awaited<ReturnType<typeof access>>;
    try {
      outcome = await access();
    } catch (error) {
      if (isRefusal(error)) {
        const practitionerId = error instanceof PractitionerRefusedError ? error.practitionerId : template.practitionerId;
        const privacy = privacyOfRefusal(error) ?? template.privacy;
        await record({
          ...template,
          patients: patientsOfRefusal(error) ?? template.patients,
          practitionerId,
          node: nodeId,
          result: "refused",
          detail: error.message,
          ...(privacy ? { privacy } : {}),
        });
      }
      throw error;
    }
    const patients = outcome.patients ?? template.patients;
    if (options?.onlyWithPatients && patients.length === 0) return outcome.value;
    const privacy = outcome.privacy ?? template.privacy;
    await record({ ...template, patients, node: nodeId, result: "success", ...(privacy ? { privacy } : {}) });
    return outcome.value;
  };
  return {
    record,
    audited,
    refusals: (template, access) =>
      audited({ ...template, patients: [] }, async () => ({ value: await access() }), { onlyWithPatients: true }),
  };
}
