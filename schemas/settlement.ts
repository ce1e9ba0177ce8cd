/**
 * One-Line Connect (docs/settlement.md): the FHIR R4 Claim a hospital submits, and the versioned
 * messages of the settlement flow. Amounts travel as integer fen.
 */
import { z } from "zod";
import { cityIdSchema } from "./city.ts";
import { INSURANCE_DRUG_CODE_SYSTEM, TRACE_CODE_EXTENSION } from "./drugs.ts";

const isoTime = z.iso.datetime({ offset: true });
const fhirDate = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, "must be a FHIR date YYYY-MM-DD");
const fhirDateTime = z
  .string()
  .regex(
    /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/,
    "must be a FHIR date or dateTime",
  );

export const CLAIM_SYSTEM_PREFIX = "https://hebei.health/sid/claim/";
export const claimSystem = (hospitalId: string): string => `${CLAIM_SYSTEM_PREFIX}${hospitalId}`;
export const INSURANCE_CATEGORY_EXTENSION = "https://hebei.health/fhir/StructureDefinition/insurance-category";
export const CLAIM_TYPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/claim-type";
export const ADJUDICATION_SYSTEM = "http://terminology.hl7.org/CodeSystem/adjudication";
export const CLAIM_ERROR_SYSTEM = "https://hebei.health/fhir/CodeSystem/claim-error";
export const POLICY_VERSION_EXTENSION = "https://hebei.health/fhir/StructureDefinition/insurance-policy-version";

const coding = z.object({ system: z.string().optional(), code: z.string().min(1), display: z.string().optional() });
const codeable = z.object({ coding: z.array(coding).min(1), text: z.string().optional() });
const identifier = z.object({ system: z.string().min(1), value: z.string().min(1).max(64) });
const reference = z.object({ reference: z.string().optional(), identifier: identifier.optional(), display: z.string().optional() });

/** The insurance drug code an item is coded with (productOrService.coding), if any */
export const itemInsuranceCode = (item: { productOrService: { coding: { system?: string | undefined; code: string }[] } }) =>
  item.productOrService.coding.find((c) => c.system === INSURANCE_DRUG_CODE_SYSTEM)?.code;

export const claimItemSchema = z
  .object({
    sequence: z.number().int().positive(),
    productOrService: codeable,
    /** CNY, at most two decimals: read exactly from the JSON text (the float here is never used) */
    net: z.object({ value: z.number(), currency: z.literal("CNY") }),
    extension: z
      .array(z.object({ url: z.string(), valueCode: z.string().optional(), valueString: z.string().max(40).optional() }))
      .default([]),
  })
  .superRefine((item, ctx) => {
    const categories = item.extension.filter((e) => e.url === INSURANCE_CATEGORY_EXTENSION && e.valueCode).length;
    // an item coded with the insurance drug code takes its category from the catalogue (docs/drugs-devices.md)
    if (categories > 1 || (categories === 0 && itemInsuranceCode(item) === undefined))
      ctx.addIssue({
        code: "custom",
        path: ["extension"],
        message: `exactly one ${INSURANCE_CATEGORY_EXTENSION} extension with a valueCode (A, B or C) is required, unless productOrService is coded under ${INSURANCE_DRUG_CODE_SYSTEM}`,
      });
    if (item.extension.filter((e) => e.url === TRACE_CODE_EXTENSION).length > 1)
      ctx.addIssue({ code: "custom", path: ["extension"], message: `at most one ${TRACE_CODE_EXTENSION} extension` });
  });

/** A FHIR R4 Claim with every element R4 requires, as a hospital submits it */
export const claimSchema = z.object({
  resourceType: z.literal("Claim"),
  identifier: z.array(identifier).min(1),
  status: z.enum(["active", "cancelled"]),
  type: z.object({
    coding: z
      .array(coding)
      .min(1)
      .refine((c) => c.some((x) => x.system === CLAIM_TYPE_SYSTEM && (x.code === "institutional" || x.code === "professional")), {
        message: `must carry ${CLAIM_TYPE_SYSTEM} institutional (inpatient) or professional (outpatient)`,
      }),
  }),
  use: z.literal("claim"),
  patient: z.object({ identifier, reference: z.string().optional(), display: z.string().optional() }),
  billablePeriod: z.object({ start: fhirDateTime, end: fhirDateTime.optional() }),
  created: fhirDateTime,
  provider: z.object({ reference: z.string().min(1) }),
  priority: codeable,
  insurance: z.array(z.object({ sequence: z.number().int().positive(), focal: z.boolean(), coverage: reference })).min(1),
  item: z.array(claimItemSchema).min(1).max(1000),
  total: z.object({ value: z.number(), currency: z.literal("CNY") }).optional(),
});
export type Claim = z.infer<typeof claimSchema>;

const claimRef = {
  hospitalId: z.string().min(1),
  claimNumber: z.string().min(1),
  action: z.enum(["submit", "cancel"]),
};

/** City → hub Settlement FIFO → insurance platform: a claim (or its cancellation) to adjudicate. */
export const claimMessageV1 = z.object({
  type: z.literal("claim"),
  version: z.literal(1),
  ...claimRef,
  /** The hospital's city, its admin code and the hospital's level, from the hub registry */
  cityId: cityIdSchema,
  hospitalCityCode: z.string().regex(/^\d{4}$/),
  hospitalLevel: z.enum(["1", "2", "3"]),
  /** The insured resident: the FIFO message group */
  empi: z.string().min(1),
  residentId: z.string().length(18),
  kind: z.enum(["institutional", "professional"]),
  /** billablePeriod.start as a China Standard Time day: decides the year and the policy */
  serviceDate: fhirDate,
  items: z.array(
    z.object({
      sequence: z.number().int().positive(),
      /** What the hospital typed; absent (or overridden) when the item is coded with an insurance drug code */
      category: z.string().min(1).optional(),
      /** The insurance drug code: the category is the catalogue's, in force on serviceDate */
      insuranceCode: z.string().optional(),
      /** The item's traceability code, and whether the hub's registry showed it dispensed twice (docs/drugs-devices.md) */
      traceCode: z.string().optional(),
      traceReused: z.boolean().optional(),
      netFen: z.number().int().nonnegative(),
    }),
  ),
  submittedAt: isoTime,
});
export type ClaimMessageV1 = z.infer<typeof claimMessageV1>;
export const settlementMessageSchema = z.discriminatedUnion("type", [claimMessageV1]);

const amounts = z.object({
  submittedFen: z.number().int(),
  eligibleFen: z.number().int(),
  deductibleFen: z.number().int(),
  benefitFen: z.number().int(),
});

/** Insurance platform → hub SettlementResults: the adjudication of one claim and action. */
export const claimAdjudicatedMessageV1 = z.object({
  type: z.literal("claim-adjudicated"),
  version: z.literal(1),
  ...claimRef,
  cityId: cityIdSchema,
  empi: z.string().min(1),
  kind: z.enum(["institutional", "professional"]),
  outcome: z.enum(["complete", "error"]),
  reasons: z.array(z.object({ code: z.string(), detail: z.string() })),
  amounts,
  policyVersion: z.string(),
  /** When the platform settled it: the reconciliation day (China Standard Time) */
  settledAt: isoTime,
});
export type ClaimAdjudicatedMessageV1 = z.infer<typeof claimAdjudicatedMessageV1>;
export const settlementResultSchema = z.discriminatedUnion("type", [claimAdjudicatedMessageV1]);
