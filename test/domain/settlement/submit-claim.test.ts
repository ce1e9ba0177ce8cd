/** The city's claim path with an in-memory Claims table: idempotency, reversal, and the sweeper. */
import { describe, expect, it } from "vitest";
import type { ClaimRecord, ClaimStore } from "#ports/settlement.ts";
import type { ClaimMessageV1 } from "#schemas/settlement.ts";
import { CLAIM_MAX_ATTEMPTS, claimBackoffSeconds, type ReadClaim, submitClaim, sweepClaims } from "#use-cases/settlement/submit-claim.ts";

function memoryClaims(): ClaimStore & { rows: Map<string, ClaimRecord> } {
  const rows = new Map<string, ClaimRecord>();
  const key = (k: string, a: string) => `${k}#${a}`;
  return {
    rows,
    get: async (k, a) => structuredClone(rows.get(key(k, a))),
    record: async (r) => {
      if (rows.has(key(r.claimKey, r.action))) return false;
      rows.set(key(r.claimKey, r.action), structuredClone(r));
      return true;
    },
    markAttempt: async (r, at, status) => {
      const row = rows.get(key(r.claimKey, r.action));
      if (!row || row.attempts !== r.attempts || row.status !== "pending") return false;
      Object.assign(row, { attempts: r.attempts + 1, nextAttemptAt: at, status });
      return true;
    },
    markSettled: async (r) => {
      rows.get(key(r.claimKey, r.action))!.status = "settled";
    },
    listDue: async (now) =>
      [...rows.values()].filter((r) => r.status === "pending" && r.nextAttemptAt <= now).map((r) => structuredClone(r)),
  };
}

const read = (over: Partial<ReadClaim> = {}): ReadClaim =>
  ({
    claim: { patient: { identifier: { system: "s", value: "v" } } },
    claimNumber: "C1",
    action: "submit",
    kind: "institutional",
    serviceDate: "2026-03-01",
    items: [{ sequence: 1, category: "A", netFen: 100 }],
    hash: "h1",
    ...over,
  }) as ReadClaim;

const resolved = {
  cityId: "shijiazhuang" as const,
  hospitalCityCode: "1301",
  hospitalLevel: "3" as const,
  empi: "E1",
  residentId: "130102196005200117",
};

describe("submitClaim", () => {
  it("records, then sends; the same claim again is a duplicate, other content a conflict, a cancellation its own action", async () => {
    const claims = memoryClaims();
    const sent: ClaimMessageV1[] = [];
    let resolves = 0;
    const deps = {
      claims,
      send: async (m: ClaimMessageV1) => void sent.push(m),
      reusedTraceCodes: async () => new Set<string>(),
      resolve: async () => {
        resolves++;
        return resolved;
      },
    };
    const now = new Date("2026-03-02T00:00:00Z");
    expect((await submitClaim(deps, "sjz001", read(), now)).duplicate).toBe(false);
    expect(claims.rows.get("sjz001|C1#submit")).toMatchObject({
      status: "pending",
      attempts: 1,
      nextAttemptAt: "2026-03-02T00:00:30.000Z",
    });
    expect((await submitClaim(deps, "sjz001", read(), now)).duplicate).toBe(true);
    await expect(submitClaim(deps, "sjz001", read({ hash: "h2" }), now)).rejects.toMatchObject({ kind: "conflict" });
    const cancel = await submitClaim(deps, "sjz001", read({ action: "cancel", hash: "h3" }), now);
    expect(cancel).toMatchObject({ duplicate: false, message: { action: "cancel", empi: "E1" } });
    expect((await submitClaim(deps, "sjz001", read({ action: "cancel" }), now)).duplicate).toBe(true);
    // resubmissions of claims not settled yet are sent again (de-duplicated downstream)
    expect(sent.map((m) => m.action)).toEqual(["submit", "submit", "cancel", "cancel"]);
    await claims.markSettled((await claims.get("sjz001|C1", "submit"))!);
    await submitClaim(deps, "sjz001", read(), now);
    expect(sent).toHaveLength(4);
    expect(resolves).toBe(1);
    await expect(submitClaim(deps, "sjz001", read({ claimNumber: "C9", action: "cancel" }), now)).rejects.toMatchObject({
      kind: "not-found",
    });
  });

  it("keeps the claim when the send fails: the sweeper re-sends it when due, with backoff, and parks it after bounded attempts", async () => {
    const claims = memoryClaims();
    let failing = true;
    const sent: string[] = [];
    const send = async (m: ClaimMessageV1) => {
      if (failing) throw new Error("queue unavailable");
      sent.push(m.claimNumber);
    };
    const t0 = new Date("2026-03-02T00:00:00Z");
    await submitClaim(
      { claims, send, reusedTraceCodes: async () => new Set<string>(), resolve: async () => resolved },
      "sjz001",
      read(),
      t0,
    );
    failing = false;
    let settled = false;
    const sweep = (at: Date) => sweepClaims({ claims, send, settled: async () => settled }, at);
    expect(await sweep(new Date(t0.getTime() + 10_000))).toEqual({ resent: 0, settled: 0, parked: 0 });
    expect(await sweep(new Date(t0.getTime() + 31_000))).toEqual({ resent: 1, settled: 0, parked: 0 });
    expect(claimBackoffSeconds(2)).toBe(60);
    settled = true;
    expect(await sweep(new Date(t0.getTime() + 3_600_000))).toEqual({ resent: 0, settled: 1, parked: 0 });
    expect(sent).toEqual(["C1"]);

    // never settled: parked after CLAIM_MAX_ATTEMPTS
    await submitClaim(
      { claims, send, reusedTraceCodes: async () => new Set<string>(), resolve: async () => resolved },
      "sjz001",
      read({ claimNumber: "C2" }),
      t0,
    );
    settled = false;
    let parked = 0;
    for (let day = 1; day <= CLAIM_MAX_ATTEMPTS + 2; day++) parked += (await sweep(new Date(t0.getTime() + day * 86_400_000))).parked;
    expect(parked).toBe(1);
    expect(claims.rows.get("sjz001|C2#submit")).toMatchObject({ status: "parked", attempts: CLAIM_MAX_ATTEMPTS + 1 });
  });
});
