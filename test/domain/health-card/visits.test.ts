/** The card-based visit rate, pure (docs/health-card.md): checked against a count made encounter by encounter, on random days. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CardVerification, cardBasedVisits, type EncounterVisit } from "#domain/health-card.ts";
import { CARE_STEPS, type VerifyOutcome } from "#schemas/health-card.ts";

const T0 = Date.parse("2026-03-02T00:00:00Z");
const HOSPITALS = [
  ["bd001", "baoding"],
  ["bd002", "baoding"],
  ["ts001", "tangshan"],
] as const;
const RESIDENTS = ["E1", "E2", "E3"];
const OUTCOMES: VerifyOutcome[] = ["accepted", "expired", "replayed", "invalid"];
const minute = fc.integer({ min: 0, max: 6 * 60 });

const encounter = fc
  .record({ h: fc.constantFrom(...HOSPITALS), empi: fc.constantFrom(...RESIDENTS), m: minute })
  .map(({ h, empi, m }): EncounterVisit => ({ hospitalId: h[0], cityId: h[1], empi, start: new Date(T0 + m * 60_000).toISOString() }));
const verification = fc
  .record({
    h: fc.constantFrom(...HOSPITALS),
    empi: fc.option(fc.constantFrom(...RESIDENTS), { nil: undefined }),
    step: fc.constantFrom(...CARE_STEPS),
    outcome: fc.constantFrom(...OUTCOMES),
    m: minute,
  })
  .map(
    ({ h, empi, step, outcome, m }): CardVerification => ({
      hospitalId: h[0],
      ...(empi ? { empi } : {}),
      careStep: step,
      outcome,
      at: new Date(T0 + m * 60_000).toISOString(),
    }),
  );

describe("cardBasedVisits", () => {
  it("counts, per hospital, every encounter and those with an accepted registration verification of the resident there in the hour before", () => {
    fc.assert(
      fc.property(fc.array(encounter, { maxLength: 40 }), fc.array(verification, { maxLength: 40 }), (encounters, verifications) => {
        const got = cardBasedVisits(encounters, verifications);
        for (const [hospitalId, cityId] of HOSPITALS) {
          const here = encounters.filter((e) => e.hospitalId === hospitalId);
          // minutes apart, counted on whole minutes: 0 to 60 minutes before the start
          const byCard = here.filter((e) =>
            verifications.some(
              (v) =>
                v.hospitalId === hospitalId &&
                v.empi === e.empi &&
                v.careStep === "registration" &&
                v.outcome === "accepted" &&
                (Date.parse(e.start) - Date.parse(v.at)) / 60_000 >= 0 &&
                (Date.parse(e.start) - Date.parse(v.at)) / 60_000 <= 60,
            ),
          ).length;
          const row = got.get(`${cityId}|${hospitalId}`);
          if (here.length === 0) expect(row).toBeUndefined();
          else expect(row).toEqual({ cityId, hospitalId, encounters: here.length, byCard });
        }
      }),
    );
  });

  it("an encounter counts once however many verifications precede it", () => {
    const start = new Date(T0 + 3_600_000).toISOString();
    const v = (m: number): CardVerification => ({
      hospitalId: "bd001",
      empi: "E1",
      careStep: "registration",
      outcome: "accepted",
      at: new Date(T0 + m * 60_000).toISOString(),
    });
    const got = cardBasedVisits([{ hospitalId: "bd001", cityId: "baoding", empi: "E1", start }], [v(0), v(30), v(59)]);
    expect(got.get("baoding|bd001")).toEqual({ cityId: "baoding", hospitalId: "bd001", encounters: 1, byCard: 1 });
  });
});
