/**
 * The resident health card (docs/health-card.md), spread into hub.ts and city.ts through parts.ts: the
 * hub's HealthCards table and function (internal routes for the cities, operator routes), and the
 * cities' function and routes. In the hub's Exchange stack, beside the subscriptions whose treatment
 * relationships read the registrations by card.
 */
import { HUB_CALLS, NODE_IDENTITY_TABLES } from "./calls.ts";
import type { DeclarationPart } from "./types.ts";

export const HEALTH_CARD: DeclarationPart = {
  hubStack: "exchange",
  hubTables: [
    {
      id: "HealthCards",
      partitionKey: "pk",
      sortKey: "sk",
      description: "Health cards and their status history, once-only dynamic codes, verifications, the day's issues, registrations by card",
      // a dynamic code's once-only marker goes after its lifetime (5 min + 1 s from its time; a code dated up to 60 s ahead is
      // still judged by its time, so a replay after the marker went is refused as expired)
      timeToLiveAttribute: "expiresAt",
    },
  ],
  hubFunctions: [
    {
      id: "HealthCard",
      entry: "lambdas/handlers/hub/health-card.ts",
      description: "Health cards: issue, verify and status (internal, for the cities), status and usage (operator), audited",
      timeoutSeconds: 15,
      memoryMb: 512,
      // the MPI: the card's resident, and the card as one more identifier of theirs (a PatientRecords item and its PDQm terms)
      tables: {
        HealthCards: "readWrite",
        Residents: "read",
        ResidentKeys: "read",
        PatientRecords: "readWrite",
        PatientSearch: "readWrite",
        ...NODE_IDENTITY_TABLES,
        AuditEvents: "readWrite",
        // the day's encounters (the card-based visit rate)
        RecordLocator: "read",
      },
      // reads the province secret (Secrets Manager): granted by the hub's Exchange stack on that one secret (lib/constructs/health-card-secret.ts)
    },
  ],
  hubOperatorRoutes: [
    { method: "POST", path: "/health-card/status", function: "HealthCard" },
    { method: "GET", path: "/health-card/usage", function: "HealthCard" },
  ],
  hubInternalRoutes: [
    { method: "POST", path: "/internal/health-card/issue", function: "HealthCard" },
    { method: "POST", path: "/internal/health-card/verify", function: "HealthCard" },
    { method: "POST", path: "/internal/health-card/status", function: "HealthCard" },
  ],
  cityFunctions: [
    {
      id: "HealthCardProxy",
      entry: "lambdas/handlers/city/health-card.ts",
      description: "Health cards: issue, verify and status at the hub for the city's hospitals, audited",
      timeoutSeconds: 15,
      memoryMb: 256,
      tables: { AuditLog: "readWrite" },
      discovery: ["invoke-hub-internal-api", "send-hub-audit"],
      calls: [HUB_CALLS.practitionerCheck, ...HUB_CALLS.healthCard],
    },
  ],
  cityRoutes: [
    { method: "POST", path: "/fhir/Patient/$issue-health-card", function: "HealthCardProxy" },
    { method: "POST", path: "/fhir/Patient/$verify-health-card", function: "HealthCardProxy" },
    { method: "POST", path: "/fhir/Patient/$health-card-status", function: "HealthCardProxy" },
  ],
};
