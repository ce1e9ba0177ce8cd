/**
 * The route catalogue of the fuzzing (docs/security.md, "Fuzzing"): for every route the node
 * declarations serve, the schemas of what a caller sends it: path parameters, query parameters,
 * headers and the JSON body, taken from `schemas/` where a contract exists (bodies, the PIXm, PDQm
 * and inbox queries) and from the search parameters the CapabilityStatement declares otherwise.
 * Routes do not name their request schemas, so this is the one place that does; `declaredRoutes()`
 * walks the declarations, and a declared route without an entry here is a failing test
 * (test/fuzz/routes.test.ts): a new route gets its fuzz entry with it.
 */
import { z } from "zod";
import { CITY_DECLARATION } from "#lib/declaration/city.ts";
import { HUB_DECLARATION } from "#lib/declaration/hub.ts";
import { SEARCH_PARAMETERS, type SearchParamType } from "#lib/declaration/search-parameters.ts";
import type { ApiAuth, ApiDeclaration, NodeDeclaration, RouteDeclaration } from "#lib/declaration/types.ts";
import { authenticateRequestSchema } from "#schemas/auth.ts";
import { breakGlassQuerySchema, breakGlassReviewSchema, consentSchema, decideParametersSchema } from "#schemas/consent.ts";
import { accessDecisionSchema, accessRequestSchema, messageBundleSchema } from "#schemas/departments.ts";
import { documentReferenceSchema, transactionBundleSchema, uploadUrlRequestSchema } from "#schemas/documents.ts";
import {
  catalogueDeltaSchema,
  deviceDeltaSchema,
  parseUdiRequestSchema,
  recallRequestSchema,
  traceCheckSchema,
  traceScanRequestSchema,
  traceScanSchema,
} from "#schemas/drugs.ts";
import { encounterSchema } from "#schemas/encounter.ts";
import { heartbeatBodySchema } from "#schemas/fep.ts";
import { FHIR_ID } from "#schemas/fhir.ts";
import { cardStatusSchema, issueCardSchema, verifyCardSchema } from "#schemas/health-card.ts";
import { ACTING_HOSPITAL_HEADER, practitionerCheckRequestSchema } from "#schemas/internal.ts";
import { rotateRequestSchema } from "#schemas/onboarding.ts";
import {
  dismissRequestSchema,
  feedPatientSchema,
  linkRequestSchema,
  mergeRequestSchema,
  pdqmQuerySchema,
  pixmQuerySchema,
  unlinkRequestSchema,
  unmergeRequestSchema,
} from "#schemas/patient.ts";
import { privacyContextRequestSchema } from "#schemas/privacy.ts";
import {
  caseMessageSchema,
  caseReportQuerySchema,
  expectationsRequestSchema,
  messageHeaderSchema,
  reportedConditionSchema,
} from "#schemas/public-health.ts";
import { inboxPollQuerySchema, subscriptionRequestSchema, subscriptionSearchSchema } from "#schemas/push.ts";
import { locationSchema, organizationSchema, practitionerRoleSchema, practitionerSchema } from "#schemas/registry.ts";
import { claimSchema } from "#schemas/settlement.ts";
import { serviceRequestSchema, taskSearchSchema, taskUpdateSchema } from "#schemas/telemedicine.ts";
import { appointmentUpdateSchema, schedulingParametersSchema, slotSearchSchema } from "#schemas/telemedicine-scheduling.ts";
import type { FuzzRequest } from "./requests.ts";

export type FuzzNode = "hub" | "city";

/** One declared route, with the API that serves it */
export interface DeclaredRoute {
  node: FuzzNode;
  api: ApiDeclaration;
  route: RouteDeclaration;
  auth: ApiAuth;
  /** "<node> <METHOD> <path>": the catalogue's key */
  key: string;
}

/** What a caller sends a route, as zod schemas; every part absent is "nothing" */
export interface RouteFuzz {
  /** Path parameters; any not named here is a FHIR id */
  path?: Record<string, z.ZodType>;
  /** Query parameters: an object of strings (arrays: a repeated parameter) */
  query?: z.ZodType;
  /** The JSON body */
  body?: z.ZodType;
  /** Headers the route reads besides the practitioner's (If-Match…) */
  headers?: Record<string, z.ZodType>;
  /** Adjusts a generated request that would wait in real time (a long poll) to one that answers at once */
  tame?: (request: FuzzRequest) => FuzzRequest;
}

