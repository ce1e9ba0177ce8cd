import { describe, expect, it } from "vitest";
import { isValidEmpi, RANDOM_EMPI_DIGITS, randomEmpi } from "#domain/mpi/empi.ts";
import { emptyPixAnswer, pixForSystemCall } from "#domain/mpi/pix-scope.ts";
import { EMPI_SYSTEM, mrnSystem, RESIDENT_ID_SYSTEM } from "#schemas/patient.ts";

const id = (system: string, value: string) => ({ name: "targetIdentifier", valueIdentifier: { system, value } });
const full = {
  resourceType: "Parameters",
  parameter: [
    id(mrnSystem("bd001"), "M1"),
    id(mrnSystem("ts001"), "M2"),
    id(EMPI_SYSTEM, "E1234"),
    id(RESIDENT_ID_SYSTEM, "130102196005200114"),
  ],
};
const byResidentId = { system: RESIDENT_ID_SYSTEM, value: "130102196005200114" };

describe("PIXm for a system call", () => {
  it("answers the registering hospital the EMPI and its own MRN only", () => {
    expect(pixForSystemCall(full, byResidentId, "bd001")).toEqual({
      resourceType: "Parameters",
      parameter: [id(mrnSystem("bd001"), "M1"), id(EMPI_SYSTEM, "E1234")],
    });
  });

  it("answers a hospital that did not register the resident as if nobody knew them", () => {
    expect(pixForSystemCall(full, byResidentId, "hd001")).toEqual(emptyPixAnswer());
  });

  it("counts a query by the hospital's own MRN as its own registration", () => {
    const answer = { resourceType: "Parameters", parameter: full.parameter.filter((p) => p.valueIdentifier.system !== mrnSystem("bd001")) };
    expect(pixForSystemCall(answer, { system: mrnSystem("bd001"), value: "M1" }, "bd001").parameter).toEqual([id(EMPI_SYSTEM, "E1234")]);
  });
});

describe("random EMPIs", () => {
  it("carry their check digit and stay above every sequential EMPI", () => {
    expect(randomEmpi(RANDOM_EMPI_DIGITS.min).slice(0, 13)).toBe("E100000000000");
    for (const digits of [RANDOM_EMPI_DIGITS.min, 538_201_999_417, RANDOM_EMPI_DIGITS.max])
      expect(isValidEmpi(randomEmpi(digits))).toBe(true);
    expect(() => randomEmpi(42)).toThrow();
    expect(() => randomEmpi(RANDOM_EMPI_DIGITS.max + 1)).toThrow();
  });
});
