/**
 * SIGKILL the local province in the middle of a burst of claims and start it again on the same data
 * folder: every claim that got 202 is settled, and exactly once (the residents' yearly totals at the
 * insurance platform count each claim once), though the in-memory queues lost whatever was in flight.
 */
import { afterAll, describe, expect, it } from "vitest";
import { type Hospital, register } from "#lib/harness/patients.ts";
import { type ProvinceProcess, spawnProvince } from "#lib/harness/process.ts";
import { claimResponses, submit, totalsFen } from "#lib/harness/settlement.ts";
import { claimOf, residentAt } from "#lib/world/index.ts";
import { CLAIM_FIRST_RESEND_SECONDS } from "#use-cases/settlement/submit-claim.ts";
import { advanceClock, freePort, newDataDir, waitFor } from "../support/province.ts";

const RESIDENTS = 30;
const CLAIMS_PER_RESIDENT = 3;
const CONCURRENCY = 20;

let p: ProvinceProcess | undefined;
afterAll(async () => {
  await p?.stop();
});

describe("a province killed mid-burst of claims", () => {
  it("settles every claim that got 202 exactly once after a restart", async () => {
    const dataDir = newDataDir();
    const port = await freePort();
    p = await spawnProvince(dataDir, port);
    const hospitals = p.credentials().hospitals.filter((h) => h.practitioners.length > 0);
    const people: { h: Hospital; patient: { system: string; value: string } }[] = [];
    for (let i = 0; i < RESIDENTS; i++) {
      const h = hospitals[(i * 7) % hospitals.length]!;
      people.push({ h, patient: await register(p.url, h, `K${i}`, residentAt(3000 + i * 2 + 1)) });
    }
    // outpatient claims of 1000 CNY: the fund pays 500 CNY each, under the 3000 CNY yearly cap
    const claims = people.flatMap(({ h, patient }, i) =>
      Array.from({ length: CLAIMS_PER_RESIDENT }, (_, k) => ({
        h,
        resident: i,
        number: `K${i}-${k}`,
        body: claimOf(h, `K${i}-${k}`, patient, { kind: "professional", items: [["A", 1000]] }),
      })),
    );

    // act: a burst, killed once a third of it got 202
    const accepted = new Set<string>();
    let next = 0;
    let killing: Promise<void> | undefined;
    const province = p;
    const worker = async () => {
      while (next < claims.length && !killing) {
        const c = claims[next++]!;
        try {
          const res = await submit(province.url, c.h, c.body);
          if (res.status === 202) accepted.add(c.number);
          else throw new Error(`claim ${c.number} answered ${res.status}: ${JSON.stringify(res.json)}`);
        } catch (error) {
          if (!killing) throw error;
        }
        if (accepted.size >= claims.length / 3) killing ??= province.kill();
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    await killing;
    expect(accepted.size).toBeGreaterThanOrEqual(claims.length / 3);
    expect(accepted.size).toBeLessThan(claims.length);

    // restart on the same data folder
    p = await spawnProvince(dataDir, port);
    const url = p.url;
    // the claim sweeper runs every minute and re-sends a claim 30 s after it was recorded: the province
    // clock goes past both, instead of the test waiting them out
    await advanceClock(p, Math.max(CLAIM_FIRST_RESEND_SECONDS, 60));
    // every claim that got 202 is settled (re-driven from the cities' durable records)
    const byNumber = new Map(claims.map((c) => [c.number, c]));
    await waitFor(
      async () => {
        let missing = 0;
        for (const n of accepted) if ((await claimResponses(url, byNumber.get(n)!.h, n)).length === 0) missing++;
        return missing;
      },
      (missing) => missing === 0,
      180_000,
    );
    // the rest are submitted again (those cut off mid-request may have been recorded: then a duplicate)
    for (const c of claims) expect((await submit(url, c.h, c.body)).status).toBe(202);
    // one resident after another (their own claims in parallel)
    for (const [i] of people.entries()) {
      await Promise.all(
        claims
          .filter((c) => c.resident === i)
          .map(async (c) => {
            const rs = await waitFor(
              () => claimResponses(url, c.h, c.number),
              (r) => r.length > 0,
              180_000,
            );
            expect(rs).toHaveLength(1);
            expect(totalsFen(rs[0]!).benefit).toBe(50000);
          }),
      );
    }
    // exactly once: each resident has used 3 × 500 CNY of the 3000 CNY outpatient cap, so a 6000 CNY
    // claim (3000 CNY due) gets the 1500 CNY left; a claim counted twice would leave less
    for (const [i, { h, patient }] of people.entries()) {
      const number = `K${i}-probe`;
      expect((await submit(url, h, claimOf(h, number, patient, { kind: "professional", items: [["A", 6000]] }))).status).toBe(202);
    }
    for (const [i, { h }] of people.entries()) {
      const [probe] = await waitFor(
        () => claimResponses(url, h, `K${i}-probe`),
        (r) => r.length > 0,
        60_000,
      );
      expect(totalsFen(probe!).benefit, `resident ${i}`).toBe(300000 - CLAIMS_PER_RESIDENT * 50000);
    }
  }, 600_000);
});
