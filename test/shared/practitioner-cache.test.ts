/**
 * The city's memory of the hub's practitioner check (shared/practitioner-cache.ts): a positive answer
 * per hospital + practitioner until its TTL passes; a refusal, a failure or another pair never answered from it.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { PractitionerCheckResponse } from "#schemas/internal.ts";
import { cachedPractitionerCheck, PRACTITIONER_CACHE_ENTRIES, practitionerCacheSeconds } from "#shared/practitioner-cache.ts";

const yes = (practitionerId: string): PractitionerCheckResponse => ({ active: true, practitionerId, roles: ["doctor"] });
const no: PractitionerCheckResponse = { active: false, reason: "not active" };

/** A hub whose answers the test sets per pair, counting what it is asked */
function hub(answers: Record<string, PractitionerCheckResponse | Error> = {}) {
  const asked: string[] = [];
  return {
    asked,
    answers,
    check: {
      async checkPractitioner(hospitalId: string, practitionerId: string) {
        const key = `${hospitalId}/${practitionerId}`;
        asked.push(key);
        const answer = answers[key] ?? no;
        if (answer instanceof Error) throw answer;
        return answer;
      },
    },
  };
}

describe("a positive answer", () => {
  test("is kept until its TTL passes, then asked again", async () => {
    let now = 1_000;
    const h = hub({ "bd001/p1": yes("p1") });
    const cached = cachedPractitionerCheck(h.check, 60, () => now);
    expect(await cached.checkPractitioner("bd001", "p1")).toEqual(yes("p1"));
    now += 59_999;
    expect(await cached.checkPractitioner("bd001", "p1")).toEqual(yes("p1"));
    expect(h.asked).toEqual(["bd001/p1"]);
    now += 1;
    h.answers["bd001/p1"] = no; // deactivated meanwhile: refused once the TTL has passed
    expect(await cached.checkPractitioner("bd001", "p1")).toEqual(no);
    expect(await cached.checkPractitioner("bd001", "p1")).toEqual(no);
    expect(h.asked).toEqual(["bd001/p1", "bd001/p1", "bd001/p1"]);
  });

  test("answers only its own hospital and practitioner", async () => {
    const h = hub({ "bd001/p1": yes("p1") });
    const cached = cachedPractitionerCheck(h.check, 60, () => 0);
    await cached.checkPractitioner("bd001", "p1");
    expect(await cached.checkPractitioner("bd002", "p1")).toEqual(no);
    expect(await cached.checkPractitioner("bd001", "p2")).toEqual(no);
    expect(h.asked).toEqual(["bd001/p1", "bd002/p1", "bd001/p2"]);
  });

  test("naming another practitioner than asked is not kept", async () => {
    const h = hub({ "bd001/p1": yes("p9") });
    const cached = cachedPractitionerCheck(h.check, 60, () => 0);
    await cached.checkPractitioner("bd001", "p1");
    await cached.checkPractitioner("bd001", "p1");
    expect(h.asked).toHaveLength(2);
  });

  test("the memory is bounded: the oldest pair is forgotten first", async () => {
    const h = hub();
    h.check.checkPractitioner = async (hospitalId: string, practitionerId: string) => {
      h.asked.push(`${hospitalId}/${practitionerId}`);
      return yes(practitionerId);
    };
    const cached = cachedPractitionerCheck(h.check, 60, () => 0);
    for (let i = 0; i <= PRACTITIONER_CACHE_ENTRIES; i++) await cached.checkPractitioner("bd001", `p${i}`);
    await cached.checkPractitioner("bd001", `p${PRACTITIONER_CACHE_ENTRIES}`);
    expect(h.asked).toHaveLength(PRACTITIONER_CACHE_ENTRIES + 1);
    await cached.checkPractitioner("bd001", "p0");
    expect(h.asked).toHaveLength(PRACTITIONER_CACHE_ENTRIES + 2);
  });
});

