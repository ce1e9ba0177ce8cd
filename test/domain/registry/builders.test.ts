import { describe, expect, it } from "vitest";
import {
  DIVISION_SYSTEM,
  HOSPITAL_BEDS_EXTENSION,
  HOSPITAL_LEVEL_EXTENSION,
  MCSD_TYPE_SYSTEM,
  ORGANIZATION_TYPE_SYSTEM,
  PRACTITIONER_SYSTEM,
  USCC_SYSTEM,
} from "#domain/registry/codes.ts";
import { makeLicense } from "#domain/registry/license.ts";
import {
  cityOfJurisdiction,
  cityOfOrganization,
  cityOrganization,
  countyOrganization,
  type HospitalFacts,
  hospitalLocation,
  hospitalOrganization,
  hospitalProfile,
  isHospital,
  provinceOrganization,
} from "#domain/registry/organizations.ts";
import {
  licensesOf,
  practitionerNameTexts,
  practitionerResource,
  practitionerRoleResource,
  roleCodeOf,
} from "#domain/registry/practitioners.ts";
import { practitionerOfRole, roleId, roleInForce } from "#domain/registry/resources.ts";
import { makeUscc } from "#domain/uscc.ts";
import { PROVINCE } from "#lib/config/province.ts";
import { locationSchema, organizationSchema, practitionerRoleSchema, practitionerSchema } from "#schemas/registry.ts";

const baoding = PROVINCE.cities.find((c) => c.id === "baoding")!;
const uscc = makeUscc({ authority: "1", category: "2", divisionCode: "130602", orgBody8: "40123456" });
const facts: HospitalFacts = {
  id: "bd901",
  cityId: "baoding",
  countyCode: "130602",
  countyName: "竞秀区",
  name: "保定市测试医院",
  level: 3,
  uscc,
  beds: 1200,
};
const license = makeLicense({ type: "physician", division: "130602", level: 1, category: 1, year: 2010, serial: 42 });

const issuesOf = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  (result.error?.issues ?? []).map((i) => `${i.path.join(".")}: ${i.message}`);

describe("facility builders", () => {
  it("chains province → city → county → hospital by partOf, jurisdictions typed govt + mCSD jurisdiction", () => {
    const province = provinceOrganization();
    const city = cityOrganization(baoding);
    const county = countyOrganization(baoding, { code: "130602", nameZh: "竞秀区" });
    const hospital = hospitalOrganization(facts, baoding);
    expect([province.id, city.id, county.id, hospital.id]).toEqual(["hebei", "city-baoding", "county-130602", "bd901"]);
    expect([city.partOf?.reference, county.partOf?.reference, hospital.partOf?.reference]).toEqual([
      "Organization/hebei",
      "Organization/city-baoding",
      "Organization/county-130602",
    ]);
    expect(province.partOf).toBeUndefined();
    for (const org of [province, city, county]) {
      expect(org.type?.flatMap((t) => t.coding ?? []).map((c) => `${c.system}|${c.code}`)).toEqual([
        `${ORGANIZATION_TYPE_SYSTEM}|govt`,
        `${MCSD_TYPE_SYSTEM}|jurisdiction`,
      ]);
      expect(organizationSchema.safeParse(org).success).toBe(true);
    }
    expect(county.identifier).toEqual([{ system: DIVISION_SYSTEM, value: "130602" }]);
    expect(city.identifier?.[0]?.value).toBe("130600");
  });

  it("reads a city back from its jurisdiction (how the registry knows the province's cities), any city id and code", () => {
    expect(cityOfJurisdiction(cityOrganization(baoding))).toEqual({ id: "baoding", nameZh: "保定市", adminCode: "1306" });
    const xiongan = { id: "xiongan", nameZh: "雄安新区", adminCode: "1331" };
    expect(cityOfJurisdiction(cityOrganization(xiongan))).toEqual(xiongan);
    expect(cityOfJurisdiction(countyOrganization(baoding, { code: "130602", nameZh: "竞秀区" }))).toBeUndefined();
    expect(cityOfJurisdiction(provinceOrganization())).toBeUndefined();
  });

  it("builds a hospital as a facility with its credit code, level, beds and city", () => {
    const hospital = hospitalOrganization(facts, baoding);
    expect(organizationSchema.safeParse(hospital).success).toBe(true);
    expect(isHospital(hospital)).toBe(true);
    expect(hospital.type?.flatMap((t) => t.coding ?? []).map((c) => c.code)).toEqual(["prov", "facility"]);
    expect(hospital.identifier).toEqual([{ use: "official", system: USCC_SYSTEM, value: uscc }]);
    expect(hospital.extension?.map((e) => e.url)).toEqual([HOSPITAL_LEVEL_EXTENSION, HOSPITAL_BEDS_EXTENSION]);
    expect(hospitalProfile(hospital)).toEqual({ level: 3, beds: 1200 });
    expect(cityOfOrganization(hospital, PROVINCE.cities)).toBe("baoding");
    // which cities exist is data: a hospital of a city the list does not hold has none
    expect(
      cityOfOrganization(
        hospital,
        PROVINCE.cities.filter((c) => c.id !== "baoding"),
      ),
    ).toBeUndefined();
    expect(hospital.address?.[0]).toMatchObject({ state: "河北省", city: "保定市", district: "竞秀区" });
  });

  it("gives each hospital a site Location it manages", () => {
    const location = hospitalLocation(hospitalOrganization(facts, baoding));
    expect(locationSchema.safeParse(location).success).toBe(true);
    expect(location).toMatchObject({
      id: "loc-bd901",
      name: facts.name,
      status: "active",
      managingOrganization: { reference: "Organization/bd901" },
    });
    expect(location.type?.[0]?.coding?.[0]).toMatchObject({ system: MCSD_TYPE_SYSTEM, code: "facility" });
  });
});

