/** What the outbox use case (use-cases/outbox.ts) needs: a store of the messages a city owes the hub. */

export interface OutboxRecord {
  messageId: string;
  type: string;
  /** The message exactly as sent, JSON */
  body: string;
  /** "delivered": kept after its answer where a repeated message id must still have one effect (the department exchange) */
  status: "pending" | "parked" | "delivered";
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
  /** The record of a message still owed (undefined once acknowledged): a re-delivered copy of an acknowledged message is dropped */
  get(messageId: string): Promise<OutboxRecord | undefined>;
  remove(messageId: string): Promise<void>;
  /** Removes many at once (a batch's acknowledgement: one BatchWriteItem per 25); without it, `remove` each */
  removeAll?(messageIds: string[]): Promise<void>;
}
