/**
 * A resident's Consent as the registry records it (FHIR R4 Consent, IHE PCF): the checks a recorded
 * Consent passes beyond its schema, the rule the decider reads from it, and the stored resource. Pure.
 */
import { BadRequestError, UnprocessableError } from "#domain/errors.ts";
import type { ConsentInput } from "#schemas/consent.ts";
import { LOINC_SYSTEM } from "#schemas/documents.ts";
import { CONSENT_CATEGORY_LOINC, CONSENT_SCOPE_SYSTEM, type ConsentRule } from "#schemas/privacy.ts";
import { ageInYears, CONSENT_POLICY } from "./policy.ts";

const hasCoding = (concept: { coding: { system?: string; code: string }[] }, system: string, code: string) =>
  concept.coding.some((c) => c.system === system && c.code === code);

/** The hospital id an actor reference names (`Organization/<id>`), or undefined */
export const actorHospital = (reference: string | undefined): string | undefined =>
  reference?.startsWith("Organization/") ? reference.slice("Organization/".length) : undefined;

/**
 * Checks what the schema cannot: scope, category, the signed form, the actors, and, for a resident
 * under 14 on `today` (birth date YYYY-MM-DD, when the MPI knows it), the guardian who signed.
 */
export function checkConsent(input: ConsentInput, birthDate: string | undefined, today: string): void {
  if (input.status !== "active") throw new BadRequestError("Consent.status: a new Consent must be active", "Consent.status");
  if (!hasCoding(input.scope, CONSENT_SCOPE_SYSTEM, "patient-privacy"))
    throw new BadRequestError(`Consent.scope: must be ${CONSENT_SCOPE_SYSTEM}|patient-privacy`, "Consent.scope");
  if (!input.category.some((c) => hasCoding(c, LOINC_SYSTEM, CONSENT_CATEGORY_LOINC)))
    throw new BadRequestError(`Consent.category: must include ${LOINC_SYSTEM}|${CONSENT_CATEGORY_LOINC}`, "Consent.category");
  if (!input.sourceAttachment && !input.sourceReference)
    throw new BadRequestError(
      "Consent.sourceAttachment: the signed form is required (sourceAttachment or sourceReference)",
      "Consent.sourceAttachment",
    );
  for (const [i, actor] of (input.provision.actor ?? []).entries())
    if (!actorHospital(actor.reference.reference))
      throw new BadRequestError(
        `Consent.provision.actor[${i}].reference: must be Organization/<hospital id>`,
        `Consent.provision.actor[${i}].reference`,
      );
  const { start, end } = input.provision.period ?? {};
  if (start && end && Date.parse(end) < Date.parse(start))
    throw new BadRequestError("Consent.provision.period: end is before start", "Consent.provision.period");
  if (birthDate && ageInYears(birthDate, today) < CONSENT_POLICY.minorAgeYears) {
    const guardians = (input.performer ?? []).flatMap((p) => {
      const id = p.reference?.startsWith("#") ? p.reference.slice(1) : undefined;
      const person = input.contained?.find((c) => c.id === id);
      return person && person.relationship.length > 0 && person.identifier.length > 0 ? [person] : [];
    });
    if (guardians.length === 0)
      throw new UnprocessableError(
        `Consent.performer: the resident is under ${CONSENT_POLICY.minorAgeYears}; a guardian signs (a contained RelatedPerson with relationship and identifier, referenced from performer)`,
        "Consent.performer",
      );
  }
}

/** The rule the decider reads from a recorded Consent */
export function ruleOf(id: string, empi: string, input: ConsentInput): ConsentRule {
  const actors = (input.provision.actor ?? []).flatMap((a) => actorHospital(a.reference.reference) ?? []);
  const purposes = (input.provision.purpose ?? []).map((c) => c.code);
  const labels = (input.provision.securityLabel ?? []).map((c) => c.code);
  return {
    id,
    empi,
    status: input.status === "active" ? "active" : "inactive",
    dateTime: input.dateTime,
    type: input.provision.type,
    ...(actors.length ? { actors } : {}),
    ...(purposes.length ? { purposes } : {}),
    ...(labels.length ? { labels } : {}),
    ...(input.provision.period ? { period: input.provision.period } : {}),
  };
}

/** The stored resource: the resident by EMPI beside the identifier sent, the recording hospital as organization */
export function storedConsent(
  id: string,
  empi: string,
  hospitalId: string,
  input: ConsentInput,
  recordedAt: string,
  empiSystem: string,
): Record<string, unknown> {
  return {
    ...input,
    id,
    meta: { lastUpdated: recordedAt },
    patient: { reference: `Patient/${empi}`, identifier: { system: empiSystem, value: empi } },
    organization: [{ reference: `Organization/${hospitalId}` }],
  };
}