describe("the Organization schema", () => {
  const hospital = hospitalOrganization(facts, baoding);
  it.each([
    [
      "an invalid credit code",
      { ...hospital, identifier: [{ system: USCC_SYSTEM, value: `${uscc.slice(0, 17)}${uscc.endsWith("0") ? "1" : "0"}` }] },
      "identifier.0.value: not a valid unified social credit code",
    ],
    ["a hospital without a credit code", { ...hospital, identifier: [] }, "identifier: a hospital (type prov) needs"],
    ["a hospital whose address names no city", { ...hospital, address: [{ district: "竞秀区" }] }, "address.0.city:"],
    [
      "a level 4",
      { ...hospital, extension: [{ url: HOSPITAL_LEVEL_EXTENSION, valueCoding: { system: "x", code: "4" } }] },
      "extension.0.valueCoding:",
    ],
    ["negative beds", { ...hospital, extension: [{ url: HOSPITAL_BEDS_EXTENSION, valueInteger: -1 }] }, "extension.0.valueInteger:"],
    ["partOf a Location", { ...hospital, partOf: { reference: "Location/x" } }, "partOf.reference: must be a reference Organization/<id>"],
    ["an unknown element", { ...hospital, nmae: "x" }, 'Unrecognized key: "nmae"'],
    ["another resource type", { ...hospital, resourceType: "Patient" }, "resourceType:"],
    ["a bad id", { ...hospital, id: "bd 901" }, "id: must be a FHIR id"],
  ])("refuses %s, naming the field", (_label, body, issue) => {
    const result = organizationSchema.safeParse(body);
    expect(result.success).toBe(false);
    expect(issuesOf(result).join("\n")).toContain(issue);
  });
});

