/** The notifiable-disease list as data: prefix matching at code boundaries, the longest match, the deadlines (docs/public-health.md) */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  codeMatches,
  deadlineOf,
  LIMIT_HOURS,
  NOTIFIABLE_DISEASES,
  notifiableDiagnoses,
  notifiableDisease,
  remindAtOf,
} from "#domain/public-health/diseases.ts";
import { ICD10_CODE } from "#schemas/public-health.ts";

describe("the notifiable-disease list", () => {
  it("lists each code once, each a valid ICD-10 code, with ids unique", () => {
    const codes = NOTIFIABLE_DISEASES.flatMap((d) => d.icd10);
    expect(new Set(codes).size).toBe(codes.length);
    expect(new Set(NOTIFIABLE_DISEASES.map((d) => d.id)).size).toBe(NOTIFIABLE_DISEASES.length);
    for (const code of codes) expect(code).toMatch(ICD10_CODE);
  });

  it("has the two class A diseases and the diseases managed as class A, with 2 hours; B and C 24 hours", () => {
    expect(NOTIFIABLE_DISEASES.filter((d) => d.class === "A").map((d) => d.id)).toEqual(["plague", "cholera"]);
    expect(NOTIFIABLE_DISEASES.filter((d) => d.class === "B-as-A").map((d) => d.id)).toEqual(["pneumonic-anthrax", "sars"]);
    expect(LIMIT_HOURS).toEqual({ A: 2, "B-as-A": 2, B: 24, C: 24 });
    expect(deadlineOf("2026-03-01T10:00:00+08:00", { class: "A" })).toBe("2026-03-01T04:00:00.000Z");
    expect(deadlineOf("2026-03-01T10:00:00+08:00", { class: "C" })).toBe("2026-03-02T02:00:00.000Z");
    expect(remindAtOf("2026-03-01T10:00:00+08:00", { class: "B-as-A" })).toBe("2026-03-01T03:00:00.000Z");
  });

  it("matches the clinical edition's longer codes by prefix, at a code boundary only", () => {
    expect(notifiableDisease("A00")?.id).toBe("cholera");
    expect(notifiableDisease("A00.9")?.id).toBe("cholera");
    expect(notifiableDisease("A01.000x001")?.id).toBe("typhoid");
    expect(notifiableDisease("A22.100")?.id).toBe("pneumonic-anthrax");
    expect(notifiableDisease("A22.0")?.id).toBe("anthrax");
    expect(notifiableDisease("B08.4")?.id).toBe("hand-foot-mouth");
    expect(notifiableDisease("B08.5")).toBeUndefined();
    expect(notifiableDisease("I10")).toBeUndefined();
    expect(codeMatches("A010", "A01")).toBe(false);
    expect(codeMatches("A01.1", "A01")).toBe(true);
  });

  it("maps every listed code and any refinement of it to its disease, unless a longer listed code covers it", () => {
    const listed = NOTIFIABLE_DISEASES.flatMap((d) => d.icd10.map((code) => ({ code, id: d.id })));
    fc.assert(
      fc.property(fc.constantFrom(...listed), fc.stringMatching(/^[0-9]{0,3}(x[0-9]{3})?$/), ({ code, id }, tail) => {
        const refined = tail === "" ? code : code.includes(".") ? `${code}${tail}` : `${code}.${tail}`;
        const longer = listed.find((l) => l.code.length > code.length && codeMatches(refined, l.code));
        expect(notifiableDisease(refined)?.id).toBe(longer ? longer.id : id);
      }),
    );
  });

  it("takes an encounter's own referenced diagnoses only, and none of a cancelled encounter", () => {
    const condition = (id: string, code: string) => ({
      id,
      code: { coding: [{ system: "http://hl7.org/fhir/sid/icd-10", code }] },
      recordedDate: "2026-03-01T10:00:00+08:00",
    });
    const encounter = {
      status: "finished",
      contained: [condition("a", "A00"), condition("b", "I10"), condition("c", "B05")],
      diagnosis: [{ condition: { reference: "#a" } }, { condition: { reference: "#b" } }],
    };
    expect(notifiableDiagnoses(encounter)).toEqual([{ code: "A00", diagnosedAt: "2026-03-01T10:00:00+08:00" }]);
    expect(notifiableDiagnoses({ ...encounter, status: "entered-in-error" })).toEqual([]);
    expect(notifiableDiagnoses({ status: "finished" })).toEqual([]);
  });
});
