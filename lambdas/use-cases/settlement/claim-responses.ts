/**
 * A hospital's ClaimResponses, as its city reads them from the hub (docs/settlement.md).
 * searchClaimResponses — input: the hospital and its `request.identifier` token; output: the hub's
 *   searchset Bundle and the EMPIs it names (for the audit). Primary course: the token names one of the
 *   hospital's own claims (400 malformed, 403 another hospital's) → the hub's search → its Bundle
 *   (another answer than 200 → 502).
 * readClaimResponse — input: the hospital and a ClaimResponse id; output: the hub's ClaimResponse and the
 *   EMPI it names. An id of another hospital's (ids start with their hospital) → 403 naming `id`; the hub's
 *   404 → 404; another answer → 502.
 * isSettled — whether the hub holds the ClaimResponse of a claim message's action (for the claim sweeper).
 */
import { BadRequestError, ForbiddenError, NotFoundError, UpstreamError } from "#domain/errors.ts";
import type { SettlementHub } from "#ports/settlement.ts";
import { type ClaimMessageV1, claimSystem } from "#schemas/settlement.ts";

interface ClaimResponseBundle {
  entry?: { resource: { status?: string; patient?: { identifier?: { value?: string } } } }[];
}

export async function searchClaimResponses(
  hub: SettlementHub,
  hospitalId: string,
  wanted: string,
): Promise<{ bundle: Record<string, unknown>; empis: string[] }> {
  const bar = wanted.indexOf("|");
  if (bar <= 0 || bar === wanted.length - 1)
    throw new BadRequestError("request.identifier: <claim number system>|<claim number> is required", "request.identifier");
  if (wanted.slice(0, bar) !== claimSystem(hospitalId))
    throw new ForbiddenError(`request.identifier: a hospital reads only its own claims (${claimSystem(hospitalId)})`);
  const answer = await hub.claimResponses(hospitalId, wanted.slice(bar + 1));
  if (answer.status !== 200) throw new UpstreamError(`The hub answered ${answer.status}`, "exception");
  const bundle = JSON.parse(answer.body) as ClaimResponseBundle & Record<string, unknown>;
  const empis = [...new Set((bundle.entry ?? []).map((e) => e.resource.patient?.identifier?.value).filter((v): v is string => !!v))];
  return { bundle, empis };
}

export async function readClaimResponse(
  hub: SettlementHub,
  hospitalId: string,
  id: string,
): Promise<{ resource: Record<string, unknown>; empis: string[] }> {
  if (!id.startsWith(`${hospitalId.slice(0, 24)}-`)) throw new ForbiddenError(`id: a hospital reads only its own ClaimResponses`, "id");
  const answer = await hub.claimResponse(hospitalId, id);
  if (answer.status === 404) throw new NotFoundError(`ClaimResponse/${id} answers no claim of ${hospitalId}`, "id");
  if (answer.status !== 200) throw new UpstreamError(`The hub answered ${answer.status}`, "exception");
  const resource = JSON.parse(answer.body) as Record<string, unknown> & { patient?: { identifier?: { value?: string } } };
  const empi = resource.patient?.identifier?.value;
  return { resource, empis: empi ? [empi] : [] };
}

export async function isSettled(hub: SettlementHub, message: ClaimMessageV1): Promise<boolean> {
  const answer = await hub.claimResponses(message.hospitalId, message.claimNumber);
  if (answer.status !== 200) throw new Error(`hub ClaimResponse search answered ${answer.status}`);
  const bundle = JSON.parse(answer.body) as ClaimResponseBundle;
  const wanted = message.action === "cancel" ? "cancelled" : "active";
  return (bundle.entry ?? []).some((e) => e.resource.status === wanted);
}
