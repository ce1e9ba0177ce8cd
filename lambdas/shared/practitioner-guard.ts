/**
 * The practitioner rule of DESIGN.md: where `X-Practitioner-Id` is present it must name an active
 * practitioner of the calling hospital (else 403); reading patients' clinical content requires one.
 * The authorizer's cache is keyed on the credential only, so handlers check the header themselves.
 */
import type { APIGatewayProxyEvent } from "aws-lambda";
import { ForbiddenError } from "#domain/errors.ts";
import { PRACTITIONER_HEADER } from "#schemas/internal.ts";
import type { HubClient } from "./hub-client.ts";

export const practitionerHeader = (event: APIGatewayProxyEvent): string | undefined => {
  const entry = Object.entries(event.headers ?? {}).find(([k]) => k.toLowerCase() === PRACTITIONER_HEADER);
  const value = entry?.[1]?.trim();
  return value ? value : undefined;
};

export class PractitionerRefusedError extends ForbiddenError {
  constructor(
    diagnostics: string,
    readonly practitionerId: string | undefined,
  ) {
    super(diagnostics);
  }
}

/**
 * Returns the acting practitioner's id (undefined when the header is absent and not required).
 * Throws PractitionerRefusedError (403) when the header names no active practitioner of `hospitalId`,
 * or when `required` and the header is absent.
 */
export async function actingPractitioner(
  hub: HubClient,
  event: APIGatewayProxyEvent,
  hospitalId: string,
  required: boolean,
): Promise<string | undefined> {
  const practitionerId = practitionerHeader(event);
  if (!practitionerId) {
    if (required)
      throw new PractitionerRefusedError(
        "Reading patient data requires X-Practitioner-Id naming an active practitioner of the calling hospital",
        undefined,
      );
    return undefined;
  }
  const check = await hub.checkPractitioner(hospitalId, practitionerId);
  if (!check.active) throw new PractitionerRefusedError(`X-Practitioner-Id ${practitionerId}: ${check.reason}`, practitionerId);
  return practitionerId;
}
