/**
 * A newborn's resident ID number that public security registered (`household-registration`,
 * docs/departments.md#births), on the hub's ResidentIdRegistrations queue: the exchange checked the
 * newborn is the MPI's and answered; the MPI's own function (MpiResidentIds, which holds the matching
 * engine) adds the number to the newborn's record.
 */
import { z } from "zod";

export const residentIdRegistrationSchema = z.object({
  type: z.literal("resident-id-registration"),
  version: z.literal(1),
  /** the household-registration message's id */
  messageId: z.string().min(1).max(200),
  empi: z.string().min(1).max(64),
  residentId: z.string().regex(/^\d{17}[\dX]$/),
  at: z.string().max(40),
});
export type ResidentIdRegistration = z.infer<typeof residentIdRegistrationSchema>;
