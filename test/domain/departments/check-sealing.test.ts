/** The fail-closed check's reads (use-cases/departments/evidence.ts `checkSealing`): the status read once while fresh, again before refusing. */
import { describe, expect, it } from "vitest";
import type { EvidenceLog, SealerStatus } from "#ports/evidence.ts";
import { checkSealing } from "#use-cases/departments/evidence.ts";

function store(initial: SealerStatus | undefined) {
  const state = { status: initial, reads: 0 };
  const log: EvidenceLog = {
    putEntry: async () => true,
    status: async () => {
      state.reads++;
      return state.status;
    },
  };
  return { log, state };
}
const at = (iso: string) => new Date(iso);

describe("checkSealing", () => {
  it("reads the status once while the seal it saw stays fresh, and again before refusing", async () => {
    const { log, state } = store({ lastSealedAt: "2026-12-05T08:00:00.000Z", lastSeq: 10 });
    await checkSealing(log, at("2026-12-05T08:01:00.000Z"));
    await checkSealing(log, at("2026-12-05T11:59:00.000Z"));
    expect(state.reads).toBe(1);
    // 4 hours and a minute later: the seen seal is stale, so the table is asked, and still stale → refused
    await expect(checkSealing(log, at("2026-12-05T12:01:00.000Z"))).rejects.toThrow(/fail closed/);
    expect(state.reads).toBe(2);
    // the sealer ran meanwhile: the next check reads it and passes, then needs no read
    state.status = { lastSealedAt: "2026-12-05T12:01:30.000Z", lastSeq: 11 };
    await checkSealing(log, at("2026-12-05T12:02:00.000Z"));
    await checkSealing(log, at("2026-12-05T12:03:00.000Z"));
    expect(state.reads).toBe(3);
  });

  it("a seal seen stale is never trusted: refused only after the table says so too", async () => {
    const { log, state } = store({ lastSealedAt: "2026-12-05T00:00:00.000Z", lastSeq: 1 });
    await expect(checkSealing(log, at("2026-12-05T05:00:00.000Z"))).rejects.toThrow(/fail closed/);
    state.status = { lastSealedAt: "2026-12-05T04:59:00.000Z", lastSeq: 2 };
    await checkSealing(log, at("2026-12-05T05:00:00.000Z"));
    expect(state.reads).toBe(2);
  });

  it("a sealer that never ran holds nothing up (and is asked each time until it has)", async () => {
    const { log, state } = store(undefined);
    await checkSealing(log, at("2026-12-05T05:00:00.000Z"));
    await checkSealing(log, at("2026-12-05T05:00:01.000Z"));
    expect(state.reads).toBe(2);
  });
});
