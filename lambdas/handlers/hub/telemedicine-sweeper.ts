/**
 * Scheduled every minute of the province clock: the telemedicine deadlines (docs/telemedicine.md).
 * A timed-out owner is replaced (re-dispatch, escalation after two), an unassigned Task dispatched
 * again, a late report marked overdue; the Tasks left without an expert are a gauge that alarms.
 */
import { logger } from "#shared/logger.ts";
import { sweepTasks } from "#use-cases/telemedicine/tasks.ts";
import { hubTelemedicineDeps } from "#wiring/telemedicine.ts";

const deps = hubTelemedicineDeps();

export const handler = async () => {
  const report = await sweepTasks(deps);
  if (report.redispatched + report.dispatched + report.overdue > 0) logger.info("telemedicine sweep", { ...report });
  return report;
};
