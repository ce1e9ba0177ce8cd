/** The Patient feed's edge, pure: what is malformed, whose MRN it is, what the index matches and answers. */
import { describe, expect, it } from "vitest";
import { DomainError } from "#domain/errors.ts";
import { convertLegacyResidentId } from "#domain/mpi/resident-id.ts";
import { namedPatients } from "#domain/named-patients.ts";
import { father, patientOf, wrongCheckChar } from "#lib/world/index.ts";
import {
  EMPI_SYSTEM,
  feedPatientSchema,
  MATCH_FLAG_SYSTEM,
  MATCH_TAG_SYSTEM,
  mrnSystem,
  NAME_REPRESENTATION_URL,
  RESIDENT_ID_SYSTEM,
} from "#schemas/patient.ts";
import { statusOf as httpStatusOf } from "#shared/http.ts";
import { feedSource, readNames, renderPatient, toMatchRecord, toStoredPatient } from "#use-cases/mpi/patient-record.ts";
import { conditionalIdentifier, pdqParams, pixParams } from "#use-cases/mpi/query-params.ts";
import { searchTerms } from "#use-cases/mpi/search-terms.ts";

const issuesOf = (input: unknown): string[] => {
  const parsed = feedPatientSchema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((i) => i.path.join("."));
};
const statusOf = (run: () => unknown): number | undefined => {
  try {
    run();
  } catch (error) {
    return error instanceof DomainError ? httpStatusOf(error) : -1;
  }
  return undefined;
};

describe("a fed Patient is refused when structurally malformed, naming the field", () => {
  const good = patientOf("sjz001", "MRN-1", father);

  it("accepts a well-formed Patient", () => {
    expect(issuesOf(good)).toEqual([]);
  });

  it.each([
    ["another resource", { ...good, resourceType: "Practitioner" }, "resourceType"],
    ["a month 13", { ...good, birthDate: "1960-13-20" }, "birthDate"],
    ["February 30th", { ...good, birthDate: "1960-02-30" }, "birthDate"],
    ["a date without dashes", { ...good, birthDate: "19600520" }, "birthDate"],
    ["an unknown gender", { ...good, gender: "m" }, "gender"],
  ])("refuses %s", (_label, input, field) => {
    expect(issuesOf(input)).toContain(field);
  });

  it.each([
    ["a resident ID number of 17 characters", RESIDENT_ID_SYSTEM, father.residentId!.slice(0, 17)],
    ["a resident ID number with a letter inside", RESIDENT_ID_SYSTEM, `1301021960A520011${"X"}`],
    ["a health card with punctuation", "https://hebei.health/sid/health-card", "HC-12 34"],
    ["a patient number with a space", mrnSystem("sjz001"), "MRN 1"],
  ])("refuses %s", (_label, system, value) => {
    const patient = {
      ...good,
      identifier: [
        { system: mrnSystem("sjz001"), value: "MRN-1" },
        { system, value },
      ],
    };
    const issues = issuesOf(patient);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.every((p) => p.startsWith("identifier."))).toBe(true);
  });

  it("accepts a well-formed number whose check character is wrong, and a 15-digit legacy number", () => {
    expect(issuesOf(patientOf("sjz001", "MRN-1", { ...father, residentId: wrongCheckChar(father.residentId!) }))).toEqual([]);
    expect(issuesOf(patientOf("sjz001", "MRN-1", { ...father, residentId: "130102600520011" }))).toEqual([]);
  });
});

describe("a hospital feeds only its own patient numbers", () => {
  const own = patientOf("sjz001", "MRN-1", father);

  it("keys the Patient by the hospital's own MRN", () => {
    expect(feedSource("sjz001", own)).toEqual({ system: mrnSystem("sjz001"), value: "MRN-1" });
    expect(feedSource("sjz001", { ...own, identifier: [] }, { system: mrnSystem("sjz001"), value: "MRN-1" })).toEqual({
      system: mrnSystem("sjz001"),
      value: "MRN-1",
    });
  });

  it("refuses another hospital's MRN with 403, in the body or in the update's identifier", () => {
    expect(statusOf(() => feedSource("ts001", own))).toBe(403);
    expect(statusOf(() => feedSource("sjz001", own, { system: mrnSystem("ts001"), value: "MRN-1" }))).toBe(403);
  });

  it("refuses with 400 a Patient without its MRN, with two, or with another than the update names", () => {
    expect(statusOf(() => feedSource("sjz001", { ...own, identifier: [] }))).toBe(400);
    expect(
      statusOf(() => feedSource("sjz001", { ...own, identifier: [...own.identifier!, { system: mrnSystem("sjz001"), value: "MRN-2" }] })),
    ).toBe(400);
    expect(statusOf(() => feedSource("sjz001", own, { system: mrnSystem("sjz001"), value: "MRN-2" }))).toBe(400);
  });

  it("reads a conditional update's identifier and refuses other parameters", () => {
    expect(conditionalIdentifier({ identifier: [`${mrnSystem("sjz001")}|MRN-1`] })).toEqual({
      system: mrnSystem("sjz001"),
      value: "MRN-1",
    });
    expect(statusOf(() => conditionalIdentifier({}))).toBe(400);
    expect(statusOf(() => conditionalIdentifier({ identifier: ["MRN-1"] }))).toBe(400);
    expect(statusOf(() => conditionalIdentifier({ identifier: [`${mrnSystem("sjz001")}|1`], _format: ["json"] }))).toBe(400);
  });
});

