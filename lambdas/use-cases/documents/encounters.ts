/**
 * Record an encounter for the EHR timeline.
 * Input: the calling hospital and its Encounter (identifier under its own encounter system).
 * Output: the stored Encounter, 201 when new, 200 when it changed (a new revision: e.g. in-progress →
 *   finished) or was already recorded exactly so (idempotent re-POST).
 * Primary course: its participants are practitioners of the hospital and its serviceProvider the
 *   hospital itself (403) → the resident's EMPI from the hub's MPI → the record keyed by the identifier,
 *   created if absent or replaced by compare-and-set on its revision → listed for the resident and
 *   recorded in the exchange outbox for the hub's timeline, with its implanted devices' UDIs parsed first
 *   (a carrier that does not parse → 400 naming it, nothing recorded: docs/drugs-devices.md#implants).
 */
import { encounterParticipants } from "#domain/documents/claims.ts";
import { encounterIdOf, residentSubject, typeTokensOf } from "#domain/documents/records.ts";
import { implantsOf, withImplantPatient } from "#domain/drugs/implants.ts";
import { BadRequestError, ConflictError, ForbiddenError } from "#domain/errors.ts";
import type { CityId } from "#schemas/city.ts";
import { encounterSystem, type LocatorEntry } from "#schemas/documents.ts";
import type { EncounterInput } from "#schemas/encounter.ts";
import { type RecordDeps, shareEntry } from "./exchange.ts";

export interface EncounterDeps extends RecordDeps {
  resolveEmpi: (id: { system: string; value: string }, hospitalId: string) => Promise<string | undefined>;
  /** Is the practitioner active at the hospital (a role in force there)? */
  isPractitionerOf: (hospitalId: string, practitionerId: string) => Promise<boolean>;
}

export async function recordEncounter(
  deps: EncounterDeps,
  cityId: CityId,
  hospitalId: string,
  encounter: EncounterInput,
): Promise<{ statusCode: 200 | 201; resource: Record<string, unknown>; empi: string }> {
  const own = encounter.identifier.filter((i) => i.system === encounterSystem(hospitalId));
  if (own.length !== 1) {
    const foreign = encounter.identifier.some((i) => i.system.startsWith("https://hebei.health/sid/encounter/"));
    if (foreign)
      throw new ForbiddenError(`Encounter.identifier: only this hospital's ${encounterSystem(hospitalId)} may key its encounters`);
    throw new BadRequestError(
      `Encounter.identifier: exactly one identifier under ${encounterSystem(hospitalId)} is required`,
      "Encounter.identifier",
    );
  }
  const implants = implantsOf(encounter);
  for (const [i, practitionerId] of encounterParticipants(encounter, hospitalId).entries())
    if (!(await deps.isPractitionerOf(hospitalId, practitionerId)))
      throw new ForbiddenError(
        `Encounter.participant[${i}].individual: Practitioner/${practitionerId} is not an active practitioner of ${hospitalId}`,
        `Encounter.participant[${i}].individual`,
      );
  const empi = await deps.resolveEmpi(encounter.subject.identifier, hospitalId);
  if (!empi)
    throw new BadRequestError(
      "Encounter.subject.identifier: names no resident known to the master patient index",
      "Encounter.subject.identifier",
    );
  const id = encounterIdOf(cityId, own[0]!);
  const subject = residentSubject(empi);
  const resource: Record<string, unknown> = { ...encounter, id, subject };
  if (implants.length > 0) resource.contained = withImplantPatient(encounter.contained, subject);
  for (let attempt = 0; attempt < 5; attempt++) {
    const existing = await deps.index.get("Encounter", id);
    if (existing && JSON.stringify(existing.entry.resource) === JSON.stringify(resource)) {
      await shareEntry(deps, cityId, existing.entry, implants);
      return { statusCode: 200, resource, empi: existing.entry.empi };
    }
    const entry: LocatorEntry = {
      resourceType: "Encounter",
      id,
      empi,
      cityId,
      hospitalId,
      revision: (existing?.entry.revision ?? 0) + 1,
      status: encounter.status,
      date: encounter.period?.start,
      typeTokens: [...typeTokensOf({ coding: [encounter.class] }), ...(encounter.type ?? []).flatMap(typeTokensOf)],
      recordedAt: deps.now().toISOString(),
      resource,
    };
    const record = { entry, key: `${own[0]!.system}|${own[0]!.value}` };
    const written = existing ? await deps.index.update(record, existing.entry.revision) : await deps.index.create(record);
    if (written) {
      await shareEntry(deps, cityId, entry, implants);
      return { statusCode: existing ? 200 : 201, resource, empi };
    }
  }
  throw new ConflictError(`Encounter ${own[0]!.value} is being changed concurrently; retry`);
}
