/** The authorization matrix (matrix-cases.ts), hub routes: the operator API and the internal (IAM) API */

import { consentOf, patientOf, son } from "#lib/world/index.ts";
import { mrnSystem, RESIDENT_ID_SYSTEM } from "#schemas/patient.ts";
import {
  actingAs,
  cardIssue,
  cardStatus,
  cardVerify,
  expectEqual,
  grantless,
  hospitalOnOperatorRoute,
  hubIam,
  notSigned,
  PUBLIC,
  registryId,
  registryTypes,
  schedulingAtHub,
  serviceRequest,
  subscriptionTo,
  TODAY,
  ungranted,
} from "./matrix-kit.ts";
import type { MatrixContext, RouteEntry } from "./matrix-types.ts";

export const operatorEntries: Record<string, RouteEntry> = {
  "GET /health": { exempt: PUBLIC },
  "GET /fhir/metadata": { exempt: PUBLIC },
  "GET /dashboard": { exempt: "The dashboard page: static HTML, no data (the operator signs in to read the summary)" },
  // the department exchange (docs/departments.md): its member authorizer admits departments and the operator, never a hospital
  "GET /xchg/services": { cases: [hospitalOnOperatorRoute("GET", () => "/xchg/services")] },
  "POST /xchg/messages": { cases: [hospitalOnOperatorRoute("POST", () => "/xchg/messages", { resourceType: "Bundle", type: "message" })] },
  "GET /xchg/services/{serviceId}/allowed": { cases: [hospitalOnOperatorRoute("GET", () => "/xchg/services/death-notification/allowed")] },
  "POST /xchg/access-requests": {
    cases: [hospitalOnOperatorRoute("POST", () => "/xchg/access-requests", { service: "household-death", purpose: "x", legalBasis: "x" })],
  },
  // the evidence of a message: the operator and the members party to it (docs/departments.md#evidence-log)
  "GET /xchg/evidence/{messageId}": { cases: [hospitalOnOperatorRoute("GET", () => "/xchg/evidence/m-1")] },
};

