/**
 * The one refusal of a read the consent policy does not permit (docs/consent.md): the same 403 for an
 * item the reader may not see and for an unknown resident, saying nothing of the content, and carrying
 * the decision for the read's AuditEvent.
 */
import type { Identifier } from "#domain/audit.ts";
import { ForbiddenError } from "#domain/errors.ts";
import type { PrivacyDecision } from "./policy.ts";

export class ConsentRefusedError extends ForbiddenError {
  constructor(
    readonly privacy: PrivacyDecision | undefined,
    field: string,
    /** the resident the refused read was about, for its AuditEvent (and so the resident's access report) */
    readonly patients?: Identifier[],
  ) {
    super(
      `${field}: the province's consent policy does not permit this read (a treatment relationship, the resident's consent or a break-the-glass is needed)`,
      field,
    );
  }
}

/** The residents a consent refusal names, if any */
export const patientsOfRefusal = (error: unknown): Identifier[] | undefined =>
  error instanceof ConsentRefusedError ? error.patients : undefined;

/** The privacy decision a refusal carries, if it is a consent refusal */
export const privacyOfRefusal = (error: unknown): PrivacyDecision | undefined =>
  error instanceof ConsentRefusedError ? error.privacy : undefined;
