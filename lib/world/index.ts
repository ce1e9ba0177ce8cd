/**
 * One synthetic world for tests, benches and `npm run simulate`, drawn from the seeded PRNG of
 * lib/seed/prng.ts: residents with valid resident ID numbers, households (twins, namesakes, borrowed
 * numbers, a shared phone and address), registration slips as named classes, and what hospitals
 * produce about them: Patients, encounters, CDA documents and claims.
 */
export { type CaseMessageOptions, caseMessage, withDiagnoses } from "./case-reports.ts";
export { type ClaimItem, type ClaimOptions, claimItems, claimOf, codedDrugItem } from "./claims.ts";
export { type ConsentOptions, consentOf } from "./consents.ts";
export {
  cdaDocument,
  cdaPublishBundle,
  DISCHARGE_SUMMARY,
  DOCUMENT_TYPES,
  type DocOptions,
  type DocumentType,
  documentReference,
  type Id,
  type Publisher,
  publishBundle,
  randomDocument,
  sha1Base64,
  WST500_SYSTEM,
} from "./documents.ts";
export { chance, intensity, poisson, sampler, type Weighted } from "./draw.ts";
export { encounterOf, withImplants } from "./encounters.ts";
export {
  DAUGHTER_ID,
  daughter,
  FATHER_ID,
  father,
  HOME,
  type Household,
  Households,
  namesake,
  reviewed,
  reviewedElsewhere,
  SON_ID,
  son,
  twinNamesDiffer,
} from "./households.ts";
export { patientOf } from "./patients.ts";
export { generatePopulation, type Population } from "./population.ts";
export { type Home, People, type Registration, type Resident, residentAt, type Sex } from "./residents.ts";
export { HOMOPHONES, impossibleDate, RATES, Registrar, type SlipClass, Tag, tagNames, wrongCheckChar } from "./slips.ts";
