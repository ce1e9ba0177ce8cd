/**
 * The province's default consent policy, as data, and the decider that applies it (docs/consent.md).
 * Pure: the caller gathers the facts (the reader, the resident's consents, the treatment relationship,
 * a break-the-glass grant, the documents an open telemedicine Task opens) and the time.
 *
 * - A hospital always reads what it authored itself.
 * - A break-the-glass grant of the reading practitioner opens everything of the resident, sensitive
 *   documents included, until it expires.
 * - The supporting documents of an open telemedicine Task the hospital owns are open to it (the
 *   requester attested the patient's consent), sensitive ones included.
 * - Otherwise the consents that apply to the reader (active, in their period, naming the reader's
 *   hospital or everyone, for the read's purpose) decide, the most recent `dateTime` first: a deny
 *   covering the item hides it; a permit (without labels) is a legal basis of its own. Without a
 *   covering permit, treatment reads need the treatment relationship (other purposes: a permit).
 * - A sensitive item (confidentiality R, or a sensitivity code) needs, for each of its labels, the
 *   most recent applicable consent naming that label to be a permit.
 */
import type { ConsentRule, Purpose, SensitiveLabel } from "#schemas/privacy.ts";
import { ACT_CODE_SYSTEM, CONFIDENTIALITY_SYSTEM, SENSITIVITY_CODES } from "#schemas/privacy.ts";

export const CONSENT_POLICY = {
  /** recorded in every decision's AuditEvent */
  version: "hhc-privacy-2026.12",
  /** the treatment relationship: a feed or an encounter within this many days (domain/push/relationship.ts) */
  relationshipDays: 90,
  /** purposes the treatment relationship is a legal basis for (others need a permit Consent) */
  treatmentPurposes: ["TREAT", "ETREAT"] as readonly Purpose[],
  /** the purpose of a read that names none */
  defaultPurpose: "TREAT" as Purpose,
  /** confidentiality codes that make a document sensitive */
  sensitiveConfidentiality: ["R"] as readonly string[],
  /** sensitivity codes (v3-ActCode) that make a document sensitive */
  sensitivityCodes: SENSITIVITY_CODES as readonly string[],
  /** a resident younger than this (by birth date) consents through a guardian */
  minorAgeYears: 14,
  breakGlass: {
    /** how long a break-the-glass opens the resident to the practitioner */
    hours: 4,
    roles: ["doctor", "nurse"] as readonly string[],
    specialties: ["emergency", "critical-care"] as readonly string[],
    /** each use is reviewed by the privacy officer within this many hours (then it is overdue, alarmed) */
    reviewHours: 72,
  },
} as const;

/** The sensitive labels a resource carries (`securityLabel`), as the codes a Consent names */
export function sensitiveLabelsOf(resource: Record<string, unknown> | undefined): SensitiveLabel[] {
  const labels = Array.isArray(resource?.securityLabel)
    ? (resource.securityLabel as { coding?: { system?: string; code?: string }[] }[])
    : [];
  const found = new Set<SensitiveLabel>();
  for (const label of labels)
    for (const c of label.coding ?? []) {
      if (!c.code) continue;
      if (c.system === CONFIDENTIALITY_SYSTEM && CONSENT_POLICY.sensitiveConfidentiality.includes(c.code))
        found.add(c.code as SensitiveLabel);
      if ((c.system === ACT_CODE_SYSTEM || c.system === undefined) && CONSENT_POLICY.sensitivityCodes.includes(c.code))
        found.add(c.code as SensitiveLabel);
    }
  return [...found].sort();
}

export interface Reader {
  hospitalId: string;
  purpose: Purpose;
}

export interface DecisionFacts {
  relationship: boolean;
  consents: readonly ConsentRule[];
  /** the reading practitioner's break-the-glass grant of this resident, if any (its expiry is checked here) */
  breakGlass?: { id: string; expires: string };
  /** document ids open to the hospital through an open telemedicine Task it owns */
  telemedicineDocuments?: readonly string[];
}

/** An item of the record as the decider sees it */
export interface ReadItem {
  id: string;
  /** the authoring (recording) hospital */
  hospitalId: string;
  labels: readonly SensitiveLabel[];
}

export type Basis =
  | "author"
  | "break-glass"
  | "telemedicine"
  | "consent"
  | "relationship"
  | "no-relationship"
  | "deny-consent"
  | "sensitive";

export interface ItemDecision {
  permit: boolean;
  basis: Basis;
  /** the consents the decision used */
  consents: string[];
}

const inPeriod = (rule: ConsentRule, now: Date): boolean => {
  const start = rule.period?.start ? Date.parse(rule.period.start) : Number.NEGATIVE_INFINITY;
  // a date-only end covers that whole day (UTC+8 aside: a day's grace is the resident's favour for a deny and a permit alike)
  const end = rule.period?.end ? Date.parse(rule.period.end) + (rule.period.end.length === 10 ? 86_400_000 : 0) : Number.POSITIVE_INFINITY;
  return now.getTime() >= start && now.getTime() < end;
};

