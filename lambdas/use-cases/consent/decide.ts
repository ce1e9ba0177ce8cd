/**
 * The decision point (`POST /fhir/Consent/$decide`, docs/consent.md), so that an FEP can ask before it
 * pulls. Input: a Parameters of `patient` (valueIdentifier), `purpose` (valueCoding, TREAT when absent)
 * and `securityLabel` (valueCoding, repeatable); the reader. Output: a Parameters of `decision`
 * (permit, deny, permit-with-filter) and `consent` (the consents used), with the decision for the
 * AuditEvent. An unknown resident is answered `deny`, as one the reader may not see.
 */
import { CONSENT_POLICY, decideResident, type PrivacyDecision } from "#domain/consent/policy.ts";
import { BadRequestError } from "#domain/errors.ts";
import type { PrivacyContextSource } from "#ports/consent.ts";
import type { ClinicalNetwork } from "#ports/documents.ts";
import type { DecideParameters } from "#schemas/consent.ts";
import { PURPOSES, type Purpose, SENSITIVE_LABELS, type SensitiveLabel } from "#schemas/privacy.ts";
import { clock } from "#shared/clock.ts";
import { resolveEmpi } from "#use-cases/documents/resident.ts";
import { contextOf } from "./gate.ts";

export interface DecideDeps {
  network: ClinicalNetwork;
  privacy: PrivacyContextSource;
}

export function decideInputOf(parameters: DecideParameters) {
  const named = (name: string) => parameters.parameter.map((p, i) => ({ p, i })).filter(({ p }) => p.name === name);
  const patients = named("patient");
  const patient = patients[0]?.p.valueIdentifier;
  if (patients.length !== 1 || !patient)
    throw new BadRequestError("Parameters.parameter: exactly one patient with valueIdentifier is required", "Parameters.parameter");
  const purposes = named("purpose");
  if (purposes.length > 1)
    throw new BadRequestError("Parameters.parameter: at most one purpose", `Parameters.parameter[${purposes[1]!.i}]`);
  const purpose = purposes[0]?.p.valueCoding?.code ?? CONSENT_POLICY.defaultPurpose;
  if (!(PURPOSES as readonly string[]).includes(purpose))
    throw new BadRequestError(
      `Parameters.parameter[${purposes[0]!.i}].valueCoding: must be one of ${PURPOSES.join(", ")}`,
      `Parameters.parameter[${purposes[0]!.i}].valueCoding`,
    );
  const labels: SensitiveLabel[] = [];
  for (const { p, i } of named("securityLabel")) {
    const code = p.valueCoding?.code;
    if (!code || !(SENSITIVE_LABELS as readonly string[]).includes(code))
      throw new BadRequestError(
        `Parameters.parameter[${i}].valueCoding: must be a sensitive category: ${SENSITIVE_LABELS.join(", ")}`,
        `Parameters.parameter[${i}].valueCoding`,
      );
    labels.push(code as SensitiveLabel);
  }
  return { patient, purpose: purpose as Purpose, labels };
}

export async function decide(
  deps: DecideDeps,
  reader: { hospitalId: string; practitionerId?: string },
  parameters: DecideParameters,
): Promise<{ parameters: Record<string, unknown>; empi?: string; privacy: PrivacyDecision }> {
  const input = decideInputOf(parameters);
  const empi = await resolveEmpi(deps.network, input.patient, reader.hospitalId);
  const access = { ...reader, purpose: input.purpose };
  const context = empi ? await contextOf(deps.privacy, access, empi) : undefined;
  const d = context?.empi
    ? decideResident(context, { hospitalId: reader.hospitalId, purpose: input.purpose }, input.labels, clock.now())
    : { decision: "deny" as const, basis: "no-relationship" as const, consents: [] };
  const privacy: PrivacyDecision = {
    ...d,
    policyVersion: CONSENT_POLICY.version,
    purpose: input.purpose,
    ...(context?.breakGlass ? { breakGlass: { id: context.breakGlass.id, reason: context.breakGlass.reason } } : {}),
  };
  return {
    parameters: {
      resourceType: "Parameters",
      parameter: [
        { name: "decision", valueCode: d.decision },
        ...d.consents.map((id) => ({ name: "consent", valueReference: { reference: `Consent/${id}` } })),
      ],
    },
    ...(context?.empi ? { empi: context.empi } : {}),
    privacy,
  };
}
