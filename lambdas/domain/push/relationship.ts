/**
 * The treatment relationship of DESIGN.md, as far as the hub records it: a hospital has one with a
 * resident while, by the province clock, within the last 90 days it fed the resident through the
 * PIXm feed (with its own MRN) or recorded an encounter for them. Pure: the caller gathers the
 * hospital's contacts with the resident (each hospital and when).
 */
export const RELATIONSHIP_DAYS = 90;

export interface Contact {
  hospitalId: string;
  /** ISO 8601: when the hospital fed or updated its record, or recorded the encounter */
  at: string;
}

export function hasTreatmentRelationship(contacts: readonly Contact[], hospitalId: string, now: Date): boolean {
  const since = now.getTime() - RELATIONSHIP_DAYS * 86_400_000;
  return contacts.some((c) => c.hospitalId === hospitalId && Date.parse(c.at) >= since && Date.parse(c.at) <= now.getTime());
}

/** Subscriptions a hospital may hold at once, unless configured otherwise */
export const DEFAULT_SUBSCRIPTION_CAP = 10_000;
