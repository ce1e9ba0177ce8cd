/**
 * What the consent use cases (use-cases/consent/) need: at the hub, the Consents table (consents and
 * break-the-glass uses) and the facts of a treatment relationship; at a city, the hub's privacy
 * context for a read (cached for a bounded time).
 */
import type { BreakGlassGrant, ConsentRule, PrivacyContext, PrivacyContextRequest } from "#schemas/privacy.ts";

// ——— hub ———

export interface StoredConsent {
  rule: ConsentRule;
  /** the recording hospital */
  hospitalId: string;
  resource: Record<string, unknown>;
}

export interface BreakGlassUse extends BreakGlassGrant {
  empi: string;
  hospitalId: string;
  cityId: string;
  practitionerId: string;
  status: "unreviewed" | "reviewed";
  /** the privacy officer's review, once made */
  review?: { outcome: "justified" | "unjustified"; note: string; at: string };
}

export interface ConsentStore {
  put(consent: StoredConsent): Promise<void>;
  get(id: string): Promise<StoredConsent | undefined>;
  /** every consent recorded for one of these EMPIs (the resident and those merged into it) */
  ofResident(empis: readonly string[]): Promise<StoredConsent[]>;
  /** inactive; false when it is not there or no longer active */
  revoke(id: string, resource: Record<string, unknown>): Promise<boolean>;
}

export interface BreakGlassStore {
  put(use: BreakGlassUse): Promise<void>;
  get(id: string): Promise<BreakGlassUse | undefined>;
  /** the practitioner's latest use for the resident at the hospital, if any */
  latest(empi: string, hospitalId: string, practitionerId: string): Promise<BreakGlassUse | undefined>;
  list(status?: BreakGlassUse["status"]): Promise<BreakGlassUse[]>;
  /** records the review; false when already reviewed or unknown */
  review(id: string, review: NonNullable<BreakGlassUse["review"]>): Promise<boolean>;
}

// ——— city ———

/** The hub's privacy context for one hospital's read about one resident (the city caches it briefly) */
export type PrivacyContextSource = (hospitalId: string, request: PrivacyContextRequest) => Promise<PrivacyContext>;
