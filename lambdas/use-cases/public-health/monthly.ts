/**
 * The monthly figures of public health (docs/public-health.md#monthly-figures).
 * Input: a calendar month (YYYY-MM, China Standard Time). Output: per city, its MeasureReport written,
 *   or unchanged.
 * Primary course: count the month's encounters and birth certificates (the hub's record locator) and case reports (not void)
 *   per city, each stratified by the residents' sex (the MPI's record of each, read once per resident) → one MeasureReport per city with a deterministic id → a report equal to the one kept is
 *   left as it is (re-running the month changes nothing); a new or changed one is sent to the health
 *   commission through the department exchange, then kept.
 * previousMonth: the month before the one `now` falls in, in China Standard Time (what the schedule runs).
 */
import { createHash } from "node:crypto";
import { BadRequestError } from "#domain/errors.ts";
import { storedSex } from "#domain/mpi/record.ts";
import { type CountedEncounter, monthlyReports, monthOf } from "#domain/public-health/monthly.ts";
import type { DepartmentExchange } from "#ports/departments.ts";
import type { CaseReportStore, MonthlyFigures } from "#ports/public-health.ts";
import { type MpiDeps, resolveView } from "#use-cases/mpi/residents.ts";

export interface MonthlyDeps {
  figures: MonthlyFigures;
  /** Each resident's sex, by EMPI (the MPI's records; absent: every stratum `unknown`) */
  sexes?: (empis: readonly string[]) => Promise<ReadonlyMap<string, string>>;
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
  // the sex of each resident the month counts (read once each, for the strata)
  const inMonth = (at: string | undefined) => at !== undefined && monthOf(at) === month;
  const counted = encounters as CountedEncounter[];
  const empis = new Set<string>();
  for (const e of counted) if (e.empi && inMonth(e.resource.period?.start)) empis.add(e.empi);
  for (const b of births) if (inMonth(b.date)) empis.add(b.empi);
  for (const r of reports) if (r.empi && inMonth(r.diagnosedAt)) empis.add(r.empi);
  const sexes = deps.sexes && empis.size > 0 ? await deps.sexes([...empis]) : undefined;
  const written: string[] = [];
  const unchanged: string[] = [];
  for (const report of monthlyReports(month, [...cities].sort(), counted, reports, births, sexes)) {
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

/** Each resident's sex as the MPI's records speak for it (the first record that has one), 8 residents at a time */
export function residentSexes(mpi: MpiDeps): (empis: readonly string[]) => Promise<ReadonlyMap<string, string>> {
  return async (empis) => {
    const out = new Map<string, string>();
    let next = 0;
    const worker = async () => {
      while (next < empis.length) {
        const empi = empis[next++]!;
        const view = await resolveView(mpi, empi);
        const sex = view?.members
          .flatMap((m) => m.records)
          .map(storedSex)
          .find((x) => x !== undefined);
        if (sex) out.set(empi, sex);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    return out;
  };
}
