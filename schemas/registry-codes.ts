/**
 * Identifier systems, code systems and extensions of the health-resources registry (IHE mCSD).
 * The project's own CodeSystems and extensions are documented in docs/registry.md.
 */

export const USCC_SYSTEM = "https://hebei.health/sid/uscc";
export const PRACTITIONER_SYSTEM = "https://hebei.health/sid/practitioner";
/** GB/T 2260 administrative division code of a jurisdiction (province, city, county) */
export const DIVISION_SYSTEM = "https://hebei.health/sid/division";

export const ORGANIZATION_TYPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/organization-type";
/** IHE mCSD 4.0: https://profiles.ihe.net/ITI/mCSD/CodeSystem-IHE.mCSD.Organization.Location.Types.html */
export const MCSD_TYPE_SYSTEM = "https://profiles.ihe.net/ITI/mCSD/CodeSystem/IHE.mCSD.Organization.Location.Types";
export const LOCATION_PHYSICAL_TYPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/location-physical-type";
export const ROLE_CODE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-RoleCode";

export const HOSPITAL_LEVEL_EXTENSION = "https://hebei.health/fhir/StructureDefinition/hospital-level";
export const HOSPITAL_BEDS_EXTENSION = "https://hebei.health/fhir/StructureDefinition/hospital-beds";
export const HOSPITAL_LEVEL_SYSTEM = "https://hebei.health/fhir/CodeSystem/hospital-level";

export const HL7_PRACTITIONER_ROLE_SYSTEM = "http://terminology.hl7.org/CodeSystem/practitioner-role";
export const HHC_PRACTITIONER_ROLE_SYSTEM = "https://hebei.health/fhir/CodeSystem/practitioner-role";
export const DEPARTMENT_SYSTEM = "https://hebei.health/fhir/CodeSystem/clinical-department";
export const LICENSE_TYPE_SYSTEM = "https://hebei.health/fhir/CodeSystem/license-type";

export const HOSPITAL_LEVELS = {
  "2": "二级医院",
  "3": "三级医院",
} as const;
export type HospitalLevelCode = keyof typeof HOSPITAL_LEVELS;

/** Role codes a PractitionerRole may carry, each with the one system it belongs to. */
export const PRACTITIONER_ROLES = {
  doctor: { system: HL7_PRACTITIONER_ROLE_SYSTEM, display: "Doctor" },
  nurse: { system: HL7_PRACTITIONER_ROLE_SYSTEM, display: "Nurse" },
  pharmacist: { system: HL7_PRACTITIONER_ROLE_SYSTEM, display: "Pharmacist" },
  technician: { system: HHC_PRACTITIONER_ROLE_SYSTEM, display: "Technician (技师)" },
  admin: { system: HHC_PRACTITIONER_ROLE_SYSTEM, display: "Administrative staff (行政管理人员)" },
} as const;
export type PractitionerRoleCode = keyof typeof PRACTITIONER_ROLES;
/** The one second `code` entry a PractitionerRole may carry (system HHC_PRACTITIONER_ROLE_SYSTEM): a telemedicine expert */
export const TELEMEDICINE_EXPERT = "telemedicine-expert";
export const PRACTITIONER_ROLE_CODES = Object.keys(PRACTITIONER_ROLES) as PractitionerRoleCode[];

/** Clinical and medical-technical departments (科室) of Chinese hospitals: the project's specialty codes. */
export const DEPARTMENTS = {
  "general-practice": "全科医疗科",
  "internal-medicine": "内科",
  surgery: "外科",
  "obstetrics-gynecology": "妇产科",
  pediatrics: "儿科",
  ophthalmology: "眼科",
  otolaryngology: "耳鼻咽喉科",
  stomatology: "口腔科",
  dermatology: "皮肤科",
  psychiatry: "精神科",
  "infectious-disease": "感染性疾病科",
  oncology: "肿瘤科",
  emergency: "急诊医学科",
  rehabilitation: "康复医学科",
  anesthesiology: "麻醉科",
  "critical-care": "重症医学科",
  "laboratory-medicine": "医学检验科",
  pathology: "病理科",
  "medical-imaging": "医学影像科",
  "traditional-chinese-medicine": "中医科",
  pharmacy: "药剂科",
  nursing: "护理部",
} as const;
export type DepartmentCode = keyof typeof DEPARTMENTS;

/** Licence kinds (执业证书), each with its number format (checks/license.ts) and the roles it licenses. */
export const LICENSE_TYPES = {
  physician: { display: "医师执业证书", role: "doctor" },
  nurse: { display: "护士执业证书", role: "nurse" },
  pharmacist: { display: "执业药师注册证", role: "pharmacist" },
} as const satisfies Record<string, { display: string; role: PractitionerRoleCode }>;
export type LicenseType = keyof typeof LICENSE_TYPES;

/** The licence kind a role requires, if any (technicians and administrative staff hold none here). */
export const licenseRequiredFor = (role: PractitionerRoleCode): LicenseType | undefined =>
  (Object.keys(LICENSE_TYPES) as LicenseType[]).find((type) => LICENSE_TYPES[type].role === role);
