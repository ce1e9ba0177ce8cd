/**
 * AuditEvents shaped after IHE Basic Audit Log Patterns (BALP): who (the hospital's FEP as the
 * client, the practitioner as the user), what (the patient(s), the resource or the query), when,
 * where (the node) and how it ended. Pure.
 */
import { randomUUID } from "node:crypto";
import type { AuditIndex } from "#schemas/audit.ts";
import { PURPOSE_OF_USE_SYSTEM } from "#schemas/privacy.ts";
import type { PrivacyDecision } from "./consent/policy.ts";

export type AuditAction = "C" | "R" | "U" | "D" | "E";
export type RestInteraction = "create" | "read" | "vread" | "update" | "delete" | "search" | "search-type" | "operation";
export type AuditResult = "success" | "refused" | "failed";

export interface Identifier {
  system: string;
  value: string;
}

export interface AccessDescription {
  action: AuditAction;
  interaction: RestInteraction;
  /** "hub" or the city id */
  node: string;
  hospitalId?: string;
  /** The practitioner the request named (also when it was refused) */
  practitionerId?: string;
  /** "operator" for the provincial operator / auditor */
  operator?: boolean;
  /** A provincial department of the exchange (docs/departments.md), by its member id */
  memberId?: string;
  patients: Identifier[];
  /** e.g. "Patient/123" or "DocumentReference/abc" */
  resource?: string;
  /** The query as received, for searches */
  query?: string;
  result: AuditResult;
  /** Why it was refused or failed */
  detail?: string;
  /** The consent decision of a read of patient data (docs/consent.md) */
  privacy?: PrivacyDecision;
  recorded?: Date;
}

const OUTCOME: Record<AuditResult, AuditIndex["outcome"]> = { success: "0", refused: "4", failed: "8" };

const coding = (system: string, code: string, display?: string) => ({ system, code, ...(display ? { display } : {}) });

/** `access.recorded` is the time of the access: the caller reads it from the province clock. */
export function buildAuditEvent(
  access: AccessDescription & { recorded: Date },
  id: string = randomUUID(),
): { event: Record<string, unknown>; index: AuditIndex } {
  const recorded = access.recorded.toISOString();
  const outcome = OUTCOME[access.result];
  // each patient once (a list naming a resident in several rows names them once; the index keys per patient)
  const seen = new Set<string>();
  const patients = access.patients.filter((p) => !seen.has(`${p.system}|${p.value}`) && seen.add(`${p.system}|${p.value}`));
  const agents: Record<string, unknown>[] = [];
  if (access.hospitalId) {
    agents.push({
      type: { coding: [coding("http://dicom.nema.org/resources/ontology/DCM", "110153", "Source Role ID")] },
      who: { reference: `Organization/${access.hospitalId}` },
      requestor: !access.practitionerId,
      network: { address: access.node, type: "5" },
    });
  }
  if (access.practitionerId) {
    agents.push({
      type: { coding: [coding("http://terminology.hl7.org/CodeSystem/extra-security-role-type", "humanuser", "human user")] },
      who: { reference: `Practitioner/${access.practitionerId}`, identifier: { value: access.practitionerId } },
      requestor: true,
      ...(access.privacy ? { purposeOfUse: [{ coding: [coding(PURPOSE_OF_USE_SYSTEM, access.privacy.purpose)] }] } : {}),
    });
  }
  if (access.operator) {
    agents.push({
      type: { coding: [coding("http://terminology.hl7.org/CodeSystem/extra-security-role-type", "humanuser")] },
      who: { display: "provincial operator" },
      requestor: true,
    });
  }
  if (access.memberId) {
    agents.push({
      type: { coding: [coding("http://dicom.nema.org/resources/ontology/DCM", "110153", "Source Role ID")] },
      who: { identifier: { system: "https://hebei.health/fhir/sid/exchange-member", value: access.memberId } },
      requestor: true,
      network: { address: `urn:hhc:member:${access.memberId}`, type: "5" },
    });
  }
  agents.push({
    type: { coding: [coding("http://dicom.nema.org/resources/ontology/DCM", "110152", "Destination Role ID")] },
    who: { display: access.node === "hub" ? "Hebei Health Cloud hub" : `Hebei Health Cloud city node ${access.node}` },
    requestor: false,
  });
  const entities: Record<string, unknown>[] = patients.map((p) => ({
    what: { identifier: p },
    type: coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "1", "Person"),
    role: coding("http://terminology.hl7.org/CodeSystem/object-role", "1", "Patient"),
  }));
  if (access.resource) {
    entities.push({
      what: { reference: access.resource },
      type: coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "2", "System Object"),
      role: coding("http://terminology.hl7.org/CodeSystem/object-role", "4", "Domain Resource"),
    });
  }
  if (access.query) {
    entities.push({
      type: coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "2", "System Object"),
      role: coding("http://terminology.hl7.org/CodeSystem/object-role", "24", "Query"),
      query: Buffer.from(access.query, "utf8").toString("base64"),
    });
  }
  if (access.privacy) entities.push(...privacyEntities(access.privacy));
  const event = {
    resourceType: "AuditEvent",
    id,
    meta: { profile: ["https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.PatientRead"] },
    type: coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "Restful Operation"),
    subtype: [coding("http://hl7.org/fhir/restful-interaction", access.interaction)],
    action: access.action,
    recorded,
    outcome,
    ...(access.detail ? { outcomeDesc: access.detail } : {}),
    agent: agents,
    source: {
      site: access.node,
      observer: { display: access.node },
      type: [coding("http://terminology.hl7.org/CodeSystem/security-source-type", "4", "Application Server")],
    },
    entity: entities,
  };
  const index: AuditIndex = {
    recorded,
    patients: patients.map((p) => `${p.system}|${p.value}`),
    agents: [access.hospitalId, access.practitionerId, access.operator ? "operator" : undefined, access.memberId].filter((a): a is string =>
      Boolean(a),
    ),
    outcome,
    node: access.node,
  };
  return { event, index };
}

