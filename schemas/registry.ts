/**
 * Inbound registry resources (IHE mCSD, FHIR R4 JSON): Organization, Location, Practitioner and
 * PractitionerRole. Strict objects, so an unknown or misspelled element is refused by name; the
 * project's rules (valid credit codes and licence numbers, known role and department codes, the
 * hospital extensions) are checked here too, each issue carrying the path of the offending field.
 * Whether a hospital's city is one of the province's is data, checked by the registry, not here.
 */
import { z } from "zod";
import { licenseProblems } from "./checks/license.ts";
import { usccProblems } from "./checks/uscc.ts";
import { FHIR_ID } from "./fhir.ts";
import {
  DEPARTMENT_SYSTEM,
  DEPARTMENTS,
  HHC_PRACTITIONER_ROLE_SYSTEM,
  HOSPITAL_BEDS_EXTENSION,
  HOSPITAL_LEVEL_EXTENSION,
  HOSPITAL_LEVEL_SYSTEM,
  HOSPITAL_LEVELS,
  ORGANIZATION_TYPE_SYSTEM,
  PRACTITIONER_ROLES,
  PRACTITIONER_SYSTEM,
  TELEMEDICINE_EXPERT,
  USCC_SYSTEM,
} from "./registry-codes.ts";

const DATE_TIME =
  /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d(:([0-5]\d|60)(\.\d{1,9})?)?(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00)))?)?)?$/;

const fhirString = z.string().trim().min(1, "must not be empty").max(1024);
const uri = z.string().min(1).max(1024).regex(/^\S+$/, "must be a URI without spaces");
const dateTime = z.string().regex(DATE_TIME, "must be a FHIR date or dateTime (e.g. 2026-11-26 or 2026-11-26T08:00:00+08:00)");

export const codingSchema = z.strictObject({
  system: uri.optional(),
  version: fhirString.optional(),
  code: fhirString.optional(),
  display: fhirString.optional(),
  userSelected: z.boolean().optional(),
});
export const codeableConceptSchema = z.strictObject({ coding: z.array(codingSchema).optional(), text: fhirString.optional() });
export const periodSchema = z
  .strictObject({ start: dateTime.optional(), end: dateTime.optional() })
  .refine((p) => !p.start || !p.end || p.start.slice(0, 10) <= p.end.slice(0, 10), { message: "end is before start", path: ["end"] });
export const referenceSchema = z.strictObject({
  reference: fhirString.optional(),
  type: uri.optional(),
  display: fhirString.optional(),
});
export const identifierSchema = z.strictObject({
  use: z.enum(["usual", "official", "temp", "secondary", "old"]).optional(),
  type: codeableConceptSchema.optional(),
  system: uri.optional(),
  value: fhirString.optional(),
  period: periodSchema.optional(),
  assigner: referenceSchema.optional(),
});
export const humanNameSchema = z.strictObject({
  use: z.enum(["usual", "official", "temp", "nickname", "anonymous", "old", "maiden"]).optional(),
  text: fhirString.optional(),
  family: fhirString.optional(),
  given: z.array(fhirString).optional(),
  prefix: z.array(fhirString).optional(),
  suffix: z.array(fhirString).optional(),
  period: periodSchema.optional(),
});
export const addressSchema = z.strictObject({
  use: z.enum(["home", "work", "temp", "old", "billing"]).optional(),
  type: z.enum(["postal", "physical", "both"]).optional(),
  text: fhirString.optional(),
  line: z.array(fhirString).optional(),
  city: fhirString.optional(),
  district: fhirString.optional(),
  state: fhirString.optional(),
  postalCode: z
    .string()
    .regex(/^\d{6}$/, "must be a 6-digit postal code")
    .optional(),
  country: fhirString.optional(),
  period: periodSchema.optional(),
});
export const contactPointSchema = z.strictObject({
  system: z.enum(["phone", "fax", "email", "pager", "url", "sms", "other"]).optional(),
  value: fhirString.optional(),
  use: z.enum(["home", "work", "temp", "old", "mobile"]).optional(),
  rank: z.number().int().positive().optional(),
  period: periodSchema.optional(),
});
export const extensionSchema = z.strictObject({
  url: uri,
  valueString: fhirString.optional(),
  valueInteger: z.number().int().optional(),
  valueBoolean: z.boolean().optional(),
  valueCode: fhirString.optional(),
  valueCoding: codingSchema.optional(),
  valueCodeableConcept: codeableConceptSchema.optional(),
  valueReference: referenceSchema.optional(),
});
const metaSchema = z.strictObject({
  versionId: fhirString.optional(),
  lastUpdated: dateTime.optional(),
  source: uri.optional(),
  profile: z.array(uri).optional(),
  tag: z.array(codingSchema).optional(),
});
const narrativeSchema = z.strictObject({ status: z.enum(["generated", "extensions", "additional", "empty"]), div: z.string().min(1) });

