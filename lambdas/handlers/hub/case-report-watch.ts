/**
 * Scheduled every minute (province clock): notifiable diagnoses awaiting their case report — the
 * hospital reminded at half the limit, flagged missing at the deadline — and the reports the
 * department exchange has not taken yet, handed over again (docs/public-health.md#deadlines).
 */
import { logger } from "#shared/logger.ts";
import { watchCases } from "#use-cases/public-health/case-reports.ts";
import { caseReportDeps } from "#wiring/public-health.ts";

const deps = caseReportDeps();

export const handler = async () => {
  const done = await watchCases(deps);
  if (done.missing > 0) logger.warn("notifiable diagnoses past their deadline without a case report", done);
  return done;
};
