/**
 * Scheduled every minute of the province clock: the telemedicine deadlines (docs/telemedicine.md).
 * A timed-out owner is replaced (re-dispatch, escalation after two), an unassigned Task dispatched
 * again, a late report marked overdue; the Tasks left without an expert are a gauge that alarms.
 * Scheduling: the experts' slots kept 14 days ahead (once a day, idempotent), lapsed holds freed, no-shows found.
 */
import { logger } from "#shared/logger.ts";
import { sweepSchedules } from "#use-cases/telemedicine/scheduling.ts";
import { sweepTasks } from "#use-cases/telemedicine/tasks.ts";
import { hubTelemedicineDeps } from "#wiring/telemedicine.ts";

const deps = hubTelemedicineDeps();

export const handler = async () => {
  const report = await sweepTasks(deps);
  const schedules = await sweepSchedules(deps);
  if (report.redispatched + report.dispatched + report.overdue + schedules.holdsLapsed + schedules.noShows > 0 || schedules.horizonMoved)
    logger.info("telemedicine sweep", { ...report, ...schedules });
  return { ...report, ...schedules };
};