/** Every route of the hub's and a city's declarations (every city serves the same routes) */
export function declaredRoutes(): DeclaredRoute[] {
  const of = (node: FuzzNode, declaration: NodeDeclaration) =>
    declaration.apis.flatMap((api) =>
      api.routes.map((route) => ({
        node,
        api,
        route,
        auth: route.auth ?? api.defaultAuth,
        key: `${node} ${route.method} ${route.path}`,
      })),
    );
  return [...of("hub", HUB_DECLARATION), ...of("city", CITY_DECLARATION)];
}

// ——— query parameters, by the type the CapabilityStatement declares for them ———

const token = z.string().regex(/^[!-{}~]{1,80}\|[!-{}~]{1,40}$/);
const PARAMETER_SCHEMAS: Record<SearchParamType, z.ZodType> = {
  string: z.string().min(1).max(50),
  token,
  reference: z.string().regex(/^[A-Z][A-Za-z]{2,20}\/[A-Za-z0-9\-.]{1,64}$/),
  date: z.string().regex(/^(eq|ge|le|gt|lt)?20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])$/),
};
const count = z.string().regex(/^[1-9][0-9]?$/);

/** The search parameters of a resource type (SEARCH_PARAMETERS), each optional, and _count */
const searchOf = (type: string): z.ZodType =>
  z.object({
    ...Object.fromEntries(Object.entries(SEARCH_PARAMETERS[type] ?? {}).map(([name, kind]) => [name, PARAMETER_SCHEMAS[kind].optional()])),
    _count: count.optional(),
  });

const empi = z.string().regex(/^E\d{13}$/);
const ifMatch = z.string().regex(/^W\/"[0-9]{1,3}"$/);
const hospitalHeader = { [ACTING_HOSPITAL_HEADER]: z.string().regex(/^[a-z]{2,3}[0-9]{3}$/) };
/** PUT /fhir/DocumentReference/{id}: the withdrawal's body (lambdas/handlers/city/document-publish.ts) */
/** A case-report message: its MessageHeader, then the Condition (the hospital's message Bundle is read loosely) */
const caseMessageBundle = z.object({
  resourceType: z.literal("Bundle"),
  type: z.literal("message"),
  entry: z.tuple([z.object({ resource: messageHeaderSchema }), z.object({ resource: reportedConditionSchema })]),
});
const withdrawal = documentReferenceSchema.partial().required({ resourceType: true, status: true });
/** GET /fhir/Consent: the resident, `<system>|<value>` */
const consentQuery = z.strictObject({ "patient.identifier": z.string().regex(/^[^|]+\|.+$/) });
/** POST/PUT/DELETE on the audit trail: refused (405) whatever they carry */
const auditEvent = z.object({ resourceType: z.literal("AuditEvent"), id: z.string().optional() });

const registryReads = (prefix: string, node: FuzzNode): [string, RouteFuzz][] =>
  ["Organization", "Location", "Practitioner", "PractitionerRole"].flatMap((type): [string, RouteFuzz][] => [
    [`${node} GET ${prefix}/fhir/${type}`, { query: searchOf(type) }],
    [`${node} GET ${prefix}/fhir/${type}/{id}`, {}],
  ]);
const staffWrites = (prefix: string, node: FuzzNode, headers?: RouteFuzz["headers"]): [string, RouteFuzz][] => [
  [`${node} POST ${prefix}/fhir/Practitioner`, { body: practitionerSchema, headers }],
  [`${node} POST ${prefix}/fhir/PractitionerRole`, { body: practitionerRoleSchema, headers }],
  [`${node} PUT ${prefix}/fhir/PractitionerRole/{id}`, { body: practitionerRoleSchema, headers: { ...headers, "if-match": ifMatch } }],
];
const patientFeed = (prefix: string, node: FuzzNode, headers?: RouteFuzz["headers"]): [string, RouteFuzz][] => [
  [`${node} POST ${prefix}/fhir/Patient`, { body: feedPatientSchema, headers }],
  [`${node} PUT ${prefix}/fhir/Patient`, { body: feedPatientSchema, query: z.object({ identifier: token }), headers }],
  [`${node} GET ${prefix}/fhir/Patient`, { query: pdqmQuerySchema, headers }],
  [`${node} GET ${prefix}/fhir/Patient/$ihe-pix`, { query: pixmQuerySchema, headers }],
];

