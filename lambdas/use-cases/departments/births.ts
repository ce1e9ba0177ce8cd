/**
 * A newborn's household registration (docs/departments.md#births): public security's
 * `household-registration` names the newborn by its EMPI and gives its new resident ID number; the MPI
 * adds the number to the newborn's most recent hospital record and feeds it again (placement as any
 * feed), so PIXm and PDQm resolve the newborn by the number.
 */
import type { MasterPatientIndex } from "#domain/mpi/engine.ts";
import type { FeedPatient } from "#schemas/patient.ts";
import { RESIDENT_ID_SYSTEM } from "#schemas/patient.ts";
import { feedPatient } from "#use-cases/mpi/feed.ts";
import { parseSource } from "#use-cases/mpi/patient-record.ts";
import { confirmedSources, type MpiDeps, resolveView } from "#use-cases/mpi/residents.ts";

export async function registerResidentId(deps: MpiDeps, mpi: MasterPatientIndex, empi: string, residentId: string): Promise<boolean> {
  const view = await resolveView(deps, empi);
  if (!view) return false;
  const latest = (await confirmedSources(deps, view)).map((c) => c.stored).sort((a, b) => b.lastUpdated.localeCompare(a.lastUpdated))[0];
  if (!latest) return false;
  const patient = latest.patient as FeedPatient;
  const identifier = [
    ...(patient.identifier ?? []).filter((i) => i.system !== RESIDENT_ID_SYSTEM),
    { system: RESIDENT_ID_SYSTEM, value: residentId },
  ];
  await feedPatient(deps, mpi, {
    hospitalId: latest.hospitalId,
    patient: { ...patient, identifier },
    source: parseSource(latest.sourceKey),
  });
  return true;
}