const resourceBase = {
  id: z.string().regex(FHIR_ID, "must be a FHIR id: 1-64 of A-Z a-z 0-9 - .").optional(),
  meta: metaSchema.optional(),
  text: narrativeSchema.optional(),
  extension: z.array(extensionSchema).optional(),
};

type Ctx = z.RefinementCtx;
const issue = (ctx: Ctx, path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });

/** `Type/id` with a FHIR id: the only reference form the registry stores. */
function checkReference(
  ctx: Ctx,
  ref: { reference?: string } | undefined,
  path: (string | number)[],
  type: string,
  required: boolean,
): void {
  if (!ref?.reference) {
    if (required) issue(ctx, [...path, "reference"], `a reference ${type}/<id> is required`);
    return;
  }
  const [t, id, ...rest] = ref.reference.split("/");
  if (t !== type || !id || rest.length > 0 || !FHIR_ID.test(id))
    issue(ctx, [...path, "reference"], `must be a reference ${type}/<id>, not '${ref.reference}'`);
}

function checkIdentifiers(
  ctx: Ctx,
  identifiers: z.infer<typeof identifierSchema>[] | undefined,
  system: string,
  problems: (value: string) => string[],
): void {
  for (const [i, identifier] of (identifiers ?? []).entries()) {
    if (identifier.system !== system) continue;
    if (!identifier.value) issue(ctx, ["identifier", i, "value"], `an identifier under ${system} needs a value`);
    else for (const problem of problems(identifier.value)) issue(ctx, ["identifier", i, "value"], problem);
  }
}

export const organizationSchema = z
  .strictObject({
    resourceType: z.literal("Organization"),
    ...resourceBase,
    identifier: z.array(identifierSchema).optional(),
    active: z.boolean().optional(),
    type: z.array(codeableConceptSchema).optional(),
    name: fhirString,
    alias: z.array(fhirString).optional(),
    telecom: z.array(contactPointSchema).optional(),
    address: z.array(addressSchema).optional(),
    partOf: referenceSchema.optional(),
  })
  .superRefine((org, ctx) => {
    checkIdentifiers(ctx, org.identifier, USCC_SYSTEM, (value) =>
      usccProblems(value).map((p) => `not a valid unified social credit code: ${p}`),
    );
    const usccs = (org.identifier ?? []).filter((i) => i.system === USCC_SYSTEM);
    if (usccs.length > 1) issue(ctx, ["identifier"], "an organization has one unified social credit code");
    checkReference(ctx, org.partOf, ["partOf"], "Organization", false);
    if (org.id && org.partOf?.reference === `Organization/${org.id}`)
      issue(ctx, ["partOf", "reference"], "an organization cannot be part of itself");
    (org.extension ?? []).forEach((ext, i) => {
      if (ext.url === HOSPITAL_LEVEL_EXTENSION) {
        const coding = ext.valueCoding;
        if (coding?.system !== HOSPITAL_LEVEL_SYSTEM || !coding.code || !(coding.code in HOSPITAL_LEVELS))
          issue(ctx, ["extension", i, "valueCoding"], `hospital-level takes a valueCoding from ${HOSPITAL_LEVEL_SYSTEM}: 2 or 3`);
      } else if (ext.url === HOSPITAL_BEDS_EXTENSION) {
        if (ext.valueInteger === undefined || ext.valueInteger < 0 || ext.valueInteger > 20000)
          issue(ctx, ["extension", i, "valueInteger"], "hospital-beds takes a valueInteger from 0 to 20000");
      }
    });
    const isHospital = (org.type ?? []).some((t) => t.coding?.some((c) => c.system === ORGANIZATION_TYPE_SYSTEM && c.code === "prov"));
    if (isHospital) {
      if (usccs.length === 0)
        issue(ctx, ["identifier"], `a hospital (type prov) needs its unified social credit code under ${USCC_SYSTEM}`);
      // which cities exist is the province's data, not the contract's: the registry checks the name is one (cityOfOrganization)
      if (!org.address?.[0]?.city) issue(ctx, ["address", 0, "city"], "a hospital's first address names its city");
    }
  });
export type OrganizationInput = z.infer<typeof organizationSchema>;

export const locationSchema = z
  .strictObject({
    resourceType: z.literal("Location"),
    ...resourceBase,
    identifier: z.array(identifierSchema).optional(),
    status: z.enum(["active", "suspended", "inactive"]).optional(),
    name: fhirString,
    alias: z.array(fhirString).optional(),
    description: fhirString.optional(),
    mode: z.enum(["instance", "kind"]).optional(),
    type: z.array(codeableConceptSchema).optional(),
    telecom: z.array(contactPointSchema).optional(),
    address: addressSchema.optional(),
    physicalType: codeableConceptSchema.optional(),
    position: z
      .strictObject({ longitude: z.number().min(-180).max(180), latitude: z.number().min(-90).max(90), altitude: z.number().optional() })
      .optional(),
    managingOrganization: referenceSchema.optional(),
    partOf: referenceSchema.optional(),
  })
  .superRefine((loc, ctx) => {
    checkReference(ctx, loc.managingOrganization, ["managingOrganization"], "Organization", false);
    checkReference(ctx, loc.partOf, ["partOf"], "Location", false);
  });