describe("practitioner builders", () => {
  const practitioner = practitionerResource({
    id: "bd901-p001",
    family: "单",
    given: "伟",
    gender: "male",
    license: { type: "physician", value: license },
  });
  const role = practitionerRoleResource({
    practitionerId: "bd901-p001",
    n: 1,
    hospitalId: "bd901",
    code: "doctor",
    department: "surgery",
    start: "2015-03-01",
  });

  const expert = practitionerRoleResource({
    practitionerId: "bd901-p002",
    n: 1,
    hospitalId: "bd901",
    code: "doctor",
    department: "surgery",
    expert: true,
  });

  it("builds a telemedicine expert's role: the doctor's code, then exactly telemedicine-expert", () => {
    expect(practitionerRoleSchema.safeParse(expert).success).toBe(true);
    expect(expert.code.map((c) => c.coding?.[0]?.code)).toEqual(["doctor", "telemedicine-expert"]);
  });

  it("builds a licensed practitioner and a role at a hospital, both valid", () => {
    expect(practitionerSchema.safeParse(practitioner).success).toBe(true);
    expect(practitionerRoleSchema.safeParse(role).success).toBe(true);
    expect(licensesOf(practitioner)).toEqual([{ type: "physician", value: license }]);
    expect(practitionerNameTexts(practitioner)).toEqual(["单伟", "单伟", "单"]);
    expect(role).toMatchObject({
      id: "bd901-p001-r1",
      organization: { reference: "Organization/bd901" },
      practitioner: { reference: "Practitioner/bd901-p001" },
    });
    expect(roleCodeOf(role)).toBe("doctor");
    expect(role.specialty?.[0]?.coding?.[0]).toMatchObject({ code: "surgery", display: "外科" });
  });

  it("names a role's practitioner in the role's id", () => {
    expect(roleId("p-abc", 12)).toBe("p-abc-r12");
    expect(practitionerOfRole("bd001-p007-r2")).toEqual({ practitionerId: "bd001-p007", n: 2 });
    expect(practitionerOfRole("bd001-p007")).toBeUndefined();
  });

  it("holds a role in force while active and within its period", () => {
    const now = new Date("2026-01-01T00:00:00Z");
    expect(roleInForce(role, now)).toBe(true);
    expect(roleInForce({ ...role, active: false }, now)).toBe(false);
    expect(roleInForce({ ...role, period: { start: "2015-03-01", end: "2025-12-31T23:00:00+08:00" } }, now)).toBe(false);
    expect(roleInForce({ ...role, period: { start: "2026-02-01" } }, now)).toBe(false);
  });

  it.each([
    [
      "an invalid licence number",
      { ...practitioner, identifier: [{ system: PRACTITIONER_SYSTEM, value: "130602111203454" }] },
      "identifier.0.value: licence number",
    ],
    ["a name with nothing in it", { ...practitioner, name: [{ use: "official" }] }, "name.0: a name needs"],
  ])("refuses a Practitioner with %s", (_label, body, issue) => {
    expect(issuesOf(practitionerSchema.safeParse(body)).join("\n")).toContain(issue);
  });

  it.each([
    [
      "a doctor code under the project system",
      { ...role, code: [{ coding: [{ system: "https://hebei.health/fhir/CodeSystem/practitioner-role", code: "doctor" }] }] },
      "code.0.coding.0.system: role doctor belongs to",
    ],
    [
      "an unknown role code",
      { ...role, code: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/practitioner-role", code: "teacher" }] }] },
      "code.0.coding: a role has one coding",
    ],
    ["its code twice", { ...role, code: [...role.code, ...role.code] }, "code.1.coding: the second code entry may only be"],
    ["three codes", { ...role, code: [...role.code, ...expert.code.slice(1), ...expert.code.slice(1)] }, "code: a role has one code"],
    [
      "an expert code on a nurse's role",
      {
        ...expert,
        code: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/practitioner-role", code: "nurse" }] }, expert.code[1]],
      },
      "code.1: telemedicine-expert: only a doctor's role",
    ],
    ["an expert code without a specialty", { ...expert, specialty: undefined }, "specialty: telemedicine-expert"],
    [
      "an unknown department",
      { ...role, specialty: [{ coding: [{ system: "https://hebei.health/fhir/CodeSystem/clinical-department", code: "magic" }] }] },
      "specialty.0.coding.0.code",
    ],
    ["no organization", { ...role, organization: {} }, "organization.reference: a reference Organization/<id> is required"],
    [
      "a period ending before it starts",
      { ...role, period: { start: "2020-01-01", end: "2019-01-01" } },
      "period.end: end is before start",
    ],
  ])("refuses a PractitionerRole with %s", (_label, body, issue) => {
    expect(issuesOf(practitionerRoleSchema.safeParse(body)).join("\n")).toContain(issue);
  });
});
