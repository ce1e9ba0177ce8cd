/** What the outbox use case (use-cases/outbox.ts) needs: a store of the messages a city owes the hub. */

export interface OutboxRecord {
  messageId: string;
  type: string;
  /** The message exactly as sent, JSON */
  body: string;
  status: "pending" | "parked";
  createdAt: string;
  attempts: number;
  nextAttemptAt: string;
}

export interface OutboxStore {
  /** Records a message once: false when its id is already recorded (a retry of the same request) */
  record(record: OutboxRecord): Promise<boolean>;
  /** Records an attempt unless another sweeper got there first (compare-and-set on attempts). */
  markAttempt(messageId: string, previousAttempts: number, nextAttemptAt: string, status: OutboxRecord["status"]): Promise<boolean>;
  listDue(now: string): Promise<OutboxRecord[]>;
  remove(messageId: string): Promise<void>;
}
