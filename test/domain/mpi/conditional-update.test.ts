/** A conditional update addressed by an MRN keeps that MRN when its body omits it (issue 21). */
import { describe, expect, it } from "vitest";
import { mrnSystem, RESIDENT_ID_SYSTEM } from "#schemas/patient.ts";
import { withSource } from "#use-cases/mpi/feed.ts";

describe("withSource", () => {
  const source = { system: mrnSystem("bd001"), value: "000123" };
  it("adds the MRN the update is addressed by when the body lacks it", () => {
    const fed = withSource({ resourceType: "Patient", identifier: [{ system: RESIDENT_ID_SYSTEM, value: "130602196005200119" }] }, source);
    expect(fed.identifier).toEqual([source, { system: RESIDENT_ID_SYSTEM, value: "130602196005200119" }]);
  });
  it("leaves a body that carries it as it is", () => {
    const patient = { resourceType: "Patient" as const, identifier: [source] };
    expect(withSource(patient, source)).toBe(patient);
  });
});