/** The URL of the entity that holds a read's consent decision */
export const PRIVACY_DECISION_URL = "https://hebei.health/fhir/audit/privacy-decision";

/**
 * A read's consent decision as AuditEvent entities: one holding the decision (its `detail`: decision,
 * basis, policy version, purpose, consents used, break-the-glass use and reason, items hidden), and one
 * per consent used (a Security Resource).
 */
function privacyEntities(privacy: PrivacyDecision): Record<string, unknown>[] {
  const detail = [
    ["decision", privacy.decision],
    ["basis", privacy.basis],
    ["policy-version", privacy.policyVersion],
    ["purpose-of-use", privacy.purpose],
    ["consents", privacy.consents.join(",")],
    ...(privacy.breakGlass
      ? [
          ["break-glass", privacy.breakGlass.id],
          ["break-glass-reason", privacy.breakGlass.reason],
        ]
      : []),
    ...(privacy.hidden !== undefined ? [["hidden", String(privacy.hidden)]] : []),
  ].map(([type, value]) => ({ type, valueString: value }));
  return [
    {
      what: { identifier: { system: PRIVACY_DECISION_URL, value: privacy.decision } },
      type: coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "2", "System Object"),
      role: coding("http://terminology.hl7.org/CodeSystem/object-role", "13", "Security Resource"),
      detail,
    },
    ...privacy.consents.map((id) => ({
      what: { reference: `Consent/${id}` },
      type: coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "2", "System Object"),
      role: coding("http://terminology.hl7.org/CodeSystem/object-role", "13", "Security Resource"),
    })),
  ];
}

/**
 * The hospitals an AuditEvent from a city names: its Organization agents, and every id it is indexed by
 * (`index.agents`) that is not one of its Practitioner agents. The hub stores a city's event only if each
 * is a hospital of that city, so a city can neither write into another city's hospitals' trail nor index
 * an event under them.
 */
export function auditedHospitals(event: Record<string, unknown>, index: Pick<AuditIndex, "agents">): string[] {
  const agents = Array.isArray(event.agent) ? (event.agent as { who?: { reference?: unknown } }[]) : [];
  const referenced = (type: string) =>
    agents.flatMap((a) => {
      const ref = typeof a.who?.reference === "string" ? a.who.reference : "";
      return ref.startsWith(`${type}/`) ? [ref.slice(type.length + 1)] : [];
    });
  const practitioners = new Set(referenced("Practitioner"));
  return [...new Set([...referenced("Organization"), ...index.agents.filter((a) => !practitioners.has(a))])];
}
