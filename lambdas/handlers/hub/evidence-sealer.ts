/**
 * Scheduled every minute: seals the evidence log's pending entries into signed batches and archives them
 * (use-cases/departments/evidence.ts), and publishes the seconds since its previous run (the alarm's metric).
 */
import { clock } from "#shared/clock.ts";
import { logger } from "#shared/logger.ts";
import { gaugeEvidenceSealAge } from "#shared/metrics.ts";
import { sealPending } from "#use-cases/departments/evidence.ts";
import { sealerDeps } from "#wiring/evidence.ts";

const deps = sealerDeps();

export const handler = async () => {
  const sealed = await sealPending(deps, clock.now());
  gaugeEvidenceSealAge(sealed.sinceLastSeconds ?? 0);
  if (sealed.entries > 0) logger.info("evidence sealed", { ...sealed });
  return sealed;
};
