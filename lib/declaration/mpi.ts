/**
 * The master patient index (population database) in the node declarations: its hub tables and
 * functions, the hub's operator and internal routes, and the city functions and routes, spread into
 * hub.ts and city.ts. docs/mpi.md describes the endpoints, docs/adr/0006 and 0008 the design.
 */
import { HUB_CALLS, NODE_IDENTITY_TABLES } from "./calls.ts";
import type { FunctionDeclaration, QueueDeclaration, RouteDeclaration, TableDeclaration } from "./types.ts";

const MPI_TABLE_ACCESS = {
  Residents: "readWrite",
  ResidentKeys: "readWrite",
  PatientRecords: "readWrite",
  PatientSearch: "readWrite",
} as const;
const MPI_TABLE_READ = { Residents: "read", ResidentKeys: "read", PatientRecords: "read", PatientSearch: "read" } as const;

export const MPI_HUB_TABLES: TableDeclaration[] = [
  {
    id: "Residents",
    partitionKey: "empi",
    sortKey: "revision",
    description: "Master patient index: every version of every resident (append-only, each written only if absent)",
  },
  {
    id: "ResidentKeys",
    partitionKey: "key",
    sortKey: "empi",
    description: "MPI blocking-key partitions, resident ID number claims, the review queue and the EMPI sequence",
  },
  {
    id: "PatientRecords",
    partitionKey: "sourceKey",
    description: "Hospitals' patient records by MRN (system|value), with the resident holding each, versioned",
  },
  { id: "PatientSearch", partitionKey: "term", sortKey: "sourceKey", description: "PDQm search entries of the hospitals' patient records" },
];

export const MPI_HUB_QUEUES: QueueDeclaration[] = [
  {
    id: "ResidentIdRegistrations",
    fifo: false,
    visibilityTimeoutSeconds: 90,
    maxReceiveCount: 5,
    retentionDays: 14,
    description: "Newborns' resident ID numbers public security registered (the department exchange's), for the MPI to add",
  },
];

export const MPI_HUB_FUNCTIONS: FunctionDeclaration[] = [
  {
    id: "MpiFeed",
    entry: "lambdas/handlers/hub/mpi-feed.ts",
    description: "Internal: patient feed (PIXm ITI-104), matched into the master patient index",
    timeoutSeconds: 15,
    memoryMb: 1024,
    // DepartmentExchange, ResidentEvents: a reported death marks the resident deceased (docs/departments.md#deaths)
    tables: { ...MPI_TABLE_ACCESS, Activity: "write", ...NODE_IDENTITY_TABLES, DepartmentExchange: "readWrite" },
    sendsTo: ["ResidentEvents"],
  },
  {
    id: "MpiResidentIds",
    entry: "lambdas/handlers/hub/mpi-resident-ids.ts",
    description: "Adds newborns' registered resident ID numbers to their records (household registrations, docs/departments.md#births)",
    timeoutSeconds: 15,
    memoryMb: 1024,
    tables: MPI_TABLE_ACCESS,
    trigger: { kind: "queue", queue: "ResidentIdRegistrations", batchSize: 10, maxBatchingWindowSeconds: 1 },
  },
  {
    id: "MpiQuery",
    entry: "lambdas/handlers/hub/mpi-query.ts",
    description: "Internal: PIXm and PDQm queries of the master patient index",
    timeoutSeconds: 15,
    memoryMb: 512,
    // DepartmentExchange: the deceased state PDQm shows (docs/departments.md#deaths)
    tables: { ...MPI_TABLE_READ, DepartmentExchange: "read" },
  },
  {
    id: "MpiStewardship",
    entry: "lambdas/handlers/hub/mpi-stewardship.ts",
    description: "Operator: the MPI review queue, link, unlink, merge and unmerge, audited",
    timeoutSeconds: 15,
    memoryMb: 512,
    tables: { ...MPI_TABLE_ACCESS, AuditEvents: "readWrite" },
  },
];

export const MPI_HUB_OPERATOR_ROUTES: RouteDeclaration[] = [
  { method: "GET", path: "/mpi/review", function: "MpiStewardship" },
  { method: "GET", path: "/mpi/residents/{empi}", function: "MpiStewardship" },
  { method: "POST", path: "/mpi/residents/{empi}/dismiss-review", function: "MpiStewardship" },
  { method: "POST", path: "/mpi/link", function: "MpiStewardship" },
  { method: "POST", path: "/mpi/unlink", function: "MpiStewardship" },
  { method: "POST", path: "/mpi/merge", function: "MpiStewardship" },
  { method: "POST", path: "/mpi/unmerge", function: "MpiStewardship" },
];

export const MPI_HUB_INTERNAL_ROUTES: RouteDeclaration[] = [
  { method: "POST", path: "/internal/fhir/Patient", function: "MpiFeed" },
  { method: "PUT", path: "/internal/fhir/Patient", function: "MpiFeed" },
  { method: "GET", path: "/internal/fhir/Patient", function: "MpiQuery" },
  { method: "GET", path: "/internal/fhir/Patient/$ihe-pix", function: "MpiQuery" },
];

const cityPatientFunction = (id: string, entry: string, description: string, calls: string[]): FunctionDeclaration => ({
  id,
  entry,
  description,
  timeoutSeconds: 15,
  memoryMb: 256,
  tables: { AuditLog: "readWrite" },
  discovery: ["invoke-hub-internal-api", "send-hub-audit"],
  calls: [HUB_CALLS.practitionerCheck, ...calls],
});

export const MPI_CITY_FUNCTIONS: FunctionDeclaration[] = [
  cityPatientFunction(
    "PatientFeed",
    "lambdas/handlers/city/patient-feed.ts",
    "Patient feed (PIXm ITI-104) to the hub's master patient index, audited",
    [...HUB_CALLS.patientFeed],
  ),
  cityPatientFunction(
    "PatientQuery",
    "lambdas/handlers/city/patient-query.ts",
    "PIXm and PDQm queries of the hub's master patient index, audited",
    [HUB_CALLS.pdq, HUB_CALLS.pix, HUB_CALLS.privacyContext],
  ),
];

export const MPI_CITY_ROUTES: RouteDeclaration[] = [
  { method: "POST", path: "/fhir/Patient", function: "PatientFeed" },
  { method: "PUT", path: "/fhir/Patient", function: "PatientFeed" },
  { method: "GET", path: "/fhir/Patient", function: "PatientQuery" },
  { method: "GET", path: "/fhir/Patient/$ihe-pix", function: "PatientQuery" },
];
