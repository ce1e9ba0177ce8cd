/**
 * Drugs and devices (docs/drugs-devices.md): the identifier systems of a drug's codes, a catalogue
 * entry as the seed and the daily delta carry it, and the Parameters of `Device/$parse-udi`. The
 * codes' own checks (check digits, structure) are pure domain functions (lambdas/domain/drugs/codes.ts).
 */
import { z } from "zod";

export const NATIONAL_DRUG_CODE_SYSTEM = "https://hebei.health/sid/national-drug-code";
export const INSURANCE_DRUG_CODE_SYSTEM = "https://hebei.health/sid/insurance-drug-code";
export const GTIN_SYSTEM = "https://www.gs1.org/gtin";
export const CATALOGUE_VALIDITY_EXTENSION = "https://hebei.health/fhir/StructureDefinition/catalogue-validity";
export const CATALOGUE_VERSION_EXTENSION = "https://hebei.health/fhir/StructureDefinition/catalogue-version";

const isoDate = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, "must be a date YYYY-MM-DD");

/** One drug of the catalogue (its codes are checked by the domain, not here) */
export const catalogueEntrySchema = z.object({
  nationalDrugCode: z.string().regex(/^[0-9]{14}$/, "must be 14 digits"),
  insuranceCode: z.string().regex(/^[A-Z0-9]{23}$/, "must be 23 letters or digits"),
  gtin: z
    .string()
    .regex(/^[0-9]{8,14}$/)
    .optional(),
  name: z.string().min(1).max(100),
  genericName: z.string().min(1).max(100),
  dosageForm: z.string().min(1).max(40),
  strength: z.string().min(1).max(60),
  manufacturer: z.string().min(1).max(100),
  category: z.enum(["A", "B", "C"]),
  validFrom: isoDate,
  validTo: isoDate.nullable(),
});
export type CatalogueEntry = z.infer<typeof catalogueEntrySchema>;

/** GET …/fhir/MedicationKnowledge?code=<[system|]value> */
export const medicationKnowledgeQuerySchema = z.object({ code: z.string().min(1).max(120) });

/** POST …/fhir/Device/$parse-udi: a FHIR Parameters with the printed or scanned UDI string */
export const parseUdiRequestSchema = z.object({
  resourceType: z.literal("Parameters"),
  parameter: z.array(z.object({ name: z.literal("udi"), valueString: z.string().min(1).max(200) })).length(1, "exactly one parameter: udi"),
});

/** POST <hub>/drugs/import: a daily delta, new and changed entries (the operator's command reads JSON lines or CSV) */
export const catalogueDeltaSchema = z.object({ entries: z.array(catalogueEntrySchema).min(1).max(20_000) });
export type CatalogueDelta = z.infer<typeof catalogueDeltaSchema>;

export const TRACE_CODE_EXTENSION = "https://hebei.health/fhir/StructureDefinition/trace-code";

/** POST <city>/fhir/$trace-scan: Parameters code (valueString), event (valueCode), encounter (valueReference by identifier) */
export const traceScanRequestSchema = z.object({
  resourceType: z.literal("Parameters"),
  parameter: z
    .array(
      z.object({
        name: z.enum(["code", "event", "encounter"]),
        valueString: z.string().max(40).optional(),
        valueCode: z.string().max(20).optional(),
        valueReference: z
          .object({ identifier: z.object({ system: z.string().min(1).max(200), value: z.string().min(1).max(64) }) })
          .optional(),
      }),
    )
    .min(1)
    .max(3),
});

/** What a city sends the hub for one scan (POST <hub>/internal/drugs/trace-scan, the hospital in X-HHC-Hospital) */
export const traceScanSchema = z.object({
  code: z.string().regex(/^[0-9]{20}$/, "must be 20 digits"),
  event: z.enum(["dispense", "return"]),
  encounter: z.string().min(1).max(64),
});
export type TraceScan = z.infer<typeof traceScanSchema>;

/** POST <hub>/internal/drugs/trace-check: the traceability codes of a claim's items (the hospital in X-HHC-Hospital) */
export const traceCheckSchema = z.object({
  codes: z
    .array(z.string().regex(/^[0-9]{20}$/, "must be 20 digits"))
    .min(1)
    .max(1000),
});

/**
 * Hub → insurance platform (the hub's DrugCatalogueVersions queue): one part of a catalogue version,
 * as the insurance platform keeps it: each changed drug's insurance code with its category and
 * validity, and the insurance codes the version withdrew (a drug's code moved). `inForceFrom`: the
 * China Standard Time day from which the version is in force (an import's day).
 */
export const catalogueVersionMessageV1 = z.object({
  type: z.literal("catalogue-version"),
  version: z.literal(1),
  catalogueVersion: z.number().int().positive(),
  inForceFrom: isoDate,
  part: z.number().int().nonnegative(),
  parts: z.number().int().positive(),
  entries: z.array(
    z.object({
      insuranceCode: z.string().regex(/^[A-Z0-9]{23}$/),
      nationalDrugCode: z.string().regex(/^[0-9]{14}$/),
      category: z.enum(["A", "B", "C"]),
      validFrom: isoDate,
      validTo: isoDate.nullable(),
    }),
  ),
  withdrawn: z.array(z.string().regex(/^[A-Z0-9]{23}$/)),
});
export type CatalogueVersionMessageV1 = z.infer<typeof catalogueVersionMessageV1>;
export const catalogueVersionMessageSchema = z.discriminatedUnion("type", [catalogueVersionMessageV1]);

/** One device type of the DeviceDefinition registry, keyed by its UDI-DI (GS1 GTIN-14, or HIBCC labeler + product + unit) */
export const deviceEntrySchema = z.object({
  di: z.string().min(3).max(24),
  name: z.string().min(1).max(100),
  manufacturer: z.string().min(1).max(100),
  model: z.string().min(1).max(60),
  type: z.string().min(1).max(60),
  riskClass: z.enum(["I", "II", "III"]),
  implantable: z.boolean(),
});
export type DeviceEntry = z.infer<typeof deviceEntrySchema>;

/** POST <hub>/devices/import: new and changed device types (the operator's command reads JSON lines) */
export const deviceDeltaSchema = z.object({ entries: z.array(deviceEntrySchema).min(1).max(20_000) });
export type DeviceDelta = z.infer<typeof deviceDeltaSchema>;

/** A device lot as printed (GS1 AI 10, HIBCC): 1 to 20 of GS1's characters */
export const DEVICE_LOT = /^[!"%&'*+,\-./0-9:;<=>?A-Z_a-z]{1,20}$/;
/** POST <hub>/devices/recall: the DI, the lot (absent: every lot) and why (docs/drugs-devices.md#recall) */
export const recallRequestSchema = z.strictObject({
  di: z.string().min(1).max(24),
  lot: z.string().regex(DEVICE_LOT, "a lot: 1 to 20 of GS1's characters").optional(),
  reason: z.string().trim().min(1).max(500),
});
export type RecallRequest = z.infer<typeof recallRequestSchema>;
