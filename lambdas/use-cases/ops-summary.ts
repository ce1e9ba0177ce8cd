/**
 * The province at a glance (issue 7; the dashboard and GET /ops/summary): aggregates only, never patient data.
 * Input: the hub's clock. Output: the OpsSummary.
 * Primary course: read together the connection board (connected and exchanging hospitals per city), the
 * activity per minute, every queue's depth and dead letters, today's settlement totals (China Standard
 * Time) and the MPI review queue's length, then add them up.
 */

import type { ConnectionBoard } from "#domain/connections.ts";
import { cstDay, reconcile } from "#domain/settlement/claim-response.ts";
import type { KpiRow } from "#domain/telemedicine/kpis.ts";
import type { ActivityCounter, ActivityMetric, ReadVolume, ReadVolumeAlert } from "#ports/activity.ts";
import type { QueueObserver, ReviewQueueCounter, SettlementDays } from "#ports/ops-summary.ts";
import type { CityDirectory } from "#ports/province.ts";
import type { CityUsage } from "./health-card-usage.ts";

export const ACTIVITY_METRICS: ActivityMetric[] = [
  "patients",
  "documents",
  "encounters",
  "retrievals",
  "claims",
  "drugLookups",
  "implants",
  "deviceRecalls",
  "reviewsAnswered",
  "doubtsRaised",
];
/** Minutes of activity history in the summary */
export const ACTIVITY_MINUTES = 15;

export interface ObservedQueue {
  nodeId: string;
  queueId: string;
  name: string;
  dlqName: string;
}

export interface SettlementTotals {
  claims: number;
  reversals: number;
  submittedFen: number;
  fundFen: number;
  patientFen: number;
}

export interface OpsSummaryDeps {
  board: () => Promise<ConnectionBoard>;
  activity: ActivityCounter;
  /** The queues to observe: the hub's and those of each city the province has now */
  queues: (cityIds: readonly string[]) => ObservedQueue[];
  queueObserver: QueueObserver;
  reviewQueue: ReviewQueueCounter;
  cities: CityDirectory;
  /** The settled claims by day, when the settlement platform is part of the province */
  settlements?: SettlementDays;
  /** Privacy: the practitioners past the hourly read threshold, the break-the-glass uses awaiting review */
  privacy?: {
    threshold: number;
    readVolume: Pick<ReadVolume, "alerts">;
    breakGlass: () => Promise<{ unreviewed: number; overdue: number }>;
  };
  /** The health card's use per city on a China Standard Time day (docs/health-card.md) */
  healthCard?: (date: string) => Promise<CityUsage[]>;
  /** The latest month's public-health figures per city (docs/public-health.md#monthly-figures): each indicator's count */
  publicHealth?: () => Promise<MonthFigures | null>;
  /** Telemedicine's figures per requester tier over the Tasks requested on a UTC day (docs/telemedicine.md#kpis) */
  telemedicine?: (day: string) => Promise<{ total: KpiRow; tiers: (KpiRow & { tier: string })[] }>;
}

/** A month's MeasureReports as the dashboard draws them: per city, each indicator's count */
export interface MonthFigures {
  month: string;
  cities: { cityId: string; figures: Record<string, number> }[];
}

export interface OpsSummary {
  generatedAt: string;
  hospitals: Record<string, number>;
  cities: (Record<string, number | string> & { cityId: string; nameZh: string })[];
  /** perMinute: the last whole minute; thisMinute: so far in the current one; lastMinutes: the whole minutes before, oldest first */
  activity: Record<ActivityMetric, { perMinute: number; thisMinute: number; lastMinutes: number[] }>;
  queues: { nodeId: string; queueId: string; depth: number; inFlight: number; deadLetters: number; deployed: boolean }[];
  deadLetters: number;
  settlement: SettlementTotals | null;
  mpiReviewQueue: number;
  /** The last two hours' read-volume alerts, and the break-the-glass review queue (docs/consent.md) */
  privacy: {
    readVolumeThreshold: number;
    readVolumeAlerts: ReadVolumeAlert[];
    breakGlassUnreviewed: number;
    breakGlassOverdue: number;
  } | null;
  /** Today's (CST) health card use per city: cards issued, verifications by care step and outcome, the card-based visit rate */
  healthCard: { date: string; cities: CityUsage[] } | null;
  /** The latest month's public-health figures per city, or null before the first month is counted */
  publicHealth: MonthFigures | null;
  /** Today's (UTC) telemedicine requests per requester tier: deadlines met, turnaround, re-dispatches, escalations, no-shows, closed loop */
  telemedicine: { date: string; total: KpiRow; tiers: (KpiRow & { tier: string })[] } | null;
}

