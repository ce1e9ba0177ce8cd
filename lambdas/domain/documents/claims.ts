/**
 * The claims a stored DocumentReference or Encounter makes about who stands behind it, checked
 * against the calling hospital (issue 12): every author is a Practitioner (of the caller: the use
 * case asks the registry), `custodian` and `serviceProvider` are the caller's Organization (`relatesTo`
 * and `context.encounter` name the caller's own: the publish use case reads its index). Pure; every
 * refusal is a 403 naming the field.
 */
import { ForbiddenError } from "#domain/errors.ts";
import type { DocumentReferenceInput } from "#schemas/documents.ts";
import type { EncounterInput } from "#schemas/encounter.ts";

const PRACTITIONER_REF = /^Practitioner\/([A-Za-z0-9\-.]{1,64})$/;

/** An Organization reference is the caller's own, or refused */
function checkOwnOrganization(reference: { reference?: string } | undefined, hospitalId: string, field: string): void {
  if (reference === undefined) return;
  if (reference.reference !== `Organization/${hospitalId}`)
    throw new ForbiddenError(
      `${field}: a hospital names only itself (Organization/${hospitalId}), not ${reference.reference ?? "an Organization without a reference"}`,
      field,
    );
}

/** Every practitioner reference is `Practitioner/<id>`; returns the ids (each to be checked against the caller) */
function practitionerIds(references: ({ reference?: string } | undefined)[], field: (i: number) => string, what: string): string[] {
  return references.map((r, i) => {
    const id = r?.reference ? PRACTITIONER_REF.exec(r.reference)?.[1] : undefined;
    if (!id)
      throw new ForbiddenError(
        `${field(i)}: ${what} is a Practitioner/<id> of the calling hospital, not ${r?.reference ?? "a reference-less entry"}`,
        field(i),
      );
    return id;
  });
}

/** The DocumentReference's authors (Practitioner ids, in order), with its custodian checked */
export function documentAuthors(document: DocumentReferenceInput, hospitalId: string): string[] {
  checkOwnOrganization(document.custodian, hospitalId, "DocumentReference.custodian");
  return [...new Set(practitionerIds(document.author, (i) => `DocumentReference.author[${i}]`, "an author"))];
}

/** The Encounter's participants (Practitioner ids), with its serviceProvider checked */
export function encounterParticipants(encounter: EncounterInput, hospitalId: string): string[] {
  checkOwnOrganization(encounter.serviceProvider, hospitalId, "Encounter.serviceProvider");
  const individuals = (encounter.participant ?? []).map((p) => p.individual);
  return [...new Set(practitionerIds(individuals, (i) => `Encounter.participant[${i}].individual`, "a participant"))];
}
