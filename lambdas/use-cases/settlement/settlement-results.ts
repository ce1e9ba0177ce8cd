/**
 * The hub's side of settlement (docs/settlement.md).
 * recordSettlement — input: the insurance platform's answer to a claim; stores its ClaimResponse
 *   (searchable, reconciled), counts a settled claim, and sends the ClaimResponse to the hospital's FEP
 *   inbox as a Communication.
 * claimResponseSearch — input: the hospital a city names and its `request.identifier`; output: the
 *   claim's ClaimResponses as a searchset Bundle (the submission first); 400 malformed, 403 another
 *   hospital's claims.
 * claimResponseRead — input: the hospital a city names and a ClaimResponse id; output: the ClaimResponse,
 *   if it answers one of that hospital's claims (else 404, as for an unknown id).
 * reconciliation — input: a China Standard Time day (and a hospital); output: the day's net figures.
 */
import { BadRequestError, ForbiddenError, NotFoundError } from "#domain/errors.ts";
import { buildClaimResponse, claimResponseCommunication, reconcile } from "#domain/settlement/claim-response.ts";
import type { InboxSender } from "#ports/push.ts";
import type { SettlementStore } from "#ports/settlement.ts";
import { type ClaimAdjudicatedMessageV1, claimSystem } from "#schemas/settlement.ts";

export interface SettlementResultDeps {
  store: SettlementStore;
  sendToInbox: InboxSender;
  /** counts a settled claim for the operators' activity figures */
  countClaim: (at: Date) => Promise<void>;
}

export async function recordSettlement(deps: SettlementResultDeps, result: ClaimAdjudicatedMessageV1, now: Date): Promise<void> {
  await deps.store.record(result, buildClaimResponse(result));
  if (result.action === "submit") await deps.countClaim(now);
  await deps.sendToInbox(result.cityId, result.hospitalId, claimResponseCommunication(result));
}

export async function claimResponseSearch(store: SettlementStore, hospitalId: string, wanted: string | undefined) {
  const bar = wanted?.indexOf("|") ?? -1;
  if (!wanted || bar <= 0 || bar === wanted.length - 1)
    throw new BadRequestError("request.identifier: <claim number system>|<claim number> is required", "request.identifier");
  const system = wanted.slice(0, bar);
  const value = wanted.slice(bar + 1);
  if (system !== claimSystem(hospitalId))
    throw new ForbiddenError(`request.identifier: a hospital reads only its own claims (${claimSystem(hospitalId)})`);
  const found = await store.byClaim(hospitalId, value);
  const entries = found
    .sort((a, b) => (a.result.action === b.result.action ? 0 : a.result.action === "submit" ? -1 : 1))
    .map((f) => ({ fullUrl: `ClaimResponse/${String(f.claimResponse.id)}`, resource: f.claimResponse, search: { mode: "match" } }));
  return { resourceType: "Bundle", type: "searchset", total: entries.length, entry: entries };
}

export async function claimResponseRead(store: SettlementStore, hospitalId: string, id: string) {
  const found = await store.byResponseId(id);
  if (!found || found.result.hospitalId !== hospitalId)
    throw new NotFoundError(`ClaimResponse/${id} answers no claim of ${hospitalId}`, "id");
  return found.claimResponse;
}

export async function reconciliation(store: SettlementStore, date: string | undefined, hospital: string | undefined) {
  if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)))
    throw new BadRequestError("date: a China Standard Time day YYYY-MM-DD is required", "date");
  if (hospital !== undefined && !/^[a-z0-9-]{1,64}$/.test(hospital)) throw new BadRequestError("hospital: not a hospital id", "hospital");
  return { date, hospitals: reconcile(await store.day(date, hospital)) };
}
