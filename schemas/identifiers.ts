/**
 * The identifier systems of the master patient index and the `<system>|<value>` token, without the
 * Patient's schemas (schemas/patient.ts): what every reader of records needs, light enough for each
 * function's bundle.
 */
export const RESIDENT_ID_SYSTEM = "https://hebei.health/sid/resident-id";
export const HEALTH_CARD_SYSTEM = "https://hebei.health/sid/health-card";
export const EMPI_SYSTEM = "https://hebei.health/sid/empi";
export const MRN_SYSTEM_PREFIX = "https://hebei.health/sid/mrn/";
export const mrnSystem = (hospitalId: string): string => `${MRN_SYSTEM_PREFIX}${hospitalId}`;

/** meta.tag of a Patient whose resident awaits a steward's review */
export const MATCH_TAG_SYSTEM = "https://hebei.health/fhir/CodeSystem/match";
/** meta.tag codes saying what matching noticed (resident-id-bad-check, birthdate-swap, …) */
export const MATCH_FLAG_SYSTEM = "https://hebei.health/fhir/CodeSystem/match-flag";
/** HumanName representation (ISO 21090): IDE ideographic (characters), SYL syllabic / ABC alphabetic (pinyin) */
export const NAME_REPRESENTATION_URL = "http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation";

const HOSPITAL_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The hospital of an MRN system, or undefined when the system is not one */
export function mrnHospital(system: string): string | undefined {
  if (!system.startsWith(MRN_SYSTEM_PREFIX)) return undefined;
  const hospitalId = system.slice(MRN_SYSTEM_PREFIX.length);
  return HOSPITAL_ID.test(hospitalId) ? hospitalId : undefined;
}

/** Whether the index knows this identifier system (PIXm answers 403 for a target system it does not) */
export const isKnownSystem = (system: string): boolean =>
  system === RESIDENT_ID_SYSTEM || system === HEALTH_CARD_SYSTEM || system === EMPI_SYSTEM || mrnHospital(system) !== undefined;

/** `<system>|<value>` as PIXm and PDQm take it */
export function parseToken(token: string): { system: string; value: string } | undefined {
  const bar = token.indexOf("|");
  if (bar <= 0 || bar === token.length - 1) return undefined;
  return { system: token.slice(0, bar), value: token.slice(bar + 1) };
}