describe("what the index matches", () => {
  it("reads the name in characters and in pinyin (ISO 21090 representation), and a text-only name", () => {
    const names = [
      { family: "欧阳", given: ["子涵"] },
      { family: "Ouyang", given: ["Zi", "Han"], extension: [{ url: NAME_REPRESENTATION_URL, valueCode: "SYL" }] },
    ];
    expect(readNames(names)).toEqual({ family: "欧阳", given: "子涵", familyPinyin: "ouyang", givenPinyin: "zi han" });
    expect(readNames([{ text: "司马光明" }])).toMatchObject({ family: "司马", given: "光明" });
    expect(readNames([{ text: "王小二" }])).toMatchObject({ family: "王", given: "小二" });
  });

  it("takes sex, a full birth date, the phone, the address and the typed numbers", () => {
    const record = toMatchRecord(patientOf("sjz001", "MRN-1", father), { system: mrnSystem("sjz001"), value: "MRN-1" });
    expect(record).toEqual({
      family: "张",
      given: "建国",
      residentId: father.residentId,
      sex: "male",
      birthDate: "1960-05-20",
      phone: "13912345678",
      address: father.address,
      source: { system: mrnSystem("sjz001"), value: "MRN-1" },
    });
    expect(
      toMatchRecord({ ...patientOf("sjz001", "MRN-1", father), birthDate: "1960" }, { system: "s", value: "v" }).birthDate,
    ).toBeUndefined();
  });

  it("stores a legacy number converted to 18 characters and drops any EMPI the hospital sent", () => {
    const legacy = "130102600520011";
    const patient = patientOf("sjz001", "MRN-1", { ...father, residentId: legacy });
    patient.identifier!.push({ system: EMPI_SYSTEM, value: "E0000000000012" });
    const stored = toStoredPatient(patient) as { identifier: { system: string; value: string }[] };
    expect(stored.identifier.find((i) => i.system === RESIDENT_ID_SYSTEM)?.value).toBe(convertLegacyResidentId(legacy));
    expect(stored.identifier.some((i) => i.system === EMPI_SYSTEM)).toBe(false);
  });

  it("indexes a Patient for PDQm by identifier, phone, full name and family name with birth date", () => {
    const patient = toStoredPatient(patientOf("sjz001", "MRN-1", father));
    const terms = searchTerms(
      patient,
      toMatchRecord(patientOf("sjz001", "MRN-1", father), { system: mrnSystem("sjz001"), value: "MRN-1" }),
    );
    expect(terms.sort()).toEqual(
      [
        `id:${mrnSystem("sjz001")}|MRN-1`,
        `id:${RESIDENT_ID_SYSTEM}|${father.residentId}`,
        "tel:13912345678",
        "nm:张建国",
        "fb:张|1960-05-20",
      ].sort(),
    );
  });
});

describe("what the feed answers", () => {
  const stored = toStoredPatient(patientOf("sjz001", "MRN-1", father));
  const base = { sourceKey: `${mrnSystem("sjz001")}|MRN-1`, version: 2, lastUpdated: "2025-06-30T08:00:00.000Z", patient: stored };

  it("a linked Patient carries its EMPI and no review tag", () => {
    const answer = renderPatient({ ...base, flags: [], empi: "E0000000000012", review: false }) as {
      identifier: unknown[];
      meta: Record<string, unknown>;
    };
    expect(answer.identifier).toContainEqual({ system: EMPI_SYSTEM, value: "E0000000000012" });
    expect(answer.meta).toEqual({ versionId: "2", lastUpdated: base.lastUpdated });
  });

  it("a Patient awaiting review carries the review tag and no EMPI; flags are tags of their own system", () => {
    const answer = renderPatient({ ...base, flags: ["resident-id-bad-check"], empi: "E0000000000012", review: true }) as {
      identifier: { system: string }[];
      meta: { tag: unknown[] };
    };
    expect(answer.identifier.some((i) => i.system === EMPI_SYSTEM)).toBe(false);
    expect(answer.meta.tag).toContainEqual(expect.objectContaining({ system: MATCH_TAG_SYSTEM, code: "review" }));
    expect(answer.meta.tag).toContainEqual({ system: MATCH_FLAG_SYSTEM, code: "resident-id-bad-check" });
  });

  it("names the patients an access concerned, from a Patient or a raw (even malformed) body", () => {
    expect(namedPatients({ json: () => patientOf("sjz001", "MRN-1", father) }, "Patient")).toEqual([
      { system: mrnSystem("sjz001"), value: "MRN-1" },
      { system: RESIDENT_ID_SYSTEM, value: father.residentId },
    ]);
    const notJson = () => {
      throw new SyntaxError("not JSON");
    };
    expect(namedPatients({ json: notJson }, "Patient")).toEqual([]);
    expect(namedPatients({ json: () => ({ identifier: [{ system: "urn:other", value: "x" }] }) }, "Patient")).toEqual([]);
  });
});

describe("query parameters", () => {
  it("refuses a PDQm parameter it does not know, a repeated one, and a malformed birthdate", () => {
    expect(statusOf(() => pdqParams({ address: ["x"] }))).toBe(400);
    expect(statusOf(() => pdqParams({ family: ["张", "王"] }))).toBe(400);
    expect(statusOf(() => pdqParams({ family: ["张"], birthdate: ["1960-5-20"] }))).toBe(400);
    expect(pdqParams({ family: ["张"], birthdate: ["1960-05-20"], _count: ["5"] })).toEqual({
      family: "张",
      birthdate: "1960-05-20",
      _count: 5,
    });
  });

  it("takes PIXm's targetSystem more than once", () => {
    expect(pixParams({ sourceIdentifier: ["a|b"], targetSystem: ["x", "y"] })).toEqual({
      sourceIdentifier: "a|b",
      targetSystem: ["x", "y"],
    });
    expect(statusOf(() => pixParams({}))).toBe(400);
  });
});
