/** Scheduled hourly: deletes FEP inbox items and acknowledgement tombstones past retention (dynalite has no TTL deletion). */
import { logger } from "#shared/logger.ts";
import { sweep } from "#use-cases/push/inbox.ts";
import { cityInboxDeps } from "#wiring/push.ts";

const deps = cityInboxDeps();

export const handler = async () => {
  const deleted = await sweep(deps);
  if (deleted > 0) logger.info("inbox swept", { deleted });
  return { deleted };
};
