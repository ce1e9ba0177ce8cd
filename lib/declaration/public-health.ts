/**
 * Public health (docs/public-health.md, issue 17): the hub keeps the notifiable-disease case reports
 * and the diagnoses awaiting one (CaseReports), watched every minute on the province clock; the
 * cities take their hospitals' messages and lists and forward them over the hub's internal API.
 * Spread into hub.ts and city.ts; held by the hub's exchange stack, beside the inboxes it reminds through.
 */
import { HUB_CALLS, NODE_IDENTITY_TABLES } from "./calls.ts";
import { DEPARTMENT_EXCHANGE_GRANTS } from "./departments.ts";
import { MPI_HUB_TABLES } from "./mpi.ts";
import type { DeclarationPart, FunctionDeclaration } from "./types.ts";

/** What running a month takes (the operator's route and the daily schedule alike): the counted sources, the MPI (each counted resident's sex, for the strata), the exchange (sent to the health commission) */
const MONTHLY_RUN = {
  tables: {
    MeasureReports: "readWrite",
    CaseReports: "read",
    RecordLocator: "read",
    ...Object.fromEntries(MPI_HUB_TABLES.map((t) => [t.id, "read" as const])),
    ...DEPARTMENT_EXCHANGE_GRANTS.tables,
  },
  sendsTo: [...DEPARTMENT_EXCHANGE_GRANTS.sendsTo],
  discovery: ["list-cities"],
} satisfies Pick<FunctionDeclaration, "tables" | "sendsTo" | "discovery">;

export const PUBLIC_HEALTH: DeclarationPart = {
  hubStack: "exchange",
  hubTables: [
    {
      id: "MeasureReports",
      partitionKey: "period",
      sortKey: "cityId",
      description: "The monthly figures of public health: one MeasureReport per calendar month (CST) and city",
    },
    {
      id: "CaseReports",
      partitionKey: "pk",
      sortKey: "sk",
      description:
        "Notifiable-disease case reports, the hospitals' messages handled, residents' reports per disease, and the diagnoses awaiting a report",
    },
  ],
  hubFunctions: [
    {
      id: "MeasureReports",
      entry: "lambdas/handlers/hub/measure-reports.ts",
      description: "The monthly figures of public health per city (MeasureReports): run a month (operator), search them",
      timeoutSeconds: 300,
      memoryMb: 512,
      ...MONTHLY_RUN,
    },
    {
      id: "MonthlyFigures",
      entry: "lambdas/handlers/hub/monthly-figures.ts",
      description: "Daily: counts the previous calendar month (CST) into its MeasureReports, unchanged ones left as they are",
      timeoutSeconds: 900,
      memoryMb: 512,
      ...MONTHLY_RUN,
      trigger: { kind: "schedule", everyMinutes: 1440 },
    },
    {
      id: "PublicHealth",
      entry: "lambdas/handlers/hub/public-health.ts",
      description: "Case reports: received from the cities, folded, sent to disease control; the hospitals' and the operator's lists",
      timeoutSeconds: 15,
      memoryMb: 256,
      tables: { CaseReports: "readWrite", ...NODE_IDENTITY_TABLES, ...DEPARTMENT_EXCHANGE_GRANTS.tables },
      sendsTo: [...DEPARTMENT_EXCHANGE_GRANTS.sendsTo],
      discovery: ["send-city-push"],
    },
    {
      id: "CaseReportWatch",
      entry: "lambdas/handlers/hub/case-report-watch.ts",
      description:
        "Every minute: reminds hospitals at half a case report's deadline, flags missing ones at it, retries unforwarded reports",
      timeoutSeconds: 60,
      memoryMb: 256,
      tables: { CaseReports: "readWrite", ...DEPARTMENT_EXCHANGE_GRANTS.tables },
      sendsTo: [...DEPARTMENT_EXCHANGE_GRANTS.sendsTo],
      discovery: ["send-city-push"],
      trigger: { kind: "schedule", everyMinutes: 1 },
    },
  ],
  hubOperatorRoutes: [
    { method: "POST", path: "/public-health/monthly", function: "MeasureReports" },
    { method: "GET", path: "/fhir/MeasureReport", function: "MeasureReports" },
    { method: "GET", path: "/public-health/case-reports", function: "PublicHealth" },
    { method: "GET", path: "/public-health/overdue", function: "PublicHealth" },
  ],
  hubInternalRoutes: [
    { method: "POST", path: "/internal/public-health/case-reports", function: "PublicHealth" },
    { method: "GET", path: "/internal/public-health/case-reports", function: "PublicHealth" },
    { method: "POST", path: "/internal/public-health/expectations", function: "PublicHealth" },
  ],
  cityFunctions: [
    {
      id: "CaseReporting",
      entry: "lambdas/handlers/city/case-reporting.ts",
      description: "A hospital's notifiable-disease case reports (FHIR messaging) and its list of them, at the hub; audited",
      timeoutSeconds: 15,
      memoryMb: 256,
      tables: { AuditLog: "readWrite" },
      discovery: ["invoke-hub-internal-api", "send-hub-audit"],
      calls: [HUB_CALLS.practitionerCheck, HUB_CALLS.pix, ...HUB_CALLS.caseReports],
    },
  ],
  cityRoutes: [
    { method: "POST", path: "/fhir/$process-message", function: "CaseReporting" },
    { method: "GET", path: "/fhir/$case-reports", function: "CaseReporting" },
  ],
};
