/**
 * The resident health card (docs/health-card.md): the identifier systems of the ID documents a card
 * is issued on, the code format, the care steps and card states, and the Parameters bodies of
 * $issue-health-card, $verify-health-card and $health-card-status.
 */
import { z } from "zod";
import { EMPI_SYSTEM, HEALTH_CARD_SYSTEM, RESIDENT_ID_SYSTEM } from "./patient.ts";

export { HEALTH_CARD_SYSTEM };

/** The refusals of a verification, as `issue[0].details.coding` names them */
export const HEALTH_CARD_OUTCOME_SYSTEM = "https://hebei.health/fhir/CodeSystem/health-card-outcome";
export const SOCIAL_SECURITY_CARD_SYSTEM = "https://hebei.health/sid/social-security-card";
export const INSURANCE_VOUCHER_SYSTEM = "https://hebei.health/sid/medical-insurance-voucher";

/**
 * Legal ID documents a card can be issued on, each with its own identifier system and value format.
 * Residence permits of Hong Kong, Macao and Taiwan residents carry 18-character GB 11643 numbers
 * (810000…, 820000…, 830000…) and are resident ID numbers.
 */
export const ID_DOCUMENTS = {
  [RESIDENT_ID_SYSTEM]: { name: "resident ID number (GB 11643)", value: /^(\d{17}[\dX]|\d{15})$/ },
  "https://hebei.health/sid/passport": {
    name: "passport: issuing country (ISO 3166-1 alpha-3), '-', passport number",
    value: /^[A-Z]{3}-[A-Z0-9]{5,17}$/,
  },
  "https://hebei.health/sid/hkmo-travel-permit": {
    name: "Mainland Travel Permit for Hong Kong and Macao Residents: H or M and 8 or 10 digits",
    value: /^[HM](\d{8}|\d{10})$/,
  },
  "https://hebei.health/sid/tw-travel-permit": {
    name: "Mainland Travel Permit for Taiwan Residents: 8 digits",
    value: /^\d{8}$/,
  },
  "https://hebei.health/sid/foreigner-permanent-residence": {
    name: "Foreigner's Permanent Residence ID Card: 3 letters and 12 digits (2004), or 18 characters starting 9 (2017, GB 11643 layout)",
    value: /^([A-Z]{3}\d{12}|9\d{16}[\dX])$/,
  },
} as const satisfies Record<string, { name: string; value: RegExp }>;
export type IdDocumentSystem = keyof typeof ID_DOCUMENTS;
export const isIdDocumentSystem = (system: string): system is IdDocumentSystem => Object.hasOwn(ID_DOCUMENTS, system);

/** Code prefix and version */
export const CODE_PREFIX = "HC1";
/** 32 characters of RFC 4648 base32 (160 bits) */
export const CARD_ID = /^[A-Z2-7]{32}$/;
export const NONCE = /^[A-Za-z0-9]{8,32}$/;
/** The card key, shown once at issue: 32 bytes as 64 lowercase hex digits */
export const CARD_KEY = /^[0-9a-f]{64}$/;
/** A dynamic code is valid this long from its time, and accepted this far ahead of the province clock */
export const CODE_LIFETIME_SECONDS = 300;
export const CODE_SKEW_SECONDS = 60;

export const CARE_STEPS = ["registration", "consultation", "examination", "pharmacy", "payment", "inpatient"] as const;
export type CareStep = (typeof CARE_STEPS)[number];
/** Steps where a static code (which anyone holding a photo of it could show) is not enough */
export const DYNAMIC_ONLY_STEPS: readonly CareStep[] = ["pharmacy", "payment", "inpatient"];

export const CARD_STATUSES = ["active", "paused", "lost", "cancelled"] as const;
export type CardStatus = (typeof CARD_STATUSES)[number];

export const VERIFY_OUTCOMES = [
  "accepted",
  "invalid",
  "card-inactive",
  "dynamic-code-required",
  "expired",
  "replayed",
  "unknown-card",
] as const;
export type VerifyOutcome = (typeof VERIFY_OUTCOMES)[number];

const parameterSchema = z.looseObject({
  name: z.string().min(1).max(64),
  valueString: z.string().max(500).optional(),
  valueCode: z.string().max(64).optional(),
  valueBoolean: z.boolean().optional(),
  valueIdentifier: z.strictObject({ system: z.string().min(1).max(200), value: z.string().min(1).max(100) }).optional(),
});

/** A FHIR Parameters, as the named values of its parameters (each name once) */
const parametersOf = <T extends z.ZodType<unknown, Record<string, unknown>>>(shape: T) =>
  z
    .object({ resourceType: z.literal("Parameters"), parameter: z.array(parameterSchema).max(20) })
    .transform((p, ctx) => {
      const values: Record<string, unknown> = {};
      for (const [i, param] of p.parameter.entries()) {
        if (Object.hasOwn(values, param.name))
          ctx.addIssue({ code: "custom", path: ["parameter", i, "name"], message: `${param.name} is given twice` });
        values[param.name] = param.valueIdentifier ?? param.valueBoolean ?? param.valueString ?? param.valueCode;
      }
      return values;
    })
    .pipe(shape);

const identifierSchema = z.strictObject({ system: z.string(), value: z.string() });
const text = (max: number) => z.string().trim().min(1).max(max);

export const issueCardSchema = parametersOf(
  z
    .strictObject({
      /** the ID document the card is issued on; it must name a resident the MPI knows (or `patient` does) */
      identifier: identifierSchema,
      /** the resident in the MPI when the document is not a resident ID number (EMPI) */
      patient: identifierSchema.optional(),
      reissue: z.boolean().optional(),
      socialSecurityCard: text(32).optional(),
      insuranceVoucher: text(64).optional(),
    })
    .superRefine((v, ctx) => {
      const doc = isIdDocumentSystem(v.identifier.system) ? ID_DOCUMENTS[v.identifier.system] : undefined;
      if (!doc)
        ctx.addIssue({
          code: "custom",
          path: ["identifier", "system"],
          message: `expected one of ${Object.keys(ID_DOCUMENTS).join(", ")}`,
        });
      else if (!doc.value.test(v.identifier.value.trim().toUpperCase()))
        ctx.addIssue({ code: "custom", path: ["identifier", "value"], message: `expected a ${doc.name}` });
      if (v.patient && v.patient.system !== EMPI_SYSTEM)
        ctx.addIssue({ code: "custom", path: ["patient", "system"], message: `expected ${EMPI_SYSTEM}` });
      if (!v.patient && v.identifier.system !== RESIDENT_ID_SYSTEM)
        ctx.addIssue({
          code: "custom",
          path: ["patient"],
          message: "a card on another document than a resident ID number names the resident's EMPI",
        });
    }),
);
export type IssueCardRequest = z.infer<typeof issueCardSchema>;

export const verifyCardSchema = parametersOf(
  z.strictObject({
    code: z.string().min(1).max(200),
    terminal: text(64),
    careStep: z.enum(CARE_STEPS),
  }),
);
export type VerifyCardRequest = z.infer<typeof verifyCardSchema>;

export const cardStatusSchema = parametersOf(
  z.strictObject({
    cardId: z.string().trim().toUpperCase().regex(CARD_ID, "a card id is 32 characters of A-Z and 2-7"),
    status: z.enum(CARD_STATUSES),
    reason: text(500),
  }),
);
export type CardStatusRequest = z.infer<typeof cardStatusSchema>;
