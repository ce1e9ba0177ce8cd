/**
 * The IAM-authorized routes of other nodes that city functions call (`FunctionDeclaration.calls`),
 * "<METHOD> <path>" exactly as the hub's and the cities' declarations name them. A function's role
 * may invoke these and no other route (docs/node-identity.md); test/infra/node-identity.test.ts holds
 * each to a declared IAM route.
 */
/**
 * What a hub function serving the cities' internal calls reads to check who acts as whom (the facility
 * registry's hospitals and their cities) and writes when it refuses (the audit repository).
 */
export const NODE_IDENTITY_TABLES = { RegistryIndex: "read", AuditEvents: "write" } as const;

/**
 * What a hub function reads to know a hospital's treatment relationship with a resident
 * (use-cases/push/relationship.ts, its sources wired in lambdas/wiring/push.ts: relationshipDeps):
 * the MPI's feeds, the record locator's encounters, registrations by health card. One list, so a new
 * source is granted to every function that decides on it.
 */
export const RELATIONSHIP_TABLES = { RecordLocator: "read", HealthCards: "read", Telemedicine: "read" } as const;

const REGISTRY_TYPES = ["Organization", "Location", "Practitioner", "PractitionerRole"] as const;

export const HUB_CALLS = {
  authenticate: "POST /internal/authenticate",
  practitionerCheck: "POST /internal/practitioner-check",
  registryReads: REGISTRY_TYPES.flatMap((type) => [`GET /internal/fhir/${type}`, `GET /internal/fhir/${type}/{id}`]),
  staffWrites: ["POST /internal/fhir/Practitioner", "POST /internal/fhir/PractitionerRole", "PUT /internal/fhir/PractitionerRole/{id}"],
  organizationRead: "GET /internal/fhir/Organization/{id}",
  patientFeed: ["POST /internal/fhir/Patient", "PUT /internal/fhir/Patient"],
  pdq: "GET /internal/fhir/Patient",
  pix: "GET /internal/fhir/Patient/$ihe-pix",
  recordLocator: "GET /internal/record-locator/{empi}",
  subscriptions: [
    "POST /internal/fhir/Subscription",
    "GET /internal/fhir/Subscription",
    "GET /internal/fhir/Subscription/{id}",
    "DELETE /internal/fhir/Subscription/{id}",
  ],
  claimResponses: "GET /internal/fhir/ClaimResponse",
  claimResponseRead: "GET /internal/fhir/ClaimResponse/{id}",
  healthCard: ["POST /internal/health-card/issue", "POST /internal/health-card/verify", "POST /internal/health-card/status"],
  drugCatalogue: "GET /internal/fhir/MedicationKnowledge",
  traceScan: "POST /internal/drugs/trace-scan",
  traceCheck: "POST /internal/drugs/trace-check",
  deviceDefinition: "GET /internal/devices/definition",
  consents: ["POST /internal/fhir/Consent", "GET /internal/fhir/Consent", "PUT /internal/fhir/Consent/{id}"],
  privacyContext: "POST /internal/privacy/context",
  telemedicine: [
    "POST /internal/telemedicine/ServiceRequest",
    "GET /internal/telemedicine/Task",
    "GET /internal/telemedicine/Task/{id}",
    "PUT /internal/telemedicine/Task/{id}",
    "GET /internal/telemedicine/Slot",
    "POST /internal/telemedicine/Appointment/$hold",
    "POST /internal/telemedicine/Appointment/$book",
    "PUT /internal/telemedicine/Appointment/{id}",
    "GET /internal/telemedicine/Appointment/{id}",
  ],
  caseReports: ["POST /internal/public-health/case-reports", "GET /internal/public-health/case-reports"],
  caseExpectations: "POST /internal/public-health/expectations",
} as const;

/** Another city's IAM routes: where it keeps a document's bytes; whose an encounter it stores is */
export const CITY_CALLS = {
  binaryLocation: "GET /internal/fhir/Binary/{id}",
  encounterSubject: "GET /internal/fhir/Encounter/{id}",
} as const;
