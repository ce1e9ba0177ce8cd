/**
 * Three-tier telemedicine (docs/telemedicine.md), spread into hub.ts and city.ts through parts.ts: the
 * hub's Telemedicine table, its function (internal routes for the cities) and the deadline sweep on
 * the province clock; the cities' function and routes. In the hub's Exchange stack, beside the consent
 * registry whose privacy context reads the Tasks (the owner's access to the supporting documents).
 */
import { HUB_CALLS, NODE_IDENTITY_TABLES } from "./calls.ts";
import { MPI_HUB_TABLES } from "./mpi.ts";
import type { DeclarationPart } from "./types.ts";

const RESIDENT_READ = Object.fromEntries(MPI_HUB_TABLES.map((t) => [t.id, "read" as const]));
/** experts and tiers: the facility and staff registries */
const REGISTRY_READ = { Registry: "read", RegistryIndex: "read" } as const;

export const TELEMEDICINE: DeclarationPart = {
  hubStack: "exchange",
  hubTables: [
    {
      id: "Telemedicine",
      partitionKey: "pk",
      sortKey: "sk",
      description:
        "Telemedicine Tasks (versioned) and their ServiceRequests; Tasks by requester, owner, resident; the open Tasks the sweep walks; the provincial set; the experts' slots and appointments",
    },
  ],
  hubFunctions: [
    {
      id: "Telemedicine",
      entry: "lambdas/handlers/hub/telemedicine.ts",
      description:
        "Telemedicine (internal, for the cities): requests, dispatch to the experts one tier up, the Tasks' life with If-Match, slots and appointments; the operator's KPIs",
      timeoutSeconds: 15,
      memoryMb: 512,
      tables: { Telemedicine: "readWrite", ...REGISTRY_READ, ...RESIDENT_READ, RecordLocator: "read", ...NODE_IDENTITY_TABLES },
      discovery: ["send-city-push"],
    },
    {
      id: "TelemedicineSweeper",
      entry: "lambdas/handlers/hub/telemedicine-sweeper.ts",
      description:
        "Every minute: telemedicine deadlines (re-dispatch, escalation, overdue reports), the no-expert gauge; the slot horizon, lapsed holds, no-shows",
      timeoutSeconds: 60,
      memoryMb: 256,
      tables: { Telemedicine: "readWrite", ...REGISTRY_READ, ...RESIDENT_READ, RecordLocator: "read" },
      discovery: ["send-city-push"],
      trigger: { kind: "schedule", everyMinutes: 1 },
    },
  ],
  hubOperatorRoutes: [{ method: "GET", path: "/telemedicine/kpis", function: "Telemedicine" }],
  hubInternalRoutes: [
    { method: "POST", path: "/internal/telemedicine/ServiceRequest", function: "Telemedicine" },
    { method: "GET", path: "/internal/telemedicine/Task", function: "Telemedicine" },
    { method: "GET", path: "/internal/telemedicine/Task/{id}", function: "Telemedicine" },
    { method: "PUT", path: "/internal/telemedicine/Task/{id}", function: "Telemedicine" },
    { method: "GET", path: "/internal/telemedicine/Slot", function: "Telemedicine" },
    { method: "POST", path: "/internal/telemedicine/Appointment/$hold", function: "Telemedicine" },
    { method: "POST", path: "/internal/telemedicine/Appointment/$book", function: "Telemedicine" },
    { method: "PUT", path: "/internal/telemedicine/Appointment/{id}", function: "Telemedicine" },
    { method: "GET", path: "/internal/telemedicine/Appointment/{id}", function: "Telemedicine" },
  ],
  cityFunctions: [
    {
      id: "TelemedicineProxy",
      entry: "lambdas/handlers/city/telemedicine.ts",
      description: "Telemedicine requests and Tasks at the hub for the city's hospitals and their practitioners, audited",
      // outlives its calls to the hub (15 s each): a slow hub is answered 504, not cut off mid-request
      timeoutSeconds: 25,
      memoryMb: 256,
      tables: { AuditLog: "readWrite" },
      discovery: ["invoke-hub-internal-api", "send-hub-audit"],
      calls: [HUB_CALLS.practitionerCheck, ...HUB_CALLS.telemedicine],
    },
  ],
  cityRoutes: [
    { method: "POST", path: "/fhir/ServiceRequest", function: "TelemedicineProxy" },
    { method: "GET", path: "/fhir/Task", function: "TelemedicineProxy" },
    { method: "GET", path: "/fhir/Task/{id}", function: "TelemedicineProxy" },
    { method: "PUT", path: "/fhir/Task/{id}", function: "TelemedicineProxy" },
    { method: "GET", path: "/fhir/Slot", function: "TelemedicineProxy" },
    { method: "POST", path: "/fhir/Appointment/$hold", function: "TelemedicineProxy" },
    { method: "POST", path: "/fhir/Appointment/$book", function: "TelemedicineProxy" },
    { method: "PUT", path: "/fhir/Appointment/{id}", function: "TelemedicineProxy" },
    { method: "GET", path: "/fhir/Appointment/{id}", function: "TelemedicineProxy" },
  ],
};
