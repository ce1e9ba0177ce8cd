/**
 * Consents as a hospital records them for a resident (docs/consent.md): FHIR R4 Consent, scope
 * patient-privacy, category LOINC 59284-0, the signed form as an attachment, and one provision.
 */

import { LOINC_SYSTEM } from "#schemas/documents.ts";
import { RESIDENT_ID_SYSTEM } from "#schemas/patient.ts";
import { CONSENT_CATEGORY_LOINC, CONSENT_SCOPE_SYSTEM, PURPOSE_OF_USE_SYSTEM } from "#schemas/privacy.ts";
import { securityLabels } from "./documents.ts";

export interface ConsentOptions {
  type: "permit" | "deny";
  /** hospital ids the provision names; absent: everyone */
  actors?: readonly string[];
  purposes?: readonly string[];
  /** sensitive categories the provision is about */
  labels?: readonly string[];
  dateTime?: string;
  period?: { start?: string; end?: string };
  /** a guardian signing for a minor: their resident ID and relationship (v3-RoleCode, e.g. MTH, FTH) */
  guardian?: { residentId: string; relationship: string };
}

export function consentOf(patient: { system: string; value: string }, options: ConsentOptions): Record<string, unknown> {
  const guardian = options.guardian;
  return {
    resourceType: "Consent",
    status: "active",
    scope: { coding: [{ system: CONSENT_SCOPE_SYSTEM, code: "patient-privacy" }] },
    category: [{ coding: [{ system: LOINC_SYSTEM, code: CONSENT_CATEGORY_LOINC }] }],
    patient: { identifier: patient },
    dateTime: options.dateTime ?? new Date().toISOString(),
    ...(guardian
      ? {
          contained: [
            {
              resourceType: "RelatedPerson",
              id: "guardian",
              relationship: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/v3-RoleCode", code: guardian.relationship }] }],
              identifier: [{ system: RESIDENT_ID_SYSTEM, value: guardian.residentId }],
            },
          ],
          performer: [{ reference: "#guardian" }],
        }
      : {}),
    policyRule: { coding: [{ system: "https://hebei.health/fhir/CodeSystem/consent-policy", code: "pipl-art29" }] },
    sourceAttachment: { contentType: "application/pdf", title: "signed consent form" },
    provision: {
      type: options.type,
      ...(options.period ? { period: options.period } : {}),
      ...(options.actors?.length
        ? { actor: options.actors.map((id) => ({ role: { coding: [{ code: "IRCP" }] }, reference: { reference: `Organization/${id}` } })) }
        : {}),
      ...(options.purposes?.length ? { purpose: options.purposes.map((code) => ({ system: PURPOSE_OF_USE_SYSTEM, code })) } : {}),
      ...(options.labels?.length ? { securityLabel: securityLabels(options.labels).map((l) => l.coding[0]) } : {}),
    },
  };
}
