/**
 * Who a claim is for, resolved at the hub before the claim is recorded (docs/settlement.md).
 * Input: the read claim, the calling hospital and its city. Output: the claim message's resident and
 *   hospital fields (EMPI for the FIFO group, resident ID number, the hospital's city code and level).
 * Primary course: ask the hub's PIXm for the claim's patient (the hospital's level read meanwhile) →
 *   the EMPI among its targets (422 while the resident awaits review) → a valid 18-character resident
 *   ID number (422 without one: insurance needs it).
 */

import { UnprocessableError } from "#domain/errors.ts";
import { pixTargets } from "#domain/mpi/pix-answer.ts";
import { checkResidentId, isUsableResidentId } from "#domain/mpi/resident-id.ts";
import type { SettlementHub } from "#ports/settlement.ts";
import { EMPI_SYSTEM, RESIDENT_ID_SYSTEM } from "#schemas/patient.ts";
import { clock } from "#shared/clock.ts";
import type { ReadClaim, SubmitDeps } from "./submit-claim.ts";

export interface ClaimantDeps {
  hub: SettlementHub;
  /** The administrative code of a city of the province */
  cityAdminCode: (cityId: string) => Promise<string>;
}

export type Claimant = Awaited<ReturnType<SubmitDeps["resolve"]>>;

export async function resolveClaimant(deps: ClaimantDeps, hospitalId: string, cityId: string, read: ReadClaim): Promise<Claimant> {
  const id = read.claim.patient.identifier;
  // the hospital's level (cached per instance) is read while the MPI answers
  const level = deps.hub.hospitalLevel(hospitalId);
  level.catch(() => {}); // awaited below; an early failure must not go unhandled meanwhile
  const targets = pixTargets(await deps.hub.pix(id, hospitalId));
  if (id.system === RESIDENT_ID_SYSTEM || id.system === EMPI_SYSTEM) targets.push(id);
  const empi = targets.find((t) => t.system === EMPI_SYSTEM)?.value;
  if (!empi)
    throw new UnprocessableError(
      "Claim.patient: the resident awaits review at the master patient index; claim once linked",
      "Claim.patient.identifier",
    );
  const residentId = targets
    .filter((t) => t.system === RESIDENT_ID_SYSTEM)
    .map((t) => checkResidentId(t.value, { today: clock.today() }))
    .find((c) => isUsableResidentId(c) && c.normalized?.length === 18)?.normalized;
  if (!residentId)
    throw new UnprocessableError(
      "Claim.patient: the resident has no valid resident ID number, which insurance needs",
      "Claim.patient.identifier",
    );
  return { cityId, hospitalCityCode: await deps.cityAdminCode(cityId), hospitalLevel: await level, empi, residentId };
}