/** Every declared route's request schemas, by "<node> <METHOD> <path>" */
export const FUZZ_ROUTES: Record<string, RouteFuzz> = Object.fromEntries<RouteFuzz>([
  // ——— the hub's Operator API ———
  ["hub GET /health", {}],
  ["hub GET /fhir/metadata", {}],
  ["hub GET /dashboard", {}],
  ["hub GET /connections", {}],
  ["hub GET /ops/summary", {}],
  ...registryReads("", "hub"),
  ["hub POST /fhir/Organization", { body: organizationSchema }],
  ["hub PUT /fhir/Organization/{id}", { body: organizationSchema, headers: { "if-match": ifMatch } }],
  ["hub POST /fhir/Location", { body: locationSchema }],
  ["hub PUT /fhir/Location/{id}", { body: locationSchema, headers: { "if-match": ifMatch } }],
  ["hub PUT /fhir/Practitioner/{id}", { body: practitionerSchema, headers: { "if-match": ifMatch } }],
  ["hub POST /fhir/PractitionerRole/{id}/$approve", {}],
  ["hub POST /fhir/PractitionerRole/{id}/$reject", {}],
  ["hub POST /hospitals", { body: organizationSchema }],
  // no body rotates with the default grace period
  ["hub POST /hospitals/{hospitalId}/credentials", { body: rotateRequestSchema.optional() }],
  ["hub DELETE /hospitals/{hospitalId}/credentials", {}],
  ["hub GET /fhir/AuditEvent", { query: searchOf("AuditEvent") }],
  ["hub POST /fhir/AuditEvent", { body: auditEvent }],
  ["hub GET /fhir/AuditEvent/{id}", {}],
  ["hub PUT /fhir/AuditEvent/{id}", { body: auditEvent }],
  ["hub DELETE /fhir/AuditEvent/{id}", {}],
  ["hub GET /audit/access-report", { query: z.object({ "patient.identifier": token }) }],
  ["hub GET /mpi/review", { query: z.object({ _count: count.optional() }) }],
  ["hub GET /mpi/residents/{empi}", { path: { empi } }],
  ["hub POST /mpi/residents/{empi}/dismiss-review", { path: { empi }, body: dismissRequestSchema }],
  ["hub POST /mpi/link", { body: linkRequestSchema }],
  ["hub POST /mpi/unlink", { body: unlinkRequestSchema }],
  ["hub POST /mpi/merge", { body: mergeRequestSchema }],
  ["hub POST /mpi/unmerge", { body: unmergeRequestSchema }],
  [
    "hub GET /settlement/reconciliation",
    {
      query: z.object({
        date: PARAMETER_SCHEMAS.date,
        hospital: z
          .string()
          .regex(/^[a-z]{2,3}[0-9]{3}$/)
          .optional(),
      }),
    },
  ],
  ["hub POST /health-card/status", { body: cardStatusSchema }],
  ["hub GET /telemedicine/kpis", { query: z.object({ from: PARAMETER_SCHEMAS.date, to: PARAMETER_SCHEMAS.date }) }],
  // the department exchange (docs/departments.md)
  ["hub POST /xchg/messages", { body: messageBundleSchema }],
  ["hub GET /xchg/services", {}],
  ["hub GET /xchg/services/{serviceId}/allowed", { path: { serviceId: z.enum(["death-notification", "household-death", "nothing"]) } }],
  ["hub POST /xchg/access-requests", { body: accessRequestSchema }],
  ["hub GET /xchg/access-requests", {}],
  ["hub GET /xchg/reconciliation", { query: z.object({ month: z.string().regex(/^20[0-9]{2}-(0[1-9]|1[0-2])$/) }) }],
  ["hub POST /xchg/access-requests/{id}/decision", { body: accessDecisionSchema }],
  ["hub GET /xchg/evidence/{messageId}", { path: { messageId: z.enum(["death-nobody", "m-1", "nothing"]) } }],
  [
    "hub GET /xchg/evidence",
    {
      query: z.object({
        from: z
          .string()
          .regex(/^20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])$/)
          .optional(),
        after: z
          .string()
          .regex(/^[0-9]{1,6}$/)
          .optional(),
        limit: z
          .string()
          .regex(/^([1-9]|[1-4][0-9]|50)$/)
          .optional(),
      }),
    },
  ],
  [
    "hub GET /health-card/usage",
    {
      query: z.object({
        date: PARAMETER_SCHEMAS.date,
        city: z
          .string()
          .regex(/^[a-z]{3,20}$/)
          .optional(),
      }),
    },
  ],
  [
    "hub GET /fhir/MedicationKnowledge",
    {
      query: z.object({
        code: z.string().min(1).max(60).optional(),
        _lastUpdated: PARAMETER_SCHEMAS.date.optional(),
        _count: z
          .string()
          .regex(/^\d{1,4}$/)
          .optional(),
      }),
    },
  ],
  ["hub POST /drugs/import", { body: catalogueDeltaSchema }],
  ["hub POST /devices/import", { body: deviceDeltaSchema }],
  ["hub GET /drugs/trace-alerts", {}],
  ["hub GET /devices/recall", { query: z.object({ di: z.string().min(1).max(24), lot: z.string().min(1).max(20).optional() }) }],
  ["hub POST /devices/recall", { body: recallRequestSchema }],
  ["hub GET /privacy/break-glass", { query: breakGlassQuerySchema }],
  ["hub GET /public-health/case-reports", { query: caseReportQuerySchema }],
  ["hub GET /public-health/overdue", {}],
  ["hub POST /public-health/monthly", { query: z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/) }) }],
  [
    "hub GET /fhir/MeasureReport",
    {
      query: z.object({
        period: z
          .string()
          .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
          .optional(),
        subject: z.string().min(1).max(40).optional(),
      }),
    },
  ],
  ["hub POST /privacy/break-glass/{id}/review", { body: breakGlassReviewSchema }],
  // ——— the hub's Internal API (IAM: the city functions that call it) ———
  ["hub POST /internal/authenticate", { body: authenticateRequestSchema }],
  ["hub POST /internal/practitioner-check", { body: practitionerCheckRequestSchema }],
  ...registryReads("/internal", "hub"),
  ...staffWrites("/internal", "hub", hospitalHeader),
  ...patientFeed("/internal", "hub", hospitalHeader),
  ["hub GET /internal/record-locator/{empi}", { path: { empi } }],
  ["hub POST /internal/fhir/Subscription", { body: subscriptionRequestSchema, headers: hospitalHeader }],
  ["hub GET /internal/fhir/Subscription", { query: subscriptionSearchSchema, headers: hospitalHeader }],
  ["hub GET /internal/fhir/Subscription/{id}", { headers: hospitalHeader }],
  ["hub DELETE /internal/fhir/Subscription/{id}", { headers: hospitalHeader }],
  ["hub GET /internal/fhir/ClaimResponse", { query: searchOf("ClaimResponse"), headers: hospitalHeader }],
  ["hub GET /internal/fhir/ClaimResponse/{id}", { headers: hospitalHeader }],
  ["hub POST /internal/health-card/issue", { body: issueCardSchema, headers: hospitalHeader }],
  ["hub POST /internal/health-card/verify", { body: verifyCardSchema, headers: hospitalHeader }],
  ["hub POST /internal/health-card/status", { body: cardStatusSchema, headers: hospitalHeader }],
  ["hub GET /internal/fhir/MedicationKnowledge", { query: searchOf("MedicationKnowledge") }],
  ["hub POST /internal/drugs/trace-scan", { body: traceScanSchema, headers: hospitalHeader }],
  ["hub POST /internal/drugs/trace-check", { body: traceCheckSchema, headers: hospitalHeader }],
  ["hub GET /internal/devices/definition", { query: z.object({ di: z.string().min(1).max(24) }) }],
  ["hub POST /internal/fhir/Consent", { body: consentSchema, headers: hospitalHeader }],
  ["hub GET /internal/fhir/Consent", { query: consentQuery, headers: hospitalHeader }],
  ["hub PUT /internal/fhir/Consent/{id}", { body: consentSchema, headers: hospitalHeader }],
  ["hub POST /internal/privacy/context", { body: privacyContextRequestSchema, headers: hospitalHeader }],
  ["hub POST /internal/telemedicine/ServiceRequest", { body: serviceRequestSchema, headers: hospitalHeader }],
  ["hub GET /internal/telemedicine/Task", { query: taskSearchSchema, headers: hospitalHeader }],
  ["hub GET /internal/telemedicine/Task/{id}", { headers: hospitalHeader }],
  ["hub GET /internal/telemedicine/Appointment/{id}", { headers: hospitalHeader }],
  ["hub PUT /internal/telemedicine/Task/{id}", { body: taskUpdateSchema, headers: { ...hospitalHeader, "if-match": ifMatch } }],
  ["hub GET /internal/telemedicine/Slot", { query: slotSearchSchema, headers: hospitalHeader }],
  ["hub POST /internal/telemedicine/Appointment/$hold", { body: schedulingParametersSchema, headers: hospitalHeader }],
  ["hub POST /internal/telemedicine/Appointment/$book", { body: schedulingParametersSchema, headers: hospitalHeader }],
  [
    "hub PUT /internal/telemedicine/Appointment/{id}",
    { body: appointmentUpdateSchema, headers: { ...hospitalHeader, "if-match": ifMatch } },
  ],
  ["hub POST /internal/public-health/case-reports", { body: caseMessageSchema, headers: hospitalHeader }],
  [
    "hub GET /internal/public-health/case-reports",
    { query: caseReportQuerySchema.pick({ status: true, from: true }), headers: hospitalHeader },
  ],
  ["hub POST /internal/public-health/expectations", { body: expectationsRequestSchema, headers: hospitalHeader }],
  // ——— a city's Hospital API ———
  ["city GET /health", {}],
  ["city GET /fhir/metadata", {}],
  ["city POST /fep/heartbeat", { body: heartbeatBodySchema }],
  ...registryReads("", "city"),
  ...staffWrites("", "city"),
  ...patientFeed("", "city"),
  ["city POST /fhir", { body: transactionBundleSchema }],
  ["city POST /fhir/Binary/$upload-url", { body: uploadUrlRequestSchema }],
  ["city PUT /fhir/DocumentReference/{id}", { body: withdrawal }],
  ["city GET /fhir/DocumentReference", { query: searchOf("DocumentReference") }],
  ["city GET /fhir/DocumentReference/{id}", {}],
  ["city GET /fhir/Binary/{id}", {}],
  ["city GET /fhir/Encounter", { query: searchOf("Encounter") }],
  ["city GET /fhir/Encounter/{id}", {}],
  ["city GET /fhir/Patient/{id}/$everything", { path: { id: empi } }],
  ["city POST /fhir/Encounter", { body: encounterSchema }],
  ["city GET /internal/fhir/Binary/{id}", {}],
  ["city GET /internal/fhir/Encounter/{id}", {}],
  // a long poll waits `wait` real seconds: every such value is sent as 0 (the query stays valid or not as it was)
  [
    "city GET /fep/inbox",
    { query: inboxPollQuerySchema, tame: (r) => ({ ...r, query: r.query.replace(/(^|&)wait=0*[1-9][0-9]?(?=&|$)/g, "$1wait=0") }) },
  ],
  ["city POST /fep/inbox/{communicationId}/ack", {}],
  ["city GET /fhir/Communication/{id}", {}],
  ["city POST /fhir/Subscription", { body: subscriptionRequestSchema }],
  ["city GET /fhir/Subscription", { query: subscriptionSearchSchema }],
  ["city GET /fhir/Subscription/{id}", {}],
  ["city DELETE /fhir/Subscription/{id}", {}],
  ["city POST /fhir/Claim", { body: claimSchema }],
  ["city GET /fhir/ClaimResponse", { query: searchOf("ClaimResponse") }],
  ["city GET /fhir/ClaimResponse/{id}", {}],
  ["city POST /fhir/Patient/$issue-health-card", { body: issueCardSchema }],
  ["city POST /fhir/Patient/$verify-health-card", { body: verifyCardSchema }],
  ["city POST /fhir/Patient/$health-card-status", { body: cardStatusSchema }],
  ["city GET /fhir/MedicationKnowledge", { query: searchOf("MedicationKnowledge") }],
  ["city POST /fhir/Device/$parse-udi", { body: parseUdiRequestSchema }],
  ["city POST /fhir/$trace-scan", { body: traceScanRequestSchema }],
  ["city POST /fhir/Consent", { body: consentSchema }],
  ["city GET /fhir/Consent", { query: consentQuery }],
  ["city PUT /fhir/Consent/{id}", { body: consentSchema }],
  ["city POST /fhir/Consent/$decide", { body: decideParametersSchema }],
  ["city POST /fhir/ServiceRequest", { body: serviceRequestSchema }],
  ["city GET /fhir/Task", { query: taskSearchSchema }],
  ["city GET /fhir/Task/{id}", {}],
  ["city GET /fhir/Appointment/{id}", {}],
  ["city PUT /fhir/Task/{id}", { body: taskUpdateSchema, headers: { "if-match": ifMatch } }],
  ["city GET /fhir/Slot", { query: slotSearchSchema }],
  ["city POST /fhir/Appointment/$hold", { body: schedulingParametersSchema }],
  ["city POST /fhir/Appointment/$book", { body: schedulingParametersSchema }],
  ["city PUT /fhir/Appointment/{id}", { body: appointmentUpdateSchema, headers: { "if-match": ifMatch } }],
  ["city POST /fhir/$process-message", { body: caseMessageBundle }],
  ["city GET /fhir/$case-reports", { query: caseReportQuerySchema.pick({ status: true, from: true }) }],
]);

/** The path parameters of a declared path ("/hospitals/{hospitalId}/credentials" → ["hospitalId"]) */
export const pathParametersOf = (path: string): string[] => [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);

/** A path parameter's schema: the entry's, else a FHIR id (every path id is one: lambdas/shared/http.ts) */
export const pathSchemaOf = (fuzz: RouteFuzz, name: string): z.ZodType => fuzz.path?.[name] ?? z.string().regex(FHIR_ID);
