/**
 * The audit trail's pages (docs/fhir-clients.md#paging): `next` links followed to the end give every
 * match once, newest first; the page token is sealed for the operator and the query; `total` only
 * where one page holds every match.
 */
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DomainError } from "#domain/errors.ts";
import { pageTokenKey } from "#domain/paging.ts";
import type { AuditPartition, AuditRepository, StoredAuditEvent } from "#ports/audit.ts";

type AuditIndex = Omit<StoredAuditEvent, "id" | "event">;

import { searchAuditTrail } from "#use-cases/audit-search.ts";

/** The repository as the adapter answers: a partition's events, newest first, `recorded#id` within [from, to] */
function memoryRepository(events: StoredAuditEvent[]): AuditRepository & { stored: StoredAuditEvent[] } {
  const stored = [...events];
  return {
    stored,
    async store(id: string, index: AuditIndex, event: Record<string, unknown>) {
      stored.push({ id, ...index, event });
    },
    get: async (id) => stored.find((e) => e.id === id),
    async query(partition: AuditPartition, range: { from?: string; to?: string }, limit: number) {
      const inPartition = (e: StoredAuditEvent) =>
        partition.kind === "agent"
          ? e.agents.includes(partition.value)
          : partition.kind === "patient"
            ? e.patients.includes(partition.value)
            : e.recorded.startsWith(partition.value);
      const sk = (e: StoredAuditEvent) => `${e.recorded}#${e.id}`;
      return stored
        .filter((e) => inPartition(e) && sk(e) >= (range.from ?? "0000") && sk(e) <= (range.to ?? "9999"))
        .sort((a, b) => (sk(a) < sk(b) ? 1 : -1))
        .slice(0, limit);
    },
  };
}

const event = (n: number): StoredAuditEvent => ({
  id: `ae-${String(n).padStart(3, "0")}`,
  // two events in the same millisecond now and then
  recorded: `2026-11-26T08:00:${String(Math.floor(n / 2)).padStart(2, "0")}.000Z`,
  patients: [],
  agents: ["bd001"],
  outcome: "0",
  node: "baoding",
  event: { resourceType: "AuditEvent", id: `ae-${String(n).padStart(3, "0")}` },
});

type Page = { total?: number; entry?: { resource: { id: string } }[]; link: { relation: string; url: string }[] };
const paramsOf = (url: string): Record<string, string[]> => {
  const out: Record<string, string[]> = {};
  for (const [k, v] of new URLSearchParams(url.slice(url.indexOf("?") + 1))) out[k] = [...(out[k] ?? []), v];
  return out;
};

describe("the audit trail's pages", () => {
  const key = pageTokenKey(randomBytes(32));
  const events = Array.from({ length: 11 }, (_, i) => event(i));

  it("follow next links to the end: every match once, newest first; total only on a whole answer", async () => {
    const repository = memoryRepository(events);
    let page = (await searchAuditTrail(repository, { agent: ["bd001"], _count: ["4"] }, async () => key)) as unknown as Page;
    const seen: string[] = [];
    const sizes: number[] = [];
    for (;;) {
      expect(page.total).toBeUndefined();
      seen.push(...(page.entry ?? []).map((e) => e.resource.id).filter((id) => id.startsWith("ae-")));
      sizes.push(page.entry?.length ?? 0);
      const next = page.link.find((l) => l.relation === "next");
      if (!next) break;
      page = (await searchAuditTrail(repository, paramsOf(next.url), async () => key)) as unknown as Page;
    }
    expect(sizes).toEqual([4, 4, 3]);
    expect(seen).toEqual(events.map((e) => e.id).reverse());
    const whole = (await searchAuditTrail(
      memoryRepository(events),
      { agent: ["bd001"], _count: ["50"] },
      async () => key,
    )) as unknown as Page;
    expect(whole.total).toBe(11);
  });

  /**
   * One character in the middle changed (all six of its bits count; the last character's low bits do not,
   * and a token may already end in the characters written over it: `AA` made this test fail 1 run in ~1000)
   */
  const altered = (token: string): string => {
    const i = Math.floor(token.length / 2);
    return `${token.slice(0, i)}${token[i] === "A" ? "B" : "A"}${token.slice(i + 1)}`;
  };

  it("refuse a token for another query, altered or made up (400 naming _pageToken)", async () => {
    const repository = memoryRepository(events);
    const first = (await searchAuditTrail(repository, { agent: ["bd001"], _count: ["4"] }, async () => key)) as unknown as Page;
    const token = paramsOf(first.link.find((l) => l.relation === "next")!.url)._pageToken![0]!;
    for (const params of [
      { agent: ["bd002"], _count: ["4"], _pageToken: [token] },
      { agent: ["bd001"], _count: ["5"], _pageToken: [token] },
      { agent: ["bd001"], _count: ["4"], _pageToken: [altered(token)] },
      { agent: ["bd001"], _count: ["4"], _pageToken: ["eyJhZnRlciI6IngifQ"] },
    ]) {
      const refusal = await searchAuditTrail(repository, params, async () => key).catch((e: unknown) => e);
      expect(refusal).toBeInstanceOf(DomainError);
      expect((refusal as DomainError).issues[0]?.expression).toBe("_pageToken");
    }
  });
});
