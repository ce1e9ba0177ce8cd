/**
 * Operator API: stewardship of the master patient index (docs/mpi.md). Every call is audited at the
 * hub (recordHubAccess), refusals included; every change writes new, versioned resident records.
 *   GET  /mpi/review                       the review queue, with each resident's candidates
 *   GET  /mpi/residents/{empi}             a resident, its hospitals' Patients and its versions
 *   POST /mpi/link      {source, empi}     a hospital's record to a resident
 *   POST /mpi/unlink    {source}           a hospital's record to a new resident of its own
 *   POST /mpi/merge     {survivor, merged} the merged EMPI answers replaced-by the survivor
 *   POST /mpi/unmerge   {merged}           undoes a merge
 *   POST /mpi/residents/{empi}/dismiss-review   keeps a resident awaiting review as a resident of its own
 */
import type { AuditAction } from "#domain/audit.ts";
import { isRefusal } from "#domain/errors.ts";
import { empiIdentifier } from "#domain/named-patients.ts";
import {
  dismissRequestSchema,
  linkRequestSchema,
  mergeRequestSchema,
  unlinkRequestSchema,
  unmergeRequestSchema,
} from "#schemas/patient.ts";
import { type HttpRequest, type HttpResult, httpRouter } from "#shared/http.ts";
import { recordHubAccess } from "#use-cases/audit.ts";
import {
  dismissReview,
  linkRecord,
  listReview,
  mergeResidents,
  reviewLimit,
  type StewardshipResult,
  showResident,
  unlinkRecord,
  unmergeResident,
} from "#use-cases/mpi/stewardship.ts";
import { stewardshipWiring } from "#wiring/mpi.ts";

const { deps, auditRepository } = stewardshipWiring();

/** Runs one stewardship operation and records exactly one hub AuditEvent for it, refusals included */
const audited =
  (run: (request: HttpRequest) => Promise<StewardshipResult>) =>
  async (request: HttpRequest): Promise<HttpResult> => {
    const action: AuditAction = request.method === "GET" ? "R" : "U";
    const access = { action, interaction: "operation" as const, node: "hub", operator: true, query: `${request.method} ${request.path}` };
    const named = request.pathParameters.empi ? [empiIdentifier(request.pathParameters.empi)] : [];
    let result: StewardshipResult;
    try {
      result = await run(request);
    } catch (error) {
      if (isRefusal(error)) {
        await recordHubAccess(auditRepository, { ...access, patients: named, result: "refused", detail: error.message });
      }
      throw error;
    }
    await recordHubAccess(auditRepository, { ...access, patients: result.patients, result: "success" });
    return { statusCode: 200, body: result.body, headers: { "content-type": "application/json" } };
  };

export const handler = httpRouter({
  "GET /mpi/review": audited((request) => listReview(deps, reviewLimit(request.query._count?.[0]))),
  "GET /mpi/residents/{empi}": audited((request) => showResident(deps, request.pathParameters.empi!)),
  "POST /mpi/residents/{empi}/dismiss-review": audited((request) =>
    dismissReview(deps, request.pathParameters.empi!, request.body(dismissRequestSchema).reason),
  ),
  "POST /mpi/link": audited((request) => linkRecord(deps, request.body(linkRequestSchema))),
  "POST /mpi/unlink": audited((request) => unlinkRecord(deps, request.body(unlinkRequestSchema))),
  "POST /mpi/merge": audited((request) => mergeResidents(deps, request.body(mergeRequestSchema))),
  "POST /mpi/unmerge": audited((request) => unmergeResident(deps, request.body(unmergeRequestSchema))),
});
