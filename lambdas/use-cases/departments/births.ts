/**
 * A newborn's household registration at the exchange (docs/departments.md#births): public security's
 * `household-registration` names the newborn by its EMPI and gives its new resident ID number. The
 * exchange checks the MPI knows the newborn and queues the number for the MPI's own function
 * (use-cases/mpi/resident-ids.ts), which adds it to the newborn's record: this function does not carry
 * the matching engine. Queued before the message is recorded as answered, so a crash in between leaves
 * the member's retry to queue it again (applied once: the MPI's side is idempotent).
 */
import type { ResidentIdRegistration } from "#schemas/resident-id-registration.ts";
import { type MpiDeps, resolveView } from "#use-cases/mpi/residents.ts";

export interface ResidentIdQueue {
  mpi: MpiDeps;
  publish(registration: ResidentIdRegistration): Promise<void>;
}

/** false: the MPI has no resident with that EMPI */
export async function queueResidentId(
  deps: ResidentIdQueue,
  messageId: string,
  empi: string,
  residentId: string,
  now: Date,
): Promise<boolean> {
  if (!(await resolveView(deps.mpi, empi))) return false;
  await deps.publish({ type: "resident-id-registration", version: 1, messageId, empi, residentId, at: now.toISOString() });
  return true;
}