export const hubInternalEntries: Record<string, RouteEntry> = {
  "POST /internal/authenticate": {
    cases: [
      ...notSigned("hub", "POST", "/internal/authenticate", { credential: "x" }),
      ungranted("hub", "POST", "/internal/authenticate", { nodeId: "baoding", fn: "FepHeartbeat" }),
      ungranted("hub", "POST", "/internal/authenticate", { nodeId: "hub", fn: "Connections" }),
    ],
  },
  "POST /internal/practitioner-check": hubIam(
    "POST",
    "/internal/practitioner-check",
    actingAs("FepHeartbeat", (y) => ({ hospitalId: y.id, practitionerId: y.practitioners[0] })),
  ),
  "POST /internal/fhir/Practitioner": hubIam(
    "POST",
    "/internal/fhir/Practitioner",
    actingAs("RegistryProxy", () => ({ resourceType: "Practitioner" })),
  ),
  "POST /internal/fhir/PractitionerRole": hubIam(
    "POST",
    "/internal/fhir/PractitionerRole",
    actingAs("RegistryProxy", (y) => ({
      resourceType: "PractitionerRole",
      practitioner: { reference: `Practitioner/${y.practitioners.at(-1)}` },
      organization: { reference: `Organization/${y.id}` },
      code: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/practitioner-role", code: "doctor" }] }],
    })),
  ),
  "PUT /internal/fhir/PractitionerRole/{id}": hubIam(
    "PUT",
    "/internal/fhir/PractitionerRole/x",
    actingAs("RegistryProxy", () => ({ resourceType: "PractitionerRole" })),
  ),
  "POST /internal/fhir/Patient": hubIam(
    "POST",
    "/internal/fhir/Patient",
    actingAs(
      "PatientFeed",
      (y) => patientOf(y.id, "MX-NODE", son),
      async (ctx, y) => {
        const pix = await ctx.signed(
          { nodeId: "tangshan", fn: "PatientQuery" },
          "hub",
          "GET",
          `/internal/fhir/Patient/$ihe-pix?sourceIdentifier=${encodeURIComponent(`${mrnSystem(y.id)}|MX-NODE`)}`,
        );
        // had the feed been applied, the MPI would cross-reference the MRN (200 with the EMPI)
        const known = pix.status === 200 && ((pix.json?.parameter as unknown[] | undefined) ?? []).length > 0;
        expectEqual(`${y.id}'s MRN MX-NODE known to the MPI`, known, false);
      },
    ),
  ),
  "PUT /internal/fhir/Patient": hubIam(
    "PUT",
    `/internal/fhir/Patient?identifier=${encodeURIComponent(`${mrnSystem("x")}|1`)}`,
    actingAs("PatientFeed", (y) => patientOf(y.id, "MX-NODE-PUT", son)),
  ),
  "GET /internal/fhir/Patient": hubIam("GET", "/internal/fhir/Patient?family=x", grantless("baoding", "FepHeartbeat")),
  "GET /internal/fhir/Patient/$ihe-pix": hubIam(
    "GET",
    "/internal/fhir/Patient/$ihe-pix?sourceIdentifier=x|1",
    grantless("baoding", "FepHeartbeat"),
  ),
  "GET /internal/record-locator/{empi}": hubIam("GET", "/internal/record-locator/E1", grantless("baoding", "PatientQuery")),
  "POST /internal/fhir/Subscription": hubIam(
    "POST",
    "/internal/fhir/Subscription",
    actingAs("SubscriptionProxy", () => subscriptionTo(son.residentId!)),
  ),
  "GET /internal/fhir/Subscription": hubIam("GET", "/internal/fhir/Subscription", actingAs("SubscriptionProxy")),
  "GET /internal/fhir/Subscription/{id}": hubIam("GET", "/internal/fhir/Subscription/x", actingAs("SubscriptionProxy")),
  "DELETE /internal/fhir/Subscription/{id}": hubIam("DELETE", "/internal/fhir/Subscription/x", actingAs("SubscriptionProxy")),
  "GET /internal/fhir/ClaimResponse": hubIam("GET", "/internal/fhir/ClaimResponse?request.identifier=x|1", actingAs("Claims")),
  "GET /internal/fhir/ClaimResponse/{id}": hubIam("GET", "/internal/fhir/ClaimResponse/x", actingAs("Claims")),
  "POST /internal/health-card/issue": hubIam("POST", "/internal/health-card/issue", actingAs("HealthCardProxy", cardIssue)),
  "POST /internal/health-card/verify": hubIam("POST", "/internal/health-card/verify", actingAs("HealthCardProxy", cardVerify)),
  "POST /internal/health-card/status": hubIam("POST", "/internal/health-card/status", actingAs("HealthCardProxy", cardStatus)),
  "POST /internal/telemedicine/ServiceRequest": hubIam(
    "POST",
    "/internal/telemedicine/ServiceRequest",
    actingAs("TelemedicineProxy", () => serviceRequest(son.residentId!)),
  ),
  "GET /internal/telemedicine/Task": hubIam("GET", "/internal/telemedicine/Task?requester=Organization/x", actingAs("TelemedicineProxy")),
  "GET /internal/telemedicine/Task/{id}": hubIam("GET", "/internal/telemedicine/Task/x", actingAs("TelemedicineProxy")),
  "GET /internal/telemedicine/Slot": hubIam(
    "GET",
    "/internal/telemedicine/Slot?schedule.actor=PractitionerRole/x-r1",
    actingAs("TelemedicineProxy"),
  ),
  "POST /internal/telemedicine/Appointment/$hold": schedulingAtHub("$hold"),
  "POST /internal/telemedicine/Appointment/$book": schedulingAtHub("$book"),
  "GET /internal/telemedicine/Appointment/{id}": hubIam("GET", "/internal/telemedicine/Appointment/x", actingAs("TelemedicineProxy")),
  "PUT /internal/telemedicine/Appointment/{id}": hubIam(
    "PUT",
    "/internal/telemedicine/Appointment/x",
    actingAs("TelemedicineProxy", () => ({ resourceType: "Appointment", status: "cancelled" })),
  ),
  "PUT /internal/telemedicine/Task/{id}": hubIam(
    "PUT",
    "/internal/telemedicine/Task/x",
    actingAs("TelemedicineProxy", () => ({ resourceType: "Task", status: "cancelled" })),
  ),
  "POST /internal/drugs/trace-scan": hubIam(
    "POST",
    "/internal/drugs/trace-scan",
    actingAs("DrugsDevices", () => ({ code: "80000000000000000018", event: "dispense", encounter: "MX-NODE" })),
  ),
  "POST /internal/drugs/trace-check": hubIam(
    "POST",
    "/internal/drugs/trace-check",
    actingAs("Claims", () => ({ codes: ["80000000000000000018"] })),
  ),
  "GET /internal/devices/definition": hubIam("GET", "/internal/devices/definition?di=06912345000018", grantless("baoding", "FepHeartbeat")),
  "POST /internal/public-health/case-reports": hubIam(
    "POST",
    "/internal/public-health/case-reports",
    actingAs("CaseReporting", () => ({ messageId: "MX-NODE", event: "void", practitionerId: "x", reportId: "cr-x" })),
  ),
  "GET /internal/public-health/case-reports": hubIam("GET", "/internal/public-health/case-reports", actingAs("CaseReporting")),
  "POST /internal/public-health/expectations": hubIam(
    "POST",
    "/internal/public-health/expectations",
    actingAs("EncounterRecord", () => ({
      diagnoses: [{ encounterId: "tangshan-ex", empi: "E0000000000000", code: "A00", diagnosedAt: TODAY }],
    })),
  ),
  "GET /internal/fhir/MedicationKnowledge": hubIam(
    "GET",
    "/internal/fhir/MedicationKnowledge?code=86900001000019",
    grantless("baoding", "FepHeartbeat"),
  ),
  "POST /internal/fhir/Consent": hubIam(
    "POST",
    "/internal/fhir/Consent",
    actingAs("ConsentProxy", () => consentOf({ system: RESIDENT_ID_SYSTEM, value: son.residentId! }, { type: "permit" })),
  ),
  "GET /internal/fhir/Consent": hubIam(
    "GET",
    `/internal/fhir/Consent?patient.identifier=${encodeURIComponent(`${RESIDENT_ID_SYSTEM}|${son.residentId!}`)}`,
    actingAs("ConsentProxy"),
  ),
  "PUT /internal/fhir/Consent/{id}": hubIam(
    "PUT",
    "/internal/fhir/Consent/x",
    actingAs("ConsentProxy", () => ({
      ...consentOf({ system: RESIDENT_ID_SYSTEM, value: son.residentId! }, { type: "permit" }),
      status: "inactive",
    })),
  ),
  "POST /internal/privacy/context": hubIam(
    "POST",
    "/internal/privacy/context",
    actingAs("DocumentQuery", () => ({ empi: "E0000000000000" })),
  ),
  ...Object.fromEntries(
    registryTypes.flatMap((type) => [
      [`GET /internal/fhir/${type}`, hubIam("GET", `/internal/fhir/${type}`, grantless("baoding", "FepHeartbeat"))],
      [`GET /internal/fhir/${type}/{id}`, hubIam("GET", `/internal/fhir/${type}/x`, grantless("baoding", "FepHeartbeat"))],
    ]),
  ),
};

