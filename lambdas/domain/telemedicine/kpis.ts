/**
 * The operator's telemedicine figures (docs/telemedicine.md#kpis), per requester tier and per
 * requesting hospital, over the Tasks requested in a window: requests, assigned and accepted within
 * their deadlines (%), turnaround (request → report) p50 and p90 in minutes, re-dispatches,
 * escalations, no-shows and the closed-loop rate (completed and reviewed). Pure.
 */
import { phaseMs } from "./policy.ts";
import type { StoredTask } from "./task.ts";

export interface KpiRow {
  requests: number;
  assignedWithinDeadlinePct: number | null;
  acceptedWithinDeadlinePct: number | null;
  turnaroundMinutes: { p50: number | null; p90: number | null };
  redispatches: number;
  escalations: number;
  /** booked sessions that passed without the Task moving to in-progress */
  noShows: number;
  closedLoopPct: number | null;
}

const pct = (n: number, of: number) => (of === 0 ? null : Math.round((1000 * n) / of) / 10);
const quantile = (sorted: number[], q: number) =>
  sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]!;

/** The time of the first hub assignment (assigned or escalated with an owner) */
const firstAssigned = (t: StoredTask) =>
  t.history.find((e) => e.by === "hub" && (e.businessStatus === "assigned" || e.businessStatus === "escalated") && e.status === "requested")
    ?.at;

export function kpiRow(tasks: readonly StoredTask[]): KpiRow {
  let assignedIn = 0;
  let assigned = 0;
  let acceptedIn = 0;
  let accepted = 0;
  const turnaround: number[] = [];
  for (const t of tasks) {
    const created = Date.parse(t.createdAt);
    const at = firstAssigned(t);
    if (at) {
      assigned++;
      if (Date.parse(at) - created <= phaseMs("assign", t.priority, t.category)) assignedIn++;
    }
    if (t.acceptedAt && t.assignedAt) {
      accepted++;
      if (Date.parse(t.acceptedAt) - Date.parse(t.assignedAt) <= phaseMs("accept", t.priority, t.category)) acceptedIn++;
    }
    if (t.completedAt) turnaround.push(Math.round((Date.parse(t.completedAt) - created) / 60_000));
  }
  turnaround.sort((a, b) => a - b);
  return {
    requests: tasks.length,
    assignedWithinDeadlinePct: pct(assignedIn, assigned),
    acceptedWithinDeadlinePct: pct(acceptedIn, accepted),
    turnaroundMinutes: { p50: quantile(turnaround, 0.5), p90: quantile(turnaround, 0.9) },
    redispatches: tasks.reduce((n, t) => n + t.redispatches, 0),
    escalations: tasks.reduce((n, t) => n + t.escalations, 0),
    noShows: tasks.reduce((n, t) => n + (t.noShows ?? 0), 0),
    closedLoopPct: pct(tasks.filter((t) => t.businessStatus === "report-reviewed").length, tasks.length),
  };
}

export function telemedicineKpis(tasks: readonly StoredTask[]) {
  const group = (key: (t: StoredTask) => string) => {
    const groups = new Map<string, StoredTask[]>();
    for (const t of tasks) groups.set(key(t), [...(groups.get(key(t)) ?? []), t]);
    return [...groups].sort(([a], [b]) => a.localeCompare(b));
  };
  return {
    total: kpiRow(tasks),
    tiers: group((t) => t.requester.tier).map(([tier, of]) => ({ tier, ...kpiRow(of) })),
    hospitals: group((t) => t.requester.hospitalId).map(([hospitalId, of]) => ({
      hospitalId,
      cityId: of[0]!.requester.cityId,
      ...kpiRow(of),
    })),
  };
}
