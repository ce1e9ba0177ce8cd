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
import type { APIGatewayProxyEvent } from "aws-lambda";
import { dynamoAuditRepository } from "#adapters/audit-repository.ts";
import { mpiWiring } from "#adapters/resident-index.ts";
import type { AuditAction } from "#domain/audit.ts";
import { BadRequestError, isRefusal, NotFoundError } from "#domain/errors.ts";
import {
  dismissRequestSchema,
  EMPI_SYSTEM,
  linkRequestSchema,
  mergeRequestSchema,
  unlinkRequestSchema,
  unmergeRequestSchema,
} from "#schemas/patient.ts";
import { tableName } from "#shared/env.ts";
import { httpHandler, parseJsonBody } from "#shared/http.ts";
import { recordHubAccess } from "#use-cases/audit.ts";
import {
  dismissReview,
  linkRecord,
  listReview,
  mergeResidents,
  type StewardshipResult,
  showResident,
  unlinkRecord,
  unmergeResident,
} from "#use-cases/mpi/stewardship.ts";

const { deps } = mpiWiring();
const repository = dynamoAuditRepository(tableName("AuditEvents"));

function run(event: APIGatewayProxyEvent): Promise<StewardshipResult> {
  const empi = event.pathParameters?.empi ?? "";
  switch (event.resource) {
    case "/mpi/review": {
      const limit = Number(event.queryStringParameters?._count ?? "50");
      if (!Number.isInteger(limit) || limit < 1 || limit > 200)
        throw new BadRequestError("_count must be an integer from 1 to 200", "_count");
      return listReview(deps, limit);
    }
    case "/mpi/residents/{empi}":
      return showResident(deps, empi);
    case "/mpi/residents/{empi}/dismiss-review":
      return dismissReview(deps, empi, parseJsonBody(event, dismissRequestSchema).reason);
    case "/mpi/link":
      return linkRecord(deps, parseJsonBody(event, linkRequestSchema));
    case "/mpi/unlink":
      return unlinkRecord(deps, parseJsonBody(event, unlinkRequestSchema));
    case "/mpi/merge":
      return mergeResidents(deps, parseJsonBody(event, mergeRequestSchema));
    case "/mpi/unmerge":
      return unmergeResident(deps, parseJsonBody(event, unmergeRequestSchema));
    default:
      throw new NotFoundError(`${event.resource} is not a stewardship endpoint`);
  }
}

export const handler = httpHandler(async (event) => {
  const action: AuditAction = event.httpMethod === "GET" ? "R" : "U";
  const access = { action, interaction: "operation" as const, node: "hub", operator: true, query: `${event.httpMethod} ${event.path}` };
  const named = event.pathParameters?.empi ? [{ system: EMPI_SYSTEM, value: event.pathParameters.empi }] : [];
  let result: StewardshipResult;
  try {
    result = await run(event);
  } catch (error) {
    if (isRefusal(error)) {
      await recordHubAccess(repository, { ...access, patients: named, result: "refused", detail: error.message });
    }
    throw error;
  }
  await recordHubAccess(repository, { ...access, patients: result.patients, result: "success" });
  return { statusCode: 200, body: result.body, headers: { "content-type": "application/json" } };
});