/**
 * Operator routes: a hospital's credential is refused by the operator authorizer. Every route the
 * operator API declares with its default auth gets this case (they all are the operator's), so a new
 * operator route needs no entry unless it is public; the ids and bodies make each attempt meaningful.
 */
export const OPERATOR_ATTEMPTS: Record<string, { path?: (ctx: MatrixContext) => string; body?: unknown }> = {
  ...Object.fromEntries(
    registryTypes.map((type) => [`GET /fhir/${type}/{id}`, { path: (ctx: MatrixContext) => `/fhir/${type}/${registryId(ctx, type)}` }]),
  ),
  "PUT /fhir/Organization/{id}": { path: (ctx) => `/fhir/Organization/${ctx.victim.hospital.id}`, body: { resourceType: "Organization" } },
  "PUT /fhir/Location/{id}": { path: (ctx) => `/fhir/Location/${ctx.victim.hospital.id}`, body: { resourceType: "Location" } },
  "PUT /fhir/Practitioner/{id}": {
    path: (ctx) => `/fhir/Practitioner/${ctx.victim.practitioner}`,
    body: { resourceType: "Practitioner", active: false },
  },
  "POST /fhir/PractitionerRole/{id}/$approve": { path: (ctx) => `/fhir/PractitionerRole/${ctx.victim.roleId}/$approve` },
  "POST /fhir/PractitionerRole/{id}/$reject": { path: (ctx) => `/fhir/PractitionerRole/${ctx.victim.roleId}/$reject` },
  "POST /hospitals/{hospitalId}/credentials": { path: (ctx) => `/hospitals/${ctx.victim.hospital.id}/credentials` },
  "DELETE /hospitals/{hospitalId}/credentials": { path: (ctx) => `/hospitals/${ctx.victim.hospital.id}/credentials` },
  "GET /fhir/AuditEvent/{id}": { path: () => "/fhir/AuditEvent/x" },
  "PUT /fhir/AuditEvent/{id}": { path: () => "/fhir/AuditEvent/x", body: { resourceType: "AuditEvent" } },
  "DELETE /fhir/AuditEvent/{id}": { path: () => "/fhir/AuditEvent/x" },
  "GET /mpi/residents/{empi}": { path: (ctx) => `/mpi/residents/${ctx.victim.empi}` },
  "POST /privacy/break-glass/{id}/review": { path: () => "/privacy/break-glass/x/review", body: { outcome: "justified", note: "x" } },
  "POST /mpi/residents/{empi}/dismiss-review": { path: (ctx) => `/mpi/residents/${ctx.victim.empi}/dismiss-review` },
  "POST /xchg/access-requests/{id}/decision": { path: () => "/xchg/access-requests/x/decision", body: { decision: "grant", reason: "x" } },
  // a hospital may neither list another hospital's implant recipients nor send every hospital a recall
  "GET /devices/recall": { path: () => "/devices/recall?di=06900000000018" },
  "POST /devices/recall": { body: { di: "06900000000018", reason: "a hospital posing as the operator" } },
};
