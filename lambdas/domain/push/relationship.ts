/**
 * The treatment relationship of DESIGN.md, as far as the hub records it: a hospital has one with a
 * resident while, by the province clock, within the last 90 days it fed the resident through the
 * PIXm feed (with its own MRN) or recorded an encounter for them, or while it holds an open contact
 * (an open telemedicine Task, once there are any: docs/push.md). Pure: the caller gathers the
 * hospitals' contacts with the resident (each hospital and when) from its sources.
 */
import type { LocatorEntry } from "#schemas/documents.ts";

export const RELATIONSHIP_DAYS = 90;

export interface Contact {
  hospitalId: string;
  /** ISO 8601: when the hospital fed or updated its record, or recorded (or last updated) the encounter */
  at: string;
  /**
   * The contact holds the relationship for as long as it lasts, whatever its age (an open
   * telemedicine Task the hospital requested or owns); absent for feeds and encounters
   */
  open?: boolean;
}

export function hasTreatmentRelationship(contacts: readonly Contact[], hospitalId: string, now: Date): boolean {
  const since = now.getTime() - RELATIONSHIP_DAYS * 86_400_000;
  return contacts.some(
    (c) => c.hospitalId === hospitalId && (c.open === true || (Date.parse(c.at) >= since && Date.parse(c.at) <= now.getTime())),
  );
}

/**
 * For a delivery (docs/push.md): does the hospital's relationship still hold at `at`, the event's
 * time? undefined if it does, else the day it lapsed: 90 days after its latest contact (the event's
 * day if it has none left), YYYY-MM-DD in China Standard Time (UTC+8), the province's calendar. A contact later than `at` counts too: a feed keeps only its
 * latest update, and a hospital that updated its record since the event has the relationship still.
 * An open contact holds it whatever its age.
 */
export function relationshipLapsedOn(contacts: readonly Contact[], hospitalId: string, at: Date): string | undefined {
  const days = RELATIONSHIP_DAYS * 86_400_000;
  const own = contacts.filter((c) => c.hospitalId === hospitalId);
  if (own.some((c) => c.open === true)) return undefined;
  const times = own.map((c) => Date.parse(c.at));
  const latest = times.length ? Math.max(...times) : undefined;
  if (latest !== undefined && latest >= at.getTime() - days) return undefined;
  return new Date((latest === undefined ? at.getTime() : latest + days) + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** Encounters that never took place: recorded in error, or cancelled before they began */
const NOT_AN_ENCOUNTER: ReadonlySet<string> = new Set(["entered-in-error", "cancelled"]);

/**
 * The contacts the record locator's entries of a resident make: each encounter a hospital recorded
 * (`POST /fhir/Encounter`), at the time of its latest revision. Documents are not contacts (the
 * design counts feeds, encounters and Tasks), nor are encounters entered in error or cancelled.
 */
export const encounterContacts = (entries: readonly LocatorEntry[]): Contact[] =>
  entries
    .filter((e) => e.resourceType === "Encounter" && !NOT_AN_ENCOUNTER.has(e.status))
    .map((e) => ({ hospitalId: e.hospitalId, at: e.recordedAt }));

/** The Subscription.error of a subscription switched off because the relationship lapsed */
export const lapsedError = (day: string) =>
  `treatment relationship with the resident lapsed on ${day}; subscribe again after a new encounter or registration`;

/** Subscriptions a hospital may hold at once, unless configured otherwise */
export const DEFAULT_SUBSCRIPTION_CAP = 10_000;
