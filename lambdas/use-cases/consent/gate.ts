/**
 * Enforcement of the consent policy at a city's reads (docs/consent.md): every read of a resident's
 * clinical data asks the hub's privacy context (cached at the city for a bounded time) and decides with
 * the pure policy (domain/consent/policy.ts).
 * readAccessOf — the reader of a request: hospital, practitioner, purpose (`X-Purpose-Of-Use`, TREAT by
 *   default), and a break-the-glass (ETREAT with `X-Break-Glass-Reason`, required: 400 otherwise).
 * filterItems — a search: the items the reader may see, and the decision (permit-with-filter when some
 *   were left out; the count hidden).
 * admitItem — a direct read of one item: its decision, or the uniform ConsentRefusedError (403).
 * admitResident — a read of the whole record ($everything): permitted for the resident, or the same 403
 *   (an unknown resident too).
 */
import {
  CONSENT_POLICY,
  type DecisionFacts,
  decideItem,
  decideResident,
  type PrivacyDecision,
  type Reader,
  type ReadItem,
} from "#domain/consent/policy.ts";
import { ConsentRefusedError } from "#domain/consent/refusal.ts";
import { BadRequestError } from "#domain/errors.ts";
import type { PrivacyContextSource } from "#ports/consent.ts";
import { BREAK_GLASS_REASON_HEADER, type PrivacyContext, PURPOSE_HEADER, PURPOSES, type Purpose } from "#schemas/consent.ts";

export interface ReadAccess {
  hospitalId: string;
  practitionerId?: string;
  purpose: Purpose;
  breakGlass?: { reason: string };
}

/** The reader a request names (headers lower-cased); 400 naming the header for a bad purpose or a missing reason */
export function readAccessOf(
  headers: Readonly<Record<string, string>>,
  hospitalId: string,
  practitionerId: string | undefined,
): ReadAccess {
  const raw = headers[PURPOSE_HEADER]?.trim();
  if (raw && !(PURPOSES as readonly string[]).includes(raw))
    throw new BadRequestError(`X-Purpose-Of-Use: must be one of ${PURPOSES.join(", ")}`, "X-Purpose-Of-Use");
  const purpose = (raw || CONSENT_POLICY.defaultPurpose) as Purpose;
  const access: ReadAccess = { hospitalId, ...(practitionerId ? { practitionerId } : {}), purpose };
  if (purpose !== "ETREAT") return access;
  const reason = headers[BREAK_GLASS_REASON_HEADER]?.trim();
  if (!reason || reason.length > 1000)
    throw new BadRequestError(
      "X-Break-Glass-Reason: a break-the-glass read (ETREAT) needs its reason (1 to 1,000 characters)",
      "X-Break-Glass-Reason",
    );
  return { ...access, breakGlass: { reason } };
}

export const contextOf = (source: PrivacyContextSource, access: ReadAccess, empi: string): Promise<PrivacyContext> =>
  source(access.hospitalId, {
    empi,
    purpose: access.purpose,
    ...(access.practitionerId ? { practitionerId: access.practitionerId } : {}),
    ...(access.breakGlass ? { breakGlass: access.breakGlass } : {}),
  });

const readerOf = (access: ReadAccess): Reader => ({ hospitalId: access.hospitalId, purpose: access.purpose });
const breakGlassOf = (context: PrivacyContext) =>
  context.breakGlass ? { breakGlass: { id: context.breakGlass.id, reason: context.breakGlass.reason } } : {};

/** The decision of a search over `items`: the visible ones and what the AuditEvent records */
export function filterItems<T>(
  context: PrivacyContext,
  access: ReadAccess,
  items: readonly T[],
  itemOf: (t: T) => ReadItem,
  now: Date,
): { visible: T[]; privacy: PrivacyDecision } {
  const facts: DecisionFacts = context;
  const reader = readerOf(access);
  const consents = new Set<string>();
  const visible: T[] = [];
  let hidden = 0;
  let basis: PrivacyDecision["basis"] | undefined;
  for (const t of items) {
    const d = decideItem(facts, reader, itemOf(t), now);
    for (const id of d.consents) consents.add(id);
    if (d.permit) {
      visible.push(t);
      if (d.basis !== "author" || !basis) basis = d.basis;
    } else hidden++;
  }
  const overall = decideResident(facts, reader, [], now);
  return {
    visible,
    privacy: {
      decision: hidden > 0 ? (visible.length > 0 ? "permit-with-filter" : "deny") : "permit",
      basis: hidden > 0 && visible.length === 0 ? overall.basis : (basis ?? overall.basis),
      consents: [...new Set([...overall.consents, ...consents])],
      policyVersion: context.policyVersion,
      purpose: access.purpose,
      ...breakGlassOf(context),
      hidden,
    },
  };
}

/** A direct read of one item: its decision, or the uniform 403 naming `field` */
export function admitItem(context: PrivacyContext, access: ReadAccess, item: ReadItem, now: Date, field: string): PrivacyDecision {
  const d = decideItem(context, readerOf(access), item, now);
  const privacy: PrivacyDecision = {
    decision: d.permit ? "permit" : "deny",
    basis: d.basis,
    consents: d.consents,
    policyVersion: context.policyVersion,
    purpose: access.purpose,
    ...breakGlassOf(context),
  };
  if (!d.permit) throw new ConsentRefusedError(privacy, field);
  return privacy;
}

/** A read of the resident's whole record: permitted (the items then filtered one by one), or the uniform 403 */
export function admitResident(context: PrivacyContext, access: ReadAccess, now: Date, field: string): PrivacyDecision {
  const d = decideResident(context, readerOf(access), [], now);
  const privacy: PrivacyDecision = {
    decision: d.decision,
    basis: d.basis,
    consents: d.consents,
    policyVersion: context.policyVersion,
    purpose: access.purpose,
    ...breakGlassOf(context),
  };
  if (!context.empi || d.decision === "deny") throw new ConsentRefusedError(context.empi ? privacy : undefined, field);
  return privacy;
}