export async function buildOpsSummary(deps: OpsSummaryDeps, now: Date): Promise<OpsSummary> {
  const cities = await deps.cities.list();
  const observed = deps.queues(cities.map((c) => c.cityId));
  const today = cstDay(now.toISOString());
  const utcDay = now.toISOString().slice(0, 10);
  const [board, series, depths, review, settlement, privacy, healthCard, publicHealth, telemedicine] = await Promise.all([
    deps.board(),
    Promise.all(ACTIVITY_METRICS.map((m) => deps.activity.recent(m, new Date(now.getTime() + 60_000), ACTIVITY_MINUTES + 1))),
    Promise.all(observed.map(async (q) => [await deps.queueObserver.depth(q.name), await deps.queueObserver.depth(q.dlqName)] as const)),
    deps.reviewQueue.count(),
    deps.settlements ? settlementTotals(deps.settlements, now) : Promise.resolve(null),
    deps.privacy ? privacySummary(deps.privacy, now) : Promise.resolve(null),
    deps.healthCard ? deps.healthCard(today).then((cities) => ({ date: today, cities })) : Promise.resolve(null),
    deps.publicHealth ? deps.publicHealth() : Promise.resolve(null),
    deps.telemedicine ? deps.telemedicine(utcDay).then((k) => ({ date: utcDay, total: k.total, tiers: k.tiers })) : Promise.resolve(null),
  ]);
  const names = new Map<string, string>(cities.map((c) => [c.cityId, c.nameZh]));
  const queues = observed.map((q, i) => {
    const [main, dlq] = depths[i]!;
    return {
      nodeId: q.nodeId,
      queueId: q.queueId,
      depth: main?.visible ?? 0,
      inFlight: main?.inFlight ?? 0,
      deadLetters: (dlq?.visible ?? 0) + (dlq?.inFlight ?? 0),
      deployed: main !== undefined,
    };
  });
  return {
    generatedAt: now.toISOString(),
    hospitals: { ...board.totals },
    cities: board.cities.map((c) => ({ ...c, nameZh: names.get(c.cityId) ?? c.cityId })),
    activity: Object.fromEntries(
      ACTIVITY_METRICS.map((m, i) => {
        // the series ends with the current minute, still filling
        const lastMinutes = series[i]!.slice(0, -1);
        return [m, { perMinute: lastMinutes[lastMinutes.length - 1] ?? 0, thisMinute: series[i]!.at(-1) ?? 0, lastMinutes }];
      }),
    ) as OpsSummary["activity"],
    queues,
    deadLetters: queues.reduce((n, q) => n + q.deadLetters, 0),
    settlement,
    mpiReviewQueue: review,
    privacy,
    healthCard,
    publicHealth,
    telemedicine,
  };
}

async function privacySummary(privacy: NonNullable<OpsSummaryDeps["privacy"]>, now: Date): Promise<OpsSummary["privacy"]> {
  const [alerts, breakGlass] = await Promise.all([
    privacy.readVolume.alerts(new Date(now.getTime() - 3_600_000), now),
    privacy.breakGlass(),
  ]);
  return {
    readVolumeThreshold: privacy.threshold,
    readVolumeAlerts: alerts,
    breakGlassUnreviewed: breakGlass.unreviewed,
    breakGlassOverdue: breakGlass.overdue,
  };
}

/** Today's (China Standard Time) settlement totals, over every hospital's reconciliation row */
async function settlementTotals(settlements: SettlementDays, now: Date): Promise<SettlementTotals> {
  const rows = reconcile(await settlements.day(cstDay(now.toISOString())));
  const sum = (k: keyof SettlementTotals) => rows.reduce((n, r) => n + r[k], 0);
  return {
    claims: sum("claims"),
    reversals: sum("reversals"),
    submittedFen: sum("submittedFen"),
    fundFen: sum("fundFen"),
    patientFen: sum("patientFen"),
  };
}
