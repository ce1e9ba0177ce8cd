/**
 * The province at a glance (issue 7; the dashboard and GET /ops/summary): aggregates only, never
 * patient data. Connected and exchanging hospitals per city, activity per minute, every queue's depth
 * and dead letters, today's settlement totals and the MPI review queue.
 */
import type { ActivityCounter, ActivityMetric } from "#adapters/activity.ts";
import type { QueueDepth } from "#adapters/queue-observer.ts";
import type { ConnectionBoard } from "#domain/connections.ts";
import type { CityProfile } from "#schemas/city.ts";

export const ACTIVITY_METRICS: ActivityMetric[] = ["patients", "documents", "encounters", "retrievals", "claims"];
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
  /** The province's cities, from discovery (their names) */
  cities: () => Promise<readonly CityProfile[]>;
  activity: ActivityCounter;
  queues: ObservedQueue[];
  depth: (name: string) => Promise<QueueDepth | undefined>;
  reviewQueue: () => Promise<number>;
  /** Today's (China Standard Time) settlement totals, when the settlement platform is part of the province */
  settlementToday?: (now: Date) => Promise<SettlementTotals>;
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
}

export async function buildOpsSummary(deps: OpsSummaryDeps, now: Date): Promise<OpsSummary> {
  const [board, cities, series, depths, review, settlement] = await Promise.all([
    deps.board(),
    deps.cities(),
    Promise.all(ACTIVITY_METRICS.map((m) => deps.activity.recent(m, new Date(now.getTime() + 60_000), ACTIVITY_MINUTES + 1))),
    Promise.all(deps.queues.map(async (q) => [await deps.depth(q.name), await deps.depth(q.dlqName)] as const)),
    deps.reviewQueue(),
    deps.settlementToday ? deps.settlementToday(now) : Promise.resolve(null),
  ]);
  const names = new Map<string, string>(cities.map((c) => [c.id, c.nameZh]));
  const queues = deps.queues.map((q, i) => {
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
  };
}
