/**
 * The department exchange's members and service catalogue, as data (issue 16): who offers which
 * service, to whom, its share class, fields and legal basis. A service's id is the message event it
 * carries (MessageHeader.eventCoding.code). Unconditional services flow to their consumers;
 * a conditional one also to (or from) a member the operator granted access to; `update` and `void`
 * travel under the service of the message they amend.
 */
import { HEALTH_CLOUD_MEMBER, type MemberId } from "#schemas/department-members.ts";
import type { DepartmentService } from "#schemas/departments.ts";

export const MEMBERS: readonly { id: MemberId; name: string; nameZh: string }[] = [
  { id: "public-security", name: "Department of Public Security (household registration)", nameZh: "省公安厅" },
  { id: "civil-affairs", name: "Department of Civil Affairs (death and funeral registration)", nameZh: "省民政厅" },
  { id: "health-commission", name: "Health Commission (maternal and child health, family planning)", nameZh: "省卫生健康委员会" },
  { id: "disease-control", name: "Bureau of Disease Control and Prevention", nameZh: "省疾病预防控制局" },
  { id: "medical-insurance", name: "Healthcare Security Administration (medical insurance)", nameZh: "省医疗保障局" },
  { id: "statistics", name: "Bureau of Statistics", nameZh: "省统计局" },
];

export const SERVICES: readonly DepartmentService[] = [
  {
    id: "death-notification",
    name: "Death notification (medical certificate of death)",
    provider: HEALTH_CLOUD_MEMBER,
    consumers: ["public-security", "civil-affairs"],
    shareClass: "unconditional",
    fields: ["Patient.identifier (resident ID)", "Patient.name", "Patient.deceasedDateTime", "DocumentReference (LOINC 64297-5)"],
    legalBasis: "Notice on the medical certificate of death (国卫规划发〔2013〕57号); Household Registration Regulation art. 8",
  },
  {
    id: "birth-notification",
    name: "Birth notification (medical certificate of birth)",
    provider: HEALTH_CLOUD_MEMBER,
    consumers: ["public-security", "health-commission"],
    shareClass: "unconditional",
    fields: [
      "Patient (newborn: EMPI, birthDate, gender, multipleBirthInteger)",
      "mother's resident ID",
      "DocumentReference (LOINC 71230-7)",
    ],
    legalBasis: "Maternal and Infant Health Care Law art. 23; Household Registration Regulation art. 7",
  },
  {
    id: "household-death",
    name: "Death registered in the household register",
    provider: "public-security",
    consumers: [HEALTH_CLOUD_MEMBER],
    shareClass: "conditional",
    fields: ["Patient.identifier (resident ID)", "Patient.deceasedDateTime"],
    legalBasis: "Household Registration Regulation art. 8; Regulation on government data sharing (2025) art. 14",
  },
  {
    id: "household-registration",
    name: "Newborn's household registration and resident ID number",
    provider: "public-security",
    consumers: [HEALTH_CLOUD_MEMBER],
    shareClass: "unconditional",
    fields: ["Patient.identifier (EMPI)", "Patient.identifier (resident ID)"],
    legalBasis: "Household Registration Regulation art. 7; Resident Identity Card Law art. 3",
  },
  {
    id: "case-report",
    name: "Notifiable disease case report",
    provider: HEALTH_CLOUD_MEMBER,
    consumers: ["disease-control"],
    shareClass: "unconditional",
    fields: ["Patient", "Condition", "Encounter"],
    legalBasis: "Law on the Prevention and Control of Infectious Diseases art. 30",
  },
  {
    id: "monthly-report",
    name: "Monthly health statistics report",
    provider: HEALTH_CLOUD_MEMBER,
    consumers: ["health-commission", "statistics"],
    shareClass: "unconditional",
    fields: ["MeasureReport (aggregates only)"],
    legalBasis: "Statistics Law art. 7",
  },
  {
    id: "resident-deaths",
    name: "Deaths of insured residents (to stop benefits)",
    provider: HEALTH_CLOUD_MEMBER,
    consumers: [],
    shareClass: "conditional",
    fields: ["Patient.identifier (resident ID)", "Patient.deceasedDateTime"],
    legalBasis: "Social Insurance Law art. 81; requires a purpose and the operator's grant",
  },
];

export const serviceById = (id: string): DepartmentService | undefined => SERVICES.find((s) => s.id === id);

/**
 * The members allowed to take part in a service besides the health cloud: its provider and consumers,
 * and, for a conditional service, the members holding a grant for it. A not-shared service: nobody else.
 */
export function allowedMembers(service: DepartmentService, granted: readonly string[]): string[] {
  if (service.shareClass === "not-shared") return [];
  const named = [service.provider, ...service.consumers].filter((m) => m !== HEALTH_CLOUD_MEMBER);
  const extra = service.shareClass === "conditional" ? granted : [];
  return [...new Set([...named, ...extra])].sort();
}
