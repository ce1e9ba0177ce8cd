/**
 * Public health's storage at the hub (docs/public-health.md): the case reports, the hospital messages
 * already handled (idempotency), the residents' recent reports per disease (the 7-day fold), the
 * reports not yet handed to the department exchange, and the notifiable diagnoses awaiting a report.
 */
import type { CaseExpectation, CaseReport } from "#schemas/public-health.ts";

export interface CaseReportStore {
  /** Claims the hospital's message id for `reportId`; an id already handled answers the report it made */
  claimMessage(hospitalId: string, messageId: string, reportId: string): Promise<{ claimed: true } | { claimed: false; reportId: string }>;
  /** Records that the message was handled as `reportId` (a fold or an amendment names the report it went into) */
  settleMessage(hospitalId: string, messageId: string, reportId: string): Promise<void>;
  get(reportId: string): Promise<CaseReport | undefined>;
  put(report: CaseReport): Promise<void>;
  /** The resident's reports of a disease diagnosed at or after `since` (ids, oldest first) */
  recent(empi: string, disease: string, since: string): Promise<string[]>;
  addRecent(report: Pick<CaseReport, "empi" | "disease" | "diagnosedAt" | "reportId">): Promise<void>;
  /** Every report (a hospital's only, when named) */
  list(hospitalId?: string): Promise<CaseReport[]>;
  /** Reports the exchange has not taken yet (retried by the watch) */
  setUnforwarded(reportId: string, pending: boolean): Promise<void>;
  unforwarded(): Promise<string[]>;
  /** Has a report named this encounter and disease? Marks it so (a later encounter then expects nothing) */
  markReported(encounterId: string, disease: string): Promise<void>;
  isReported(encounterId: string, disease: string): Promise<boolean>;
  /** Adds the expectation unless one is already kept for the encounter and disease */
  expect(expectation: CaseExpectation): Promise<void>;
  updateExpectation(expectation: CaseExpectation): Promise<void>;
  removeExpectation(encounterId: string, disease: string): Promise<void>;
  expectations(): Promise<CaseExpectation[]>;
}

/** The monthly figures (MeasureReports, one per month × city) and what they are counted from */
export interface MonthlyFigures {
  get(month: string, cityId: string): Promise<Record<string, unknown> | undefined>;
  put(month: string, cityId: string, report: Record<string, unknown>): Promise<void>;
  list(month?: string, cityId?: string): Promise<Record<string, unknown>[]>;
  /** Every encounter the hub's record locator holds (its city and stored resource) */
  encounters(): Promise<{ cityId: string; empi?: string; resource: Record<string, unknown> }[]>;
  /** Every birth certificate (LOINC 71230-7) the hub's record locator holds: city, newborn, date, status */
  births(): Promise<{ cityId: string; empi: string; date: string; status: string }[]>;
  cities(): Promise<string[]>;
}
