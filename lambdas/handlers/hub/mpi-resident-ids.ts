/**
 * Applies newborns' resident ID numbers from the ResidentIdRegistrations queue (public security's household
 * registrations, checked and answered by the exchange): the MPI adds each to the newborn's record
 * (use-cases/mpi/resident-ids.ts). A newborn the MPI no longer has is retried, then kept in the DLQ.
 */
import { residentIdRegistrationSchema } from "#schemas/resident-id-registration.ts";
import { sqsHandler } from "#shared/sqs.ts";
import { registerResidentId } from "#use-cases/mpi/resident-ids.ts";
import { mpiWiring } from "#wiring/mpi.ts";

const { deps, mpi } = mpiWiring();

export const handler = sqsHandler(residentIdRegistrationSchema, async (registration) => {
  if (!(await registerResidentId(deps, mpi, registration.empi, registration.residentId)))
    throw new Error(`no resident ${registration.empi} in the MPI for household registration ${registration.messageId}`);
});
