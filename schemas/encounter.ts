/**
 * POST /fhir/Encounter (docs/exchange.md): the Encounter a hospital records, with its diagnoses
 * (public health: schemas/encounter-diagnosis.ts) and implanted devices (schemas/encounter-implants.ts).
 * Apart from schemas/documents.ts so that the documents' read paths, which never parse an Encounter,
 * do not carry it (test/infra/bundle-size.test.ts).
 */
import { z } from "zod";
import { codingSchema, conceptSchema, fhirDateTime, identifierSchema, referenceSchema } from "./documents.ts";
import { conditionSchema, encounterDiagnosisFields } from "./encounter-diagnosis.ts";
import { encounterExtensionSchema, implantedDeviceSchema, MAX_IMPLANTS } from "./encounter-implants.ts";

export const encounterSchema = z
  .object({
    resourceType: z.literal("Encounter"),
    identifier: z.array(identifierSchema).min(1),
    status: z.enum(["planned", "arrived", "triaged", "in-progress", "onleave", "finished", "cancelled", "entered-in-error"]),
    class: codingSchema,
    type: z.array(conceptSchema).optional(),
    subject: z.object({ identifier: identifierSchema }),
    period: z.object({ start: fhirDateTime.optional(), end: fhirDateTime.optional() }).optional(),
    participant: z.array(z.object({ type: z.array(conceptSchema).optional(), individual: referenceSchema.optional() })).optional(),
    /** the recording hospital, when given: Organization/<hospitalId> */
    serviceProvider: referenceSchema.optional(),
    reasonCode: z.array(conceptSchema).optional(),
    /** Public health (docs/public-health.md): contained Conditions, the diagnoses referencing them, the service type */
    ...encounterDiagnosisFields,
    /** ... and implanted devices (docs/drugs-devices.md#implants): contained Devices, referenced by the implanted-device extension */
    contained: z
      .array(z.discriminatedUnion("resourceType", [conditionSchema, implantedDeviceSchema]))
      .max(20 + MAX_IMPLANTS)
      .optional(),
    extension: encounterExtensionSchema,
  })
  .superRefine((encounter, ctx) => {
    const conditions = new Set((encounter.contained ?? []).flatMap((c) => (c.resourceType === "Condition" ? [c.id] : [])));
    for (const [i, d] of (encounter.diagnosis ?? []).entries())
      if (!conditions.has(d.condition.reference.slice(1)))
        ctx.addIssue({ code: "custom", path: ["diagnosis", i, "condition", "reference"], message: "names no contained Condition" });
  });
export type EncounterInput = z.infer<typeof encounterSchema>;
