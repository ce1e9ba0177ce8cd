/**
 * Operator (the privacy officer): the break-the-glass review queue (docs/consent.md).
 *   GET  /privacy/break-glass?status=unreviewed|reviewed|overdue   the uses, oldest first (audited)
 *   POST /privacy/break-glass/{id}/review   {"outcome": "justified"|"unjustified", "note": "…"} (audited)
 */
import { BadRequestError } from "#domain/errors.ts";
import { breakGlassQuerySchema, breakGlassReviewSchema } from "#schemas/consent.ts";
import { httpRouter } from "#shared/http.ts";
import { listUses, reviewUse } from "#use-cases/consent/break-glass.ts";
import { breakGlassReviewDeps } from "#wiring/consent.ts";

const deps = breakGlassReviewDeps();

export const handler = httpRouter({
  "GET /privacy/break-glass": async (request) => {
    const flat = Object.fromEntries(Object.entries(request.query).map(([k, v]) => [k, v.length === 1 ? v[0] : v]));
    const q = breakGlassQuerySchema.safeParse(flat);
    if (!q.success) {
      const field = String(q.error.issues[0]?.path[0] ?? (q.error.issues[0] as { keys?: string[] })?.keys?.[0] ?? "status");
      throw new BadRequestError(`${field}: status is one of unreviewed, reviewed, overdue (once)`, field || '""');
    }
    return { statusCode: 200, body: await listUses(deps, q.data.status), headers: { "content-type": "application/json" } };
  },
  "POST /privacy/break-glass/{id}/review": async (request) => ({
    statusCode: 200,
    body: await reviewUse(deps, request.pathParameters.id!, request.body(breakGlassReviewSchema)),
    headers: { "content-type": "application/json" },
  }),
});
