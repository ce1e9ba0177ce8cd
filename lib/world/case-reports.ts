/**
 * What a hospital's system sends for public health (docs/public-health.md): an encounter's diagnoses
 * (contained Conditions with ICD-10 codes) and service type, and the case-report messages (case-report,
 * update, void) posted to `$process-message`.
 */
import { MESSAGE_EVENT_SYSTEM, memberEndpoint } from "#schemas/department-members.ts";
import { ENCOUNTER_SERVICE_SYSTEM, ICD10_SYSTEM, type ServiceType } from "#schemas/public-health.ts";

type Identifier = { system: string; value: string };

/** Adds diagnoses (ICD-10 codes, diagnosed at `recordedDate`) and a service type to an Encounter */
export function withDiagnoses<E extends Record<string, unknown>>(
  encounter: E,
  diagnoses: readonly { code: string; recordedDate: string }[],
  serviceType?: ServiceType,
) {
  const contained = diagnoses.map((d, i) => ({
    resourceType: "Condition",
    id: `dx${i + 1}`,
    code: { coding: [{ system: ICD10_SYSTEM, code: d.code }] },
    recordedDate: d.recordedDate,
  }));
  return {
    ...encounter,
    contained,
    diagnosis: contained.map((c, i) => ({ condition: { reference: `#${c.id}` }, rank: i + 1 })),
    ...(serviceType ? { serviceType: { coding: [{ system: ENCOUNTER_SERVICE_SYSTEM, code: serviceType }] } } : {}),
  };
}

export interface CaseMessageOptions {
  hospitalId: string;
  messageId: string;
  event?: "case-report" | "update" | "void";
  /** update and void: the report they amend */
  reportId?: string;
  patient?: Identifier;
  encounter?: Identifier;
  code?: string;
  recordedDate?: string;
  practitionerId?: string;
}

/** A message Bundle for POST <city>/fhir/$process-message */
export function caseMessage(o: CaseMessageOptions) {
  const event = o.event ?? "case-report";
  const header = {
    resourceType: "MessageHeader",
    id: o.messageId,
    eventCoding: { system: MESSAGE_EVENT_SYSTEM, code: event },
    source: { endpoint: memberEndpoint(o.hospitalId) },
    ...(o.practitionerId ? { author: { reference: `Practitioner/${o.practitionerId}` } } : {}),
    ...(o.reportId ? { focus: [{ reference: `Condition/${o.reportId}` }] } : {}),
  };
  const condition =
    event === "void"
      ? []
      : [
          {
            resource: {
              resourceType: "Condition",
              id: "case",
              code: { coding: [{ system: ICD10_SYSTEM, code: o.code ?? "A00" }] },
              subject: { identifier: o.patient },
              ...(o.encounter ? { encounter: { identifier: o.encounter } } : {}),
              recordedDate: o.recordedDate,
            },
          },
        ];
  return { resourceType: "Bundle" as const, id: o.messageId, type: "message" as const, entry: [{ resource: header }, ...condition] };
}
