/**
 * The privacy officer's review of break-the-glass uses (the operator, docs/consent.md).
 * listUses — input: a status (unreviewed, reviewed, overdue: unreviewed past 72 hours). Output: a
 *   JSON list, oldest first, each with its resident, hospital, practitioner, reason, times and review
 *   deadline. Audited (the operator's read names the residents).
 * reviewUse — input: a use's id, the outcome and note. Output: the reviewed use (404 unknown; 409
 *   already reviewed). Audited.
 * overdueCount — how many uses are past their review deadline (the dashboard and the alarm).
 */
import { CONSENT_POLICY } from "#domain/consent/policy.ts";
import { ConflictError, NotFoundError } from "#domain/errors.ts";
import type { AuditRepository } from "#ports/audit.ts";
import type { BreakGlassStore, BreakGlassUse } from "#ports/consent.ts";
import type { BreakGlassReview } from "#schemas/consent.ts";
import { EMPI_SYSTEM } from "#schemas/patient.ts";
import { recordHubAccess } from "#use-cases/audit.ts";

export interface BreakGlassReviewDeps {
  store: BreakGlassStore;
  audit: Pick<AuditRepository, "store">;
  now: () => Date;
}

const deadlineOf = (use: Pick<BreakGlassUse, "at">) =>
  new Date(Date.parse(use.at) + CONSENT_POLICY.breakGlass.reviewHours * 3_600_000).toISOString();
const isOverdue = (use: BreakGlassUse, now: Date) => use.status === "unreviewed" && Date.parse(deadlineOf(use)) <= now.getTime();

const view = (use: BreakGlassUse, now: Date) => ({
  ...use,
  patient: { system: EMPI_SYSTEM, value: use.empi },
  reviewBy: deadlineOf(use),
  overdue: isOverdue(use, now),
});

export async function listUses(deps: BreakGlassReviewDeps, status: "unreviewed" | "reviewed" | "overdue" | undefined) {
  const now = deps.now();
  const uses = await deps.store.list(status === "overdue" ? "unreviewed" : status);
  const shown = (status === "overdue" ? uses.filter((u) => isOverdue(u, now)) : uses).sort((a, b) => a.at.localeCompare(b.at));
  await recordHubAccess(deps.audit, {
    action: "E",
    interaction: "search-type",
    node: "hub",
    operator: true,
    patients: [...new Set(shown.map((u) => u.empi))].map((value) => ({ system: EMPI_SYSTEM, value })),
    query: `/privacy/break-glass${status ? `?status=${status}` : ""}`,
    result: "success",
  });
  return { total: shown.length, overdue: shown.filter((u) => isOverdue(u, now)).length, uses: shown.map((u) => view(u, now)) };
}

export async function reviewUse(deps: BreakGlassReviewDeps, id: string, review: BreakGlassReview) {
  const use = await deps.store.get(id);
  if (!use) throw new NotFoundError(`break-the-glass use ${id} is not recorded`, "id");
  const at = deps.now().toISOString();
  if (!(await deps.store.review(id, { ...review, at }))) throw new ConflictError(`break-the-glass use ${id} was already reviewed`, "id");
  await recordHubAccess(deps.audit, {
    action: "U",
    interaction: "update",
    node: "hub",
    operator: true,
    patients: [{ system: EMPI_SYSTEM, value: use.empi }],
    resource: `break-glass/${id}`,
    result: "success",
  });
  const now = deps.now();
  return view({ ...use, status: "reviewed", review: { ...review, at } }, now);
}

export async function overdueCount(store: Pick<BreakGlassStore, "list">, now: Date): Promise<number> {
  return (await store.list("unreviewed")).filter((u) => isOverdue(u, now)).length;
}
