/**
 * Scheduled hourly: how many break-the-glass uses are past their 72-hour review deadline, published as
 * the gauge BreakGlassReviewOverdue, which alarms at 1 (docs/consent.md).
 */
import { clock } from "#shared/clock.ts";
import { logger } from "#shared/logger.ts";
import { gaugeBreakGlassOverdue } from "#shared/metrics.ts";
import { overdueCount } from "#use-cases/consent/break-glass.ts";
import { breakGlassStore } from "#wiring/consent.ts";

const store = breakGlassStore();

export const handler = async () => {
  const overdue = await overdueCount(store, clock.now());
  if (overdue > 0) logger.warn("break-the-glass uses overdue for review", { overdue });
  gaugeBreakGlassOverdue(overdue);
  return { overdue };
};
