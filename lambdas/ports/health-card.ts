/**
 * What the health card's use cases (use-cases/health-card.ts) need: the card store (cards, the
 * latest generation per ID document, once-only code uses, the use log), the province secret, and
 * the master patient index (who a card's resident is, and the card as one more of their identifiers).
 */
import type { CardStatus, CareStep, VerifyOutcome } from "#schemas/health-card.ts";

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
  /** the newest generation issued on the document, if any */
  latest(documentKey: string): Promise<{ generation: number; cardId: string } | undefined>;
  /**
   * Writes the new card and moves the document's latest generation to it, atomically and only if the
   * latest is still `previous` (and `replaced`, the previous card cancelled, still at its version); false when a concurrent write came first.
   */
  issue(card: HealthCard, previous: { generation: number; replaced?: HealthCard } | undefined): Promise<boolean>;
  /** writes the card if the stored version is `card.version - 1`; false when a concurrent write came first */
  update(card: HealthCard): Promise<boolean>;
  /** records a dynamic code's first use; false when it was already used (kept until `expiresAt`, unix seconds) */
  claimCode(code: string, expiresAt: number): Promise<boolean>;
  recordUse(use: CardUse): Promise<void>;
  /** uses on a China Standard Time day (YYYY-MM-DD) */
  usesOn(date: string): Promise<CardUse[]>;
  /** cards issued on a China Standard Time day */
  issuedOn(date: string): Promise<HealthCard[]>;
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
  /** the resident answering for `empi` (following merges) */
  holder(empi: string): Promise<CardHolder | undefined>;
  /** links identifiers (the card, social security card, insurance e-voucher) to the resident */
  link(empi: string, identifiers: Identifier[], hospitalId: string): Promise<void>;
  /** a dynamic-code verification at registration: a treatment relationship of the hospital with the resident */
  registered(hospitalId: string, empi: string, at: string): Promise<void>;
}

/** The province secret (Secrets Manager in AWS, a file in the data folder locally), read once per cold start */
export type ProvinceSecret = () => Promise<Uint8Array>;
