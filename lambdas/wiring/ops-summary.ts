/**
 * The operations summary (GET /ops/summary): the connection board, the activity counters, every
 * declared queue of the hub and the cities, the MPI review queue and the day's settlements.
 */

import { dynamoActivityCounter, dynamoReadVolume } from "#adapters/activity.ts";
import { dynamoHealthCardStore } from "#adapters/health-card-store.ts";
import { latestMonthFigures } from "#adapters/monthly-figures.ts";
import { sqsQueueObserver } from "#adapters/queue-observer.ts";
import { encounterVisits } from "#adapters/record-locator.ts";
import { dynamoReviewQueueCounter } from "#adapters/review-queue.ts";
import { settlementStore } from "#adapters/settlement-store.ts";
import { dynamoTaskStore } from "#adapters/telemedicine-store.ts";
import { CITY_DECLARATION, HUB_DECLARATION } from "#lib/declaration/index.ts";
import { clock } from "#shared/clock.ts";
import { queuePhysicalName } from "#shared/discovery-names.ts";
import { tableName } from "#shared/env.ts";
import { loadConnectionBoard } from "#use-cases/connection-board.ts";
import { overdueCount } from "#use-cases/consent/break-glass.ts";
import { cardUsage } from "#use-cases/health-card-usage.ts";
import type { ObservedQueue, OpsSummaryDeps } from "#use-cases/ops-summary.ts";
import { kpisBetween } from "#use-cases/telemedicine/tasks.ts";
import { readVolumeThreshold } from "#wiring/audit.ts";
import { breakGlassStore } from "#wiring/consent.ts";
import { connectionBoardDeps } from "./connections.ts";
import { provinceCities } from "./province.ts";

const observed = (nodeId: string, queues: typeof HUB_DECLARATION.queues): ObservedQueue[] =>
  queues.map((q) => ({
    nodeId,
    queueId: q.id,
    name: queuePhysicalName(nodeId, q.id, { fifo: q.fifo }),
    dlqName: queuePhysicalName(nodeId, q.id, { fifo: q.fifo, dlq: true }),
  }));

export function opsSummaryDeps(): OpsSummaryDeps {
  const board = connectionBoardDeps();
  const cards = { cards: dynamoHealthCardStore(tableName("HealthCards")), visits: encounterVisits(tableName("RecordLocator")) };
  const telemedicine = dynamoTaskStore(tableName("Telemedicine"));
  return {
    board: () => loadConnectionBoard(board, clock.now()),
    activity: dynamoActivityCounter(tableName("Activity")),
    queues: (cityIds) => [...observed("hub", HUB_DECLARATION.queues), ...cityIds.flatMap((c) => observed(c, CITY_DECLARATION.queues))],
    queueObserver: sqsQueueObserver,
    reviewQueue: dynamoReviewQueueCounter(tableName("ResidentKeys")),
    cities: provinceCities(),
    settlements: settlementStore(tableName("Settlements")),
    privacy: {
      threshold: readVolumeThreshold(),
      readVolume: dynamoReadVolume(tableName("Activity")),
      breakGlass: async () => {
        const store = breakGlassStore();
        return { unreviewed: (await store.list("unreviewed")).length, overdue: await overdueCount(store, clock.now()) };
      },
    },
    healthCard: async (date) => (await cardUsage(cards, date)).cities,
    publicHealth: latestMonthFigures(tableName("MeasureReports")),
    telemedicine: (day) => kpisBetween(telemedicine, day, day),
  };
}
