/**
 * Consent, sensitive records and break-the-glass (docs/consent.md), spread into hub.ts and city.ts:
 * the consent registry and the privacy context at the hub (the Consents table), the privacy officer's
 * break-the-glass queue on the operator API, and each city's Consent API.
 */
import { HUB_CALLS, NODE_IDENTITY_TABLES, RELATIONSHIP_TABLES } from "./calls.ts";
import { MPI_HUB_TABLES } from "./mpi.ts";
import type { DeclarationPart } from "./types.ts";

const MPI_READ = Object.fromEntries(MPI_HUB_TABLES.map((t) => [t.id, "read" as const]));

export const CONSENT: DeclarationPart = {
  // beside the record locator, whose encounters make the treatment relationship
  hubStack: "exchange",
  hubTables: [
    {
      id: "Consents",
      partitionKey: "pk",
      sortKey: "sk",
      description: "Residents' Consents (consent#<empi>, consent-id#<id>) and break-the-glass uses (breakglass, breakglass#<empi>#…)",
    },
  ],
  hubFunctions: [
    {
      id: "Consents",
      entry: "lambdas/handlers/hub/consents.ts",
      description: "Internal: the consent registry and the privacy context of a read (relationship, consents, break-the-glass)",
      timeoutSeconds: 15,
      memoryMb: 512,
      // the treatment relationship's sources; Registry: break-the-glass roles
      tables: { Consents: "readWrite", ...RELATIONSHIP_TABLES, Registry: "read", ...MPI_READ, ...NODE_IDENTITY_TABLES },
    },
    {
      id: "PrivacyReview",
      entry: "lambdas/handlers/hub/privacy-review.ts",
      description: "Operator: the privacy officer's break-the-glass review queue (audited)",
      timeoutSeconds: 15,
      memoryMb: 256,
      tables: { Consents: "readWrite", AuditEvents: "write" },
    },
    {
      id: "BreakGlassWatch",
      entry: "lambdas/handlers/hub/break-glass-watch.ts",
      description: "Hourly: break-the-glass uses past their 72-hour review deadline, as a metric that alarms",
      timeoutSeconds: 60,
      memoryMb: 256,
      tables: { Consents: "read" },
      trigger: { kind: "schedule", everyMinutes: 60 },
    },
  ],
  hubOperatorRoutes: [
    { method: "GET", path: "/privacy/break-glass", function: "PrivacyReview" },
    { method: "POST", path: "/privacy/break-glass/{id}/review", function: "PrivacyReview" },
  ],
  hubInternalRoutes: [
    { method: "POST", path: "/internal/fhir/Consent", function: "Consents" },
    { method: "GET", path: "/internal/fhir/Consent", function: "Consents" },
    { method: "PUT", path: "/internal/fhir/Consent/{id}", function: "Consents" },
    { method: "POST", path: "/internal/privacy/context", function: "Consents" },
  ],
  cityFunctions: [
    {
      id: "ConsentProxy",
      entry: "lambdas/handlers/city/consent-proxy.ts",
      description: "A resident's Consents, kept at the hub through its internal API, and the decision point ($decide); audited",
      timeoutSeconds: 15,
      memoryMb: 256,
      tables: { AuditLog: "readWrite" },
      discovery: ["invoke-hub-internal-api", "send-hub-audit"],
      calls: [HUB_CALLS.practitionerCheck, HUB_CALLS.pix, HUB_CALLS.privacyContext, ...HUB_CALLS.consents],
    },
  ],
  cityRoutes: [
    { method: "POST", path: "/fhir/Consent", function: "ConsentProxy" },
    { method: "GET", path: "/fhir/Consent", function: "ConsentProxy" },
    { method: "PUT", path: "/fhir/Consent/{id}", function: "ConsentProxy" },
    { method: "POST", path: "/fhir/Consent/$decide", function: "ConsentProxy" },
  ],
};