export type LocationInput = z.infer<typeof locationSchema>;

export const practitionerSchema = z
  .strictObject({
    resourceType: z.literal("Practitioner"),
    ...resourceBase,
    identifier: z.array(identifierSchema).optional(),
    active: z.boolean().optional(),
    name: z.array(humanNameSchema).min(1, "a practitioner needs a name"),
    telecom: z.array(contactPointSchema).optional(),
    address: z.array(addressSchema).optional(),
    gender: z.enum(["male", "female", "other", "unknown"]).optional(),
    birthDate: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD")
      .optional(),
    qualification: z
      .array(
        z.strictObject({
          identifier: z.array(identifierSchema).optional(),
          code: codeableConceptSchema,
          period: periodSchema.optional(),
          issuer: referenceSchema.optional(),
        }),
      )
      .optional(),
  })
  .superRefine((p, ctx) => {
    checkIdentifiers(ctx, p.identifier, PRACTITIONER_SYSTEM, licenseProblems);
    p.name.forEach((n, i) => {
      if (!n.text && !n.family && !n.given?.length) issue(ctx, ["name", i], "a name needs text, family or given");
    });
    (p.qualification ?? []).forEach((q, i) => {
      (q.identifier ?? []).forEach((identifier, j) => {
        if (identifier.system === PRACTITIONER_SYSTEM && identifier.value)
          for (const problem of licenseProblems(identifier.value)) issue(ctx, ["qualification", i, "identifier", j, "value"], problem);
      });
    });
  });
export type PractitionerInput = z.infer<typeof practitionerSchema>;

export const practitionerRoleSchema = z
  .strictObject({
    resourceType: z.literal("PractitionerRole"),
    ...resourceBase,
    identifier: z.array(identifierSchema).optional(),
    active: z.boolean().optional(),
    period: periodSchema.optional(),
    practitioner: referenceSchema,
    organization: referenceSchema,
    // the role's code, and for a doctor who serves telemedicine the second entry telemedicine-expert (docs/telemedicine.md)
    code: z
      .array(codeableConceptSchema)
      .min(1, "a role has one code")
      .max(2, "a role has one code (and at most the second entry telemedicine-expert)"),
    specialty: z.array(codeableConceptSchema).optional(),
    location: z.array(referenceSchema).optional(),
    telecom: z.array(contactPointSchema).optional(),
  })
  .superRefine((role, ctx) => {
    checkReference(ctx, role.practitioner, ["practitioner"], "Practitioner", true);
    checkReference(ctx, role.organization, ["organization"], "Organization", true);
    for (const [i, l] of (role.location ?? []).entries()) checkReference(ctx, l, ["location", i], "Location", true);
    const codings = role.code[0]?.coding ?? [];
    const known = codings.filter((c) => c.code && c.code in PRACTITIONER_ROLES);
    if (codings.length !== 1 || known.length !== 1) {
      issue(
        ctx,
        ["code", 0, "coding"],
        `a role has one coding: ${Object.entries(PRACTITIONER_ROLES)
          .map(([code, r]) => `${r.system}|${code}`)
          .join(", ")}`,
      );
    } else {
      const { code, system } = known[0]!;
      const expected = PRACTITIONER_ROLES[code as keyof typeof PRACTITIONER_ROLES].system;
      if (system !== expected) issue(ctx, ["code", 0, "coding", 0, "system"], `role ${code} belongs to ${expected}`);
    }
    if (role.code.length === 2) {
      const expert = role.code[1]?.coding ?? [];
      if (expert.length !== 1 || expert[0]?.system !== HHC_PRACTITIONER_ROLE_SYSTEM || expert[0]?.code !== TELEMEDICINE_EXPERT)
        issue(ctx, ["code", 1, "coding"], `the second code entry may only be ${HHC_PRACTITIONER_ROLE_SYSTEM}|${TELEMEDICINE_EXPERT}`);
      else if (known[0]?.code !== "doctor")
        issue(ctx, ["code", 1], `${TELEMEDICINE_EXPERT}: only a doctor's role is a telemedicine expert`);
      else if (!(role.specialty ?? []).some((s) => s.coding?.some((c) => c.system === DEPARTMENT_SYSTEM)))
        issue(ctx, ["specialty"], `${TELEMEDICINE_EXPERT}: an expert's role names its specialty (${DEPARTMENT_SYSTEM})`);
    }
    for (const [i, specialty] of (role.specialty ?? []).entries())
      for (const [j, c] of (specialty.coding ?? []).entries())
        if (c.system === DEPARTMENT_SYSTEM && !(c.code && c.code in DEPARTMENTS))
          issue(ctx, ["specialty", i, "coding", j, "code"], `unknown department code '${c.code}' of ${DEPARTMENT_SYSTEM}`);
  });
export type PractitionerRoleInput = z.infer<typeof practitionerRoleSchema>;

export type RegistryResourceInput = OrganizationInput | LocationInput | PractitionerInput | PractitionerRoleInput;
