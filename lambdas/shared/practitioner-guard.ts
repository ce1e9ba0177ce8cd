/**
 * The practitioner rule of DESIGN.md: where `X-Practitioner-Id` is present it must name an active
 * practitioner of the calling hospital (else 403); reading patients' clinical content and authoring
 * require one with a licensed clinical role there (doctor, nurse, pharmacist: domain/registry/authority.ts).
 * The authorizer's cache is keyed on the credential only, so handlers check the header themselves.
 * Both functions take the request's headers (names lower-cased, as HttpRequest holds them).
 */
import { ForbiddenError } from "#domain/errors.ts";
import { holdsClinicalRole } from "#domain/registry/authority.ts";
import { FHIR_ID } from "#schemas/fhir.ts";
import { PRACTITIONER_HEADER } from "#schemas/internal.ts";
import type { HubClient } from "./hub-client.ts";

/** The practitioner id the request names, trimmed; undefined when absent or blank. */
export const practitionerHeader = (headers: Readonly<Record<string, string>>): string | undefined => {
  const value = headers[PRACTITIONER_HEADER]?.trim();
  return value ? value : undefined;
};

export class PractitionerRefusedError extends ForbiddenError {
  constructor(
    diagnostics: string,
    readonly practitionerId: string | undefined,
  ) {
    super(diagnostics, "X-Practitioner-Id");
  }
}

/**
 * Returns the acting practitioner's id (undefined when the header is absent and not required).
 * Throws PractitionerRefusedError (403) when the header names no active practitioner of `hospitalId`,
 * or when `required` and the header is absent or names one without a licensed clinical role there.
 */
export async function actingPractitioner(
  hub: HubClient,
  headers: Readonly<Record<string, string>>,
  hospitalId: string,
  required: boolean,
): Promise<string | undefined> {
  const practitionerId = practitionerHeader(headers);
  if (!practitionerId) {
    if (required)
      throw new PractitionerRefusedError(
        "Reading patient data requires X-Practitioner-Id naming an active practitioner of the calling hospital",
        undefined,
      );
    return undefined;
  }
  // a practitioner id is a FHIR id: anything else names no practitioner (and the hub's check would refuse it as malformed)
  if (!FHIR_ID.test(practitionerId))
    throw new PractitionerRefusedError('X-Practitioner-Id: not a practitioner id (1 to 64 of A-Z, a-z, 0-9, "-" and ".")', undefined);
  const check = await hub.checkPractitioner(hospitalId, practitionerId);
  if (!check.active) throw new PractitionerRefusedError(`X-Practitioner-Id ${practitionerId}: ${check.reason}`, practitionerId);
  if (required && !holdsClinicalRole(check.roles))
    throw new PractitionerRefusedError(
      `X-Practitioner-Id ${practitionerId}: reading and authoring clinical content needs a licensed clinical role (doctor, nurse, pharmacist) at ${hospitalId}; this practitioner holds ${check.roles.join(", ")}`,
      practitionerId,
    );
  return practitionerId;
}
