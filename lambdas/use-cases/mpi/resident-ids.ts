/**
 * A newborn's household registration, applied by the MPI (docs/departments.md#births): public security's
 * `household-registration` names the newborn by its EMPI and gives its new resident ID number; the MPI
 * adds the number to the newborn's most recent hospital record and feeds it again (placement as any
 * feed), so PIXm and PDQm resolve the newborn by the number. Run by the MPI's own function from the
 * ResidentIdRegistrations queue (the exchange only checks and queues: use-cases/departments/births.ts);
 * a registration delivered twice changes nothing the second time.
 */
import type { MasterPatientIndex } from "#domain/mpi/engine.ts";
import type { FeedPatient } from "#schemas/patient.ts";
import { RESIDENT_ID_SYSTEM } from "#schemas/patient.ts";
import { feedPatient } from "./feed.ts";
import { parseSource } from "./patient-record.ts";
import { confirmedSources, type MpiDeps, resolveView } from "./residents.ts";

/** false: no resident (or no hospital record of it) with that EMPI */
export async function registerResidentId(deps: MpiDeps, mpi: MasterPatientIndex, empi: string, residentId: string): Promise<boolean> {
  const view = await resolveView(deps, empi);
  if (!view) return false;
  const latest = (await confirmedSources(deps, view)).map((c) => c.stored).sort((a, b) => b.lastUpdated.localeCompare(a.lastUpdated))[0];
  if (!latest) return false;
  const patient = latest.patient as FeedPatient;
  // delivered again (a retry, a re-drive): the record already carries the number
  if ((patient.identifier ?? []).some((i) => i.system === RESIDENT_ID_SYSTEM && i.value === residentId)) return true;
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
