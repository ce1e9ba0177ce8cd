/**
 * Down-referrals (docs/telemedicine.md#referrals). downReferralOwner — input: the hospital creating a
 * ServiceRequest `basedOn` an earlier one, the resident, their documents and what it names as
 * supportingInfo. Output: the owner of the new Task: the hospital that sent the referral, named by the
 * referral's Task (no dispatch). Only the receiving hospital of a completed `referral` creates one
 * (else 403 or 409), for the same resident (422), carrying a discharge summary it published (422).
 */
import { ConflictError, ForbiddenError, UnprocessableError } from "#domain/errors.ts";
import type { TaskOwner } from "#domain/telemedicine/task.ts";
import type { TelemedicineDeps } from "#ports/telemedicine.ts";

export async function downReferralOwner(
  deps: TelemedicineDeps,
  hospitalId: string,
  basedOn: string,
  empi: string,
  supportingInfo: readonly string[],
  documents: Map<string, { hospitalId: string; status: string }>,
): Promise<TaskOwner> {
  const taskId = await deps.tasks.taskOfServiceRequest(basedOn);
  const original = taskId ? await deps.tasks.get(taskId) : undefined;
  if (!original) throw new UnprocessableError(`basedOn: ServiceRequest/${basedOn} is not a telemedicine request`, "basedOn[0].reference");
  if (original.owner?.hospitalId !== hospitalId)
    throw new ForbiddenError(
      `a down-referral is sent by the hospital that received the referral, not ${hospitalId}`,
      "basedOn[0].reference",
    );
  if (original.category !== "referral" || original.status !== "completed")
    throw new ConflictError(
      `basedOn: ServiceRequest/${basedOn} is a ${original.category} ${original.status}: a down-referral follows a completed referral`,
      "basedOn[0].reference",
    );
  if (original.empi !== empi) throw new UnprocessableError("subject: not the resident of the referral", "subject.identifier");
  if (!supportingInfo.some((id) => documents.get(id)?.hospitalId === hospitalId))
    throw new UnprocessableError(
      "supportingInfo: the discharge summary, a document of the resident published by the receiving hospital",
      "supportingInfo",
    );
  const { hospitalId: back, cityId, tier } = original.requester;
  return { hospitalId: back, cityId, tier };
}
