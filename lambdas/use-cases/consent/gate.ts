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
 * redactPatients — PDQm: address, telecom and contacts only of residents the reader may open.
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
import { EMPI_SYSTEM } from "#schemas/identifiers.ts";
import { BREAK_GLASS_REASON_HEADER, type PrivacyContext, PURPOSE_HEADER, PURPOSES, type Purpose } from "#schemas/privacy.ts";

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

/** The Patient fields beyond identity that PDQm shows only to a hospital the policy opens the resident to */
export const PROTECTED_DEMOGRAPHICS = ["address", "telecom", "contact"] as const;

/**
 * A PDQm answer as the reader may see it: each Patient keeps its identity (identifiers, name, sex,
 * birth date); address, telecom and contacts are left out for a resident the reader may not open
 * (no treatment relationship, a deny). Never refused: a search answers what the reader may see.
 */
export async function redactPatients(
  source: PrivacyContextSource,
  access: ReadAccess,
  bundle: Record<string, unknown>,
  now: Date,
): Promise<{ bundle: Record<string, unknown>; privacy: PrivacyDecision }> {
  const entries = Array.isArray(bundle.entry) ? (bundle.entry as { resource?: Record<string, unknown> }[]) : [];
  const consents = new Set<string>();
  let hidden = 0;
  let policyVersion: string = CONSENT_POLICY.version;
  let breakGlass: PrivacyDecision["breakGlass"];
  const shown = await Promise.all(
    entries.map(async (entry) => {
      const ids = (entry.resource?.identifier ?? []) as { system?: string; value?: string }[];
      const empi = ids.find((i) => i.system === EMPI_SYSTEM)?.value;
      const context = empi ? await contextOf(source, access, empi) : undefined;
      const d = context ? decideResident(context, readerOf(access), [], now) : undefined;
      for (const id of d?.consents ?? []) consents.add(id);
      if (context) policyVersion = context.policyVersion;
      if (context?.breakGlass) breakGlass = { id: context.breakGlass.id, reason: context.breakGlass.reason };
      if (d && d.decision !== "deny") return entry;
      hidden++;
      const resource = { ...entry.resource };
      for (const field of PROTECTED_DEMOGRAPHICS) delete resource[field];
      return { ...entry, resource };
    }),
  );
  return {
    bundle: { ...bundle, entry: shown },
    privacy: {
      decision: hidden === 0 ? "permit" : hidden === entries.length ? "deny" : "permit-with-filter",
      basis: hidden === 0 ? "relationship" : "no-relationship",
      consents: [...consents],
      policyVersion,
      purpose: access.purpose,
      ...(breakGlass ? { breakGlass } : {}),
      hidden,
    },
  };
}