describe("never kept", () => {
  test("a refusal is asked again each time, and a later yes is the hub's", async () => {
    const h = hub();
    const cached = cachedPractitionerCheck(h.check, 60, () => 0);
    expect(await cached.checkPractitioner("bd001", "p1")).toEqual(no);
    expect(await cached.checkPractitioner("bd001", "p1")).toEqual(no);
    h.answers["bd001/p1"] = yes("p1");
    expect(await cached.checkPractitioner("bd001", "p1")).toEqual(yes("p1"));
    expect(h.asked).toHaveLength(3);
  });

  test("a failed check throws and keeps nothing", async () => {
    const h = hub({ "bd001/p1": new Error("hub practitioner check answered 503") });
    const cached = cachedPractitionerCheck(h.check, 60, () => 0);
    await expect(cached.checkPractitioner("bd001", "p1")).rejects.toThrow("503");
    h.answers["bd001/p1"] = no;
    expect(await cached.checkPractitioner("bd001", "p1")).toEqual(no);
  });

  test("with a TTL of 0 every check asks the hub", async () => {
    const h = hub({ "bd001/p1": yes("p1") });
    const cached = cachedPractitionerCheck(h.check, 0, () => 0);
    await cached.checkPractitioner("bd001", "p1");
    await cached.checkPractitioner("bd001", "p1");
    expect(h.asked).toHaveLength(2);
  });

  test("pairs whose ids joined would read alike are apart", async () => {
    const h = hub({ "a|b/c": yes("c") });
    const cached = cachedPractitionerCheck(h.check, 60, () => 0);
    await cached.checkPractitioner("a|b", "c");
    expect(await cached.checkPractitioner("a", "b|c")).toEqual(no);
  });
});

test("whatever the hub answers over time, a yes from memory follows the hub's yes for that pair within the TTL, and no refusal since", async () => {
  const step = fc.record({
    pair: fc.constantFrom(["h1", "p1"], ["h1", "p2"], ["h2", "p1"]),
    hubSays: fc.boolean(),
    advanceMs: fc.integer({ min: 0, max: 40_000 }),
  });
  await fc.assert(
    fc.asyncProperty(fc.array(step, { maxLength: 40 }), fc.integer({ min: 0, max: 90 }), async (steps, ttl) => {
      let now = 0;
      const hubAnswers = new Map<string, boolean>();
      /** the hub's answers, per pair: when and what */
      const history = new Map<string, { at: number; active: boolean }[]>();
      const cached = cachedPractitionerCheck(
        {
          async checkPractitioner(hospitalId, practitionerId) {
            const key = `${hospitalId}/${practitionerId}`;
            const active = hubAnswers.get(key) ?? false;
            history.set(key, [...(history.get(key) ?? []), { at: now, active }]);
            return active ? yes(practitionerId) : no;
          },
        },
        ttl,
        () => now,
      );
      for (const { pair, hubSays, advanceMs } of steps) {
        now += advanceMs;
        const key = pair.join("/");
        hubAnswers.set(key, hubSays);
        const answer = await cached.checkPractitioner(pair[0]!, pair[1]!);
        const last = history.get(key)?.at(-1);
        if (answer.active) {
          // the hub's last answer for this pair was yes, given less than the TTL ago (or just now)
          expect(last?.active).toBe(true);
          expect(now - last!.at).toBeLessThan(Math.max(ttl * 1000, 1));
        } else expect(hubSays).toBe(false); // a no is always the hub's current answer
      }
    }),
  );
});

test("HHC_PRACTITIONER_CACHE_SECONDS: whole seconds from 0 to 300, 0 when absent", () => {
  expect(practitionerCacheSeconds(undefined)).toBe(0);
  expect(practitionerCacheSeconds("")).toBe(0);
  expect(practitionerCacheSeconds("60")).toBe(60);
  expect(practitionerCacheSeconds("0")).toBe(0);
  for (const bad of ["-1", "1.5", "301", "sixty"]) expect(() => practitionerCacheSeconds(bad)).toThrow("HHC_PRACTITIONER_CACHE_SECONDS");
});