/** The consents that apply to the reader now, most recent `dateTime` first */
export function applicableConsents(consents: readonly ConsentRule[], reader: Reader, now: Date): ConsentRule[] {
  return consents
    .filter(
      (c) =>
        c.status === "active" &&
        inPeriod(c, now) &&
        (!c.actors || c.actors.length === 0 || c.actors.includes(reader.hospitalId)) &&
        (!c.purposes || c.purposes.length === 0 || c.purposes.includes(reader.purpose)),
    )
    .sort((a, b) => Date.parse(b.dateTime) - Date.parse(a.dateTime) || b.id.localeCompare(a.id));
}

const isGeneral = (c: ConsentRule) => !c.labels || c.labels.length === 0;
const breakGlassHolds = (facts: DecisionFacts, now: Date) =>
  facts.breakGlass !== undefined && Date.parse(facts.breakGlass.expires) > now.getTime();

/** May the reader see this item of the resident's record? */
export function decideItem(facts: DecisionFacts, reader: Reader, item: ReadItem, now: Date): ItemDecision {
  if (item.hospitalId === reader.hospitalId) return { permit: true, basis: "author", consents: [] };
  if (breakGlassHolds(facts, now)) return { permit: true, basis: "break-glass", consents: [] };
  if (facts.telemedicineDocuments?.includes(item.id)) return { permit: true, basis: "telemedicine", consents: [] };
  const applicable = applicableConsents(facts.consents, reader, now);
  // the most recent consent covering the item: a general one, or one naming one of its labels
  const covering = applicable.find((c) => isGeneral(c) || c.labels!.some((l) => item.labels.includes(l as SensitiveLabel)));
  if (covering?.type === "deny") return { permit: false, basis: "deny-consent", consents: [covering.id] };
  const used: string[] = [];
  for (const label of item.labels) {
    const latest = applicable.find((c) => c.labels?.includes(label));
    if (latest?.type !== "permit") return { permit: false, basis: "sensitive", consents: latest ? [latest.id] : [] };
    if (!used.includes(latest.id)) used.push(latest.id);
  }
  const general = applicable.find(isGeneral);
  if (general?.type === "permit")
    return { permit: true, basis: "consent", consents: [general.id, ...used.filter((id) => id !== general.id)] };
  if (facts.relationship && CONSENT_POLICY.treatmentPurposes.includes(reader.purpose))
    return { permit: true, basis: "relationship", consents: used };
  return { permit: false, basis: "no-relationship", consents: used };
}

export type ResidentDecision = "permit" | "deny" | "permit-with-filter";

/**
 * May the reader open the resident's record at all ($everything, a direct read, `$decide`)? `permit`:
 * everything asked for (the labels asked for included); `permit-with-filter`: the record, without what
 * the labels asked for (or what others authored is hidden); `deny`: nothing but what it authored itself.
 */
export function decideResident(
  facts: DecisionFacts,
  reader: Reader,
  labels: readonly SensitiveLabel[],
  now: Date,
): { decision: ResidentDecision; basis: Basis; consents: string[] } {
  if (breakGlassHolds(facts, now)) return { decision: "permit", basis: "break-glass", consents: [] };
  const applicable = applicableConsents(facts.consents, reader, now);
  const general = applicable.find(isGeneral);
  if (general?.type === "deny") return { decision: "deny", basis: "deny-consent", consents: [general.id] };
  const opened = general?.type === "permit" || (facts.relationship && CONSENT_POLICY.treatmentPurposes.includes(reader.purpose));
  if (!opened) return { decision: "deny", basis: "no-relationship", consents: [] };
  const basis: Basis = general?.type === "permit" ? "consent" : "relationship";
  const used = general ? [general.id] : [];
  let filtered = false;
  for (const label of labels) {
    const latest = applicable.find((c) => c.labels?.includes(label));
    if (latest && !used.includes(latest.id)) used.push(latest.id);
    if (latest?.type !== "permit") filtered = true;
  }
  return { decision: filtered ? "permit-with-filter" : "permit", basis, consents: used };
}

/** Whole years of age at `today` (YYYY-MM-DD) for a birth date YYYY-MM-DD */
export function ageInYears(birthDate: string, today: string): number {
  const [by, bm, bd] = birthDate.split("-").map(Number) as [number, number, number];
  const [ty, tm, td] = today.split("-").map(Number) as [number, number, number];
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

/** What a read's AuditEvent records of its privacy decision */
export interface PrivacyDecision {
  decision: ResidentDecision;
  basis: Basis;
  /** the consents the decision used */
  consents: string[];
  policyVersion: string;
  purpose: Purpose;
  /** the break-the-glass use the read was made under */
  breakGlass?: { id: string; reason: string };
  /** items of the record the reader may not see, left out of the answer */
  hidden?: number;
}
