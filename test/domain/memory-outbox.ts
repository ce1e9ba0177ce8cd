/** An outbox store in memory, for the outbox use cases' tests (the city's, the department exchange's). */
import type { OutboxRecord, OutboxStore } from "#ports/outbox.ts";

export function memoryOutbox(): OutboxStore & { items: Map<string, OutboxRecord> } {
  const items = new Map<string, OutboxRecord>();
  return {
    items,
    async record(r) {
      if (items.has(r.messageId)) return false;
      items.set(r.messageId, { ...r });
      return true;
    },
    async get(id) {
      return items.get(id);
    },
    async markAttempt(id, prev, at, status) {
      const r = items.get(id);
      if (!r || r.attempts !== prev) return false;
      items.set(id, { ...r, attempts: prev + 1, nextAttemptAt: at, status });
      return true;
    },
    async listDue(now) {
      return [...items.values()].filter((r) => r.status === "pending" && r.nextAttemptAt <= now);
    },
    async remove(id) {
      items.delete(id);
    },
  };
}
