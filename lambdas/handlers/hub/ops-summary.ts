/** GET /ops/summary (operator): the province at a glance, aggregates only (the dashboard reads it). */
import { clock } from "#shared/clock.ts";
import { httpHandler } from "#shared/http.ts";
import { buildOpsSummary } from "#use-cases/ops-summary.ts";
import { opsSummaryDeps } from "#wiring/ops-summary.ts";

const deps = opsSummaryDeps();

export const handler = httpHandler(async () => ({
  statusCode: 200,
  body: await buildOpsSummary(deps, clock.now()),
  headers: { "content-type": "application/json", "cache-control": "no-store" },
}));
