/**
 * What the operations summary needs besides the connection board and the activity counters:
 * queue depths (adapters/queue-observer.ts), the MPI review queue's length
 * (adapters/review-queue.ts) and a day's settlements (adapters/settlement-store.ts).
 */

export interface QueueDepth {
  /** Messages waiting */
  visible: number;
  /** Messages being processed (received, not yet deleted) */
  inFlight: number;
}

export interface QueueObserver {
  /** The queue's counts, or undefined when there is no such queue (a city not deployed yet). */
  depth(name: string): Promise<QueueDepth | undefined>;
}

export interface ReviewQueueCounter {
  /** How many residents wait for a data steward's review */
  count(): Promise<number>;
}

/** One settled claim or reversal of a day (what reconciliation adds up) */
export interface SettledAmounts {
  hospitalId: string;
  action: "submit" | "cancel";
  submittedFen: number;
  benefitFen: number;
}

export interface SettlementDays {
  /** The settled claims and reversals of a day (China Standard Time, YYYY-MM-DD) */
  day(date: string): Promise<SettledAmounts[]>;
}
