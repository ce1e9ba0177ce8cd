/**
 * The search parameters each FHIR resource type is searched by, for the CapabilityStatement.
 * test/domain/capability.test.ts holds this list to the parameters the searches accept.
 */
export type SearchParamType = "string" | "token" | "reference" | "date";

export const SEARCH_PARAMETERS: Record<string, Record<string, SearchParamType>> = {
  Organization: { name: "string", identifier: "token", type: "token", partof: "reference", "address-city": "string" },
  Location: { name: "string", organization: "reference", "address-city": "string" },
  Practitioner: { identifier: "token", name: "string" },
  // approval: the operator's search only (roles awaiting approval); a hospital's is refused
  PractitionerRole: { organization: "reference", practitioner: "reference", role: "token", approval: "token" },
  Patient: { identifier: "token", family: "string", given: "string", name: "string", birthdate: "date", gender: "token", telecom: "token" },
  DocumentReference: { "patient.identifier": "token", type: "token", date: "date", status: "token", _id: "token" },
  Encounter: { "patient.identifier": "token", type: "token", date: "date", status: "token", _id: "token" },
  AuditEvent: { "patient.identifier": "token", agent: "reference", date: "date", outcome: "token" },
  ClaimResponse: { "request.identifier": "token" },
  MedicationKnowledge: { code: "token" },
  // telemedicine (docs/telemedicine.md): a hospital's Tasks; an expert's slots
  Task: { requester: "reference", "owner-organization": "token", status: "token", _lastUpdated: "date" },
  Slot: { "schedule.actor": "reference", status: "token", start: "date" },
  // the hub's monthly figures (docs/public-health.md): period YYYY-MM, subject a city id
  MeasureReport: { period: "date", subject: "token" },
};
