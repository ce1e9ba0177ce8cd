/**
 * Scheduled daily (province clock): counts the previous calendar month (China Standard Time) into its
 * MeasureReports; re-running changes nothing once a month's figures are kept (docs/public-health.md#monthly-figures).
 */
import { logger } from "#shared/logger.ts";
import { previousMonth, runMonth } from "#use-cases/public-health/monthly.ts";
import { monthlyDeps } from "#wiring/public-health.ts";

const deps = monthlyDeps();

export const handler = async () => {
  const done = await runMonth(deps, previousMonth(deps.now()));
  if (done.written.length > 0) logger.info("monthly public-health figures written", { month: done.month, written: done.written.length });
  return done;
};
