/**
 * What the health card's use cases (use-cases/health-card.ts) need: the card store (cards, the
 * latest generation per ID document, once-only code uses, the use log), the province secret, and
 * the master patient index (who a card's resident is, and the card as one more of their identifiers).
 */
import type { EncounterVisit } from "#domain/health-card.ts";
import type { AuditIndex } from "#schemas/audit.ts";
import type { CardStatus, CareStep, VerifyOutcome } from "#schemas/health-card.ts";

export type { EncounterVisit };

export interface Identifier {
  system: string;
  value: string;
}

export interface CardStatusChange {
  status: CardStatus;
  at: string;
  /** the hospital, or "operator" */
  by: string;
  reason: string;
}

export interface HealthCard {
  cardId: string;
  /** keyed digest of the ID document (never the number in clear) */
  documentKey: string;
  generation: number;
  /** the resident when issued (a merge is followed when the card is used) */
  empi: string;
  issuedBy: string;
  cityId: string;
  issuedAt: string;
  status: CardStatus;
  /** oldest first; the first entry is the issue */
  history: CardStatusChange[];
  /** optimistic concurrency: each write is conditional on the version read */
  version: number;
}

export interface CardUse {
  cardId?: string;
  hospitalId: string;
  cityId: string;
  terminal: string;
  careStep: CareStep;
  at: string;
  outcome: VerifyOutcome;
  kind: "static" | "dynamic" | "malformed";
  /** the resident, when the card is known */
  empi?: string;
}

export interface HealthCardStore {
  get(cardId: string): Promise<HealthCard | undefined>;
  /**
   * Cancels `replaced` (if its stored version is still the one before), then writes the new card if
   * absent: single-item conditional writes, in that order, so an interruption leaves no two active
   * cards of one document. False when a concurrent write came first.
   */
  issue(card: HealthCard, replaced?: HealthCard): Promise<boolean>;
  /** writes the card if the stored version is `card.version - 1`; false when a concurrent write came first */
  update(card: HealthCard): Promise<boolean>;
  /** records a dynamic code's first use; false when it was already used (kept until `expiresAt`, unix seconds) */
  claimCode(code: string, expiresAt: number): Promise<boolean>;
  /**
   * Records a verification; in the same write, with `registration`, the hospital's registration of the
   * resident by card (a dynamic code accepted at registration: a treatment relationship's contact), and
   * with `audit`, the verification's AuditEvent in the audit repository
   */
  recordUse(use: CardUse, registration?: { hospitalId: string; empi: string; at: string }, audit?: VerificationAudit): Promise<void>;
  /** uses on a China Standard Time day (YYYY-MM-DD) */
  usesOn(date: string): Promise<CardUse[]>;
  /** cards issued on a China Standard Time day: by which hospital of which city */
  issuedOn(date: string): Promise<Pick<HealthCard, "cardId" | "cityId" | "issuedBy">[]>;
  /** the registrations by card of the residents `empis` (a treatment relationship's contacts) */
  registrationsOf(empis: readonly string[]): Promise<{ hospitalId: string; at: string }[]>;
}

/** A verification's AuditEvent, as the audit repository stores it */
export interface VerificationAudit {
  id: string;
  index: AuditIndex;
  event: Record<string, unknown>;
}

/** The province's encounters by China Standard Time day of their start (the hub's record locator), for the card-based visit rate */
export interface EncounterVisits {
  /** encounters that began on the day (YYYY-MM-DD, CST), cancelled and entered-in-error ones left out */
  on(date: string): Promise<EncounterVisit[]>;
}

/** The resident as a verification answers for them */
export interface CardHolder {
  /** the survivor when the card's resident was merged into another */
  empi: string;
  identifiers: Identifier[];
  name?: Record<string, unknown>[];
  gender?: string;
  birthDate?: string;
}

export interface CardResidents {
  /** the EMPI (survivor) an identifier names in the MPI, or undefined */
  resolve(identifier: Identifier): Promise<string | undefined>;
  /** the resident answering for `empi` (following merges); without `demographics`, the EMPI alone (a static code's answer) */
  holder(empi: string, demographics: boolean): Promise<CardHolder | undefined>;
  /** links identifiers (the card, social security card, insurance e-voucher) to the resident */
  link(empi: string, identifiers: Identifier[], hospitalId: string): Promise<void>;
}

/** The province secret (Secrets Manager in AWS, a file in the data folder locally), read once per cold start */
export type ProvinceSecret = () => Promise<Uint8Array>;
