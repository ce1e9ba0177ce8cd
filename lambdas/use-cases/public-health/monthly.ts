/**
 * The monthly figures of public health (docs/public-health.md#monthly-figures).
 * Input: a calendar month (YYYY-MM, China Standard Time). Output: per city, its MeasureReport written,
 *   or unchanged.
 * Primary course: count the month's encounters and birth certificates (the hub's record locator) and case reports (not void)
 *   per city → one MeasureReport per city with a deterministic id → a report equal to the one kept is
 *   left as it is (re-running the month changes nothing); a new or changed one is sent to the health
 *   commission through the department exchange, then kept.
 * previousMonth: the month before the one `now` falls in, in China Standard Time (what the schedule runs).
 */
import { createHash } from "node:crypto";
import { BadRequestError } from "#domain/errors.ts";
import { type CountedEncounter, monthlyReports, monthOf } from "#domain/public-health/monthly.ts";
import type { DepartmentExchange } from "#ports/departments.ts";
import type { CaseReportStore, MonthlyFigures } from "#ports/public-health.ts";

export interface MonthlyDeps {
  figures: MonthlyFigures;
  reports: Pick<CaseReportStore, "list">;
  exchange?: DepartmentExchange;
  now: () => Date;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export function previousMonth(now: Date): string {
  const [y, m] = monthOf(now.toISOString())!.split("-").map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
}

export async function runMonth(deps: MonthlyDeps, month: string) {
  if (!MONTH.test(month)) throw new BadRequestError("month: a calendar month YYYY-MM", "month");
  const [cities, encounters, reports, births] = await Promise.all([
    deps.figures.cities(),
    deps.figures.encounters(),
    deps.reports.list(),
    deps.figures.births(),
  ]);
  const written: string[] = [];
  const unchanged: string[] = [];
  for (const report of monthlyReports(month, [...cities].sort(), encounters as CountedEncounter[], reports, births)) {
    const cityId = report.subject.identifier.value;
    const kept = await deps.figures.get(month, cityId);
    if (kept && JSON.stringify(kept) === JSON.stringify(report)) {
      unchanged.push(report.id);
      continue;
    }
    // sent before it is kept, under an id of its content: a run interrupted between the two sends it again
    // with the same id (one effect), and a changed report is a new message
    await deps.exchange?.send(
      {
        messageId: `${report.id}.${createHash("sha256").update(JSON.stringify(report)).digest("hex").slice(0, 16)}`,
        event: "monthly-report",
        destinations: ["health-commission"],
        sourceMember: "health-cloud",
        focus: [report],
      },
      deps.now(),
    );
    await deps.figures.put(month, cityId, report);
    written.push(report.id);
  }
  return { month, written, unchanged };
}
