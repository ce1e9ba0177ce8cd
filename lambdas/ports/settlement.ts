/**
 * What the settlement use cases (use-cases/settlement/) need: at a city, its Claims table and the hub
 * (its MPI, registry, Settlement queue and ClaimResponse search); at the hub, the Settlements table;
 * at the insurance platform, its ledger.
 */

import { EMPTY_TOTALS, type YearTotals } from "#domain/settlement/adjudicate.ts";
import type { CatalogueCopyEntry } from "#domain/settlement/catalogue-items.ts";
import type { ClaimAdjudicatedMessageV1, ClaimMessageV1 } from "#schemas/settlement.ts";

// ——— city ———

export interface ClaimRecord {
  claimKey: string;
  action: "submit" | "cancel";
  /** sha-256 of the claim as submitted (canonical JSON): an unchanged resubmission has the same */
  hash: string;
  /** The settlement message exactly as sent, JSON */
  message: string;
  status: "pending" | "settled" | "parked";
  createdAt: string;
  attempts: number;
  nextAttemptAt: string;
}

export interface ClaimStore {
  get(claimKey: string, action: ClaimRecord["action"]): Promise<ClaimRecord | undefined>;
  /** false when the claim and action were already recorded */
  record(record: ClaimRecord): Promise<boolean>;
  markAttempt(record: ClaimRecord, nextAttemptAt: string, status: ClaimRecord["status"]): Promise<boolean>;
  markSettled(record: ClaimRecord): Promise<void>;
  listDue(now: string): Promise<ClaimRecord[]>;
}

/** The hospital's level code for insurance (level 1: a primary institution without a level 2/3 grade) */
export type HospitalLevelCode = "1" | "2" | "3";

/** A city's calls to the hub for its claims */
export interface SettlementHub {
  /** Sends a claim message (its exact JSON `body`) to the hub's Settlement FIFO queue */
  send(message: ClaimMessageV1, body: string): Promise<void>;
  /** The hub's PIXm Parameters for the claim's patient; the hub's refusals are thrown as domain errors */
  pix(id: { system: string; value: string }, hospitalId: string): Promise<Record<string, unknown>>;
  /** The hospital's level by the hub's registry */
  hospitalLevel(hospitalId: string): Promise<HospitalLevelCode>;
  /** The hub's answer to a ClaimResponse search for one of the hospital's claims, as it came */
  claimResponses(hospitalId: string, claimNumber: string): Promise<{ status: number; body: string }>;
  /** The hub's answer to a read of one of the hospital's ClaimResponses by id, as it came */
  claimResponse(hospitalId: string, id: string): Promise<{ status: number; body: string }>;
  /** Which of `codes` the hub's traceability registry shows reused by the hospital (docs/drugs-devices.md) */
  reusedTraceCodes(hospitalId: string, codes: string[]): Promise<Set<string>>;
}

// ——— hub ———

/** A settled claim's figures, under its China Standard Time day */
export interface DayEntry {
  hospitalId: string;
  action: "submit" | "cancel";
  submittedFen: number;
  benefitFen: number;
}

export interface StoredSettlement {
  result: ClaimAdjudicatedMessageV1;
  claimResponse: Record<string, unknown>;
}

export interface SettlementStore {
  record(result: ClaimAdjudicatedMessageV1, claimResponse: Record<string, unknown>): Promise<void>;
  byClaim(hospitalId: string, claimNumber: string): Promise<StoredSettlement[]>;
  /** The settlement a ClaimResponse id names (recorded since ClaimResponses are read by id) */
  byResponseId(claimResponseId: string): Promise<StoredSettlement | undefined>;
  day(date: string, hospitalId?: string): Promise<DayEntry[]>;
}

// ——— insurance platform ———

export interface Decision {
  hospitalId: string;
  claimNumber: string;
  action: ClaimMessageV1["action"];
  status: "decided" | "applied";
  /** The totals version the decision was computed on */
  basedOnVersion: number;
  empi: string;
  year: string;
  kind: ClaimMessageV1["kind"];
  result: ClaimAdjudicatedMessageV1;
}

export interface StoredTotals extends YearTotals {
  version: number;
  /** "<hospitalId>|<claimNumber>|<action>" of every decision these totals include */
  applied: string[];
}

/** A resident's totals before any claim of the year */
export const emptyTotals = (): StoredTotals => ({ ...EMPTY_TOTALS, version: 0, applied: [] });

export interface LedgerStore {
  getDecision(hospitalId: string, claimNumber: string, action: ClaimMessageV1["action"]): Promise<Decision | undefined>;
  /** Writes a decision unless one computed on another version is there (returns false then). */
  putDecision(decision: Decision, replacingVersion?: number): Promise<boolean>;
  markApplied(decision: Decision): Promise<void>;
  getTotals(empi: string, year: string): Promise<StoredTotals>;
  /** Compare-and-set on `version`; false when someone else moved it. */
  putTotals(empi: string, year: string, totals: StoredTotals, previousVersion: number): Promise<boolean>;
}

/** The insurance platform's copy of the drug catalogue (adapters/insurance-catalogue.ts), by insurance drug code */
export interface InsuranceCatalogue {
  /** Every version's word on the code the platform holds (empty: never in the catalogue) */
  history(insuranceCode: string): Promise<CatalogueCopyEntry[]>;
  /** Keeps one part of a catalogue version (idempotent: the same part again writes the same items) */
  apply(entries: (CatalogueCopyEntry & { insuranceCode: string })[]): Promise<void>;
}
