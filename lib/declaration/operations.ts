/** Operations: the operations summary (the activity counters are the core's: hub.ts) and the dashboard page (issue 7), spread into hub.ts. */
import type { DeclarationPart } from "./types.ts";

export const OPERATIONS: DeclarationPart = {
  hubStack: "operations",
  hubFunctions: [
    {
      id: "OpsSummary",
      entry: "lambdas/handlers/hub/ops-summary.ts",
      description: "Operator: the province at a glance (connected and exchanging hospitals, activity, queues, settlement, MPI review)",
      timeoutSeconds: 20,
      memoryMb: 512,
      tables: {
        Connections: "read",
        RegistryIndex: "read",
        Activity: "read",
        ResidentKeys: "read",
        Settlements: "read",
        Consents: "read",
        // the day's health card use (docs/health-card.md): issues and verifications, the encounters of the visit rate
        HealthCards: "read",
        RecordLocator: "read",
        // the latest month's public-health figures (docs/public-health.md#monthly-figures)
        MeasureReports: "read",
        // the day's telemedicine figures per tier (docs/telemedicine.md#kpis)
        Telemedicine: "read",
      },
      discovery: ["observe-queues", "list-cities"],
    },
    {
      id: "Dashboard",
      entry: "lambdas/handlers/hub/dashboard.ts",
      description: "The operations dashboard page (static; the operator signs in to read the summary)",
      timeoutSeconds: 5,
      memoryMb: 128,
    },
  ],
  hubOperatorRoutes: [
    { method: "GET", path: "/ops/summary", function: "OpsSummary" },
    { method: "GET", path: "/dashboard", function: "Dashboard", auth: { kind: "none" } },
  ],
};
