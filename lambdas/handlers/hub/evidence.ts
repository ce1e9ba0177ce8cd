/**
 * The department exchange's evidence log (docs/departments.md#evidence-log):
 *   GET /xchg/evidence/{messageId}                   (operator; a member party to the message) its entries and the batches sealing them
 *   GET /xchg/evidence?from=<ISO time>&after=<seq>&limit=<n>   (operator) sealed batches with their entries and the public key,
 *                                                    for `npm run operator -- evidence-verify`
 * Each read is audited (the reader; evidence holds hashes and parties, no clinical content).
 */
import { BadRequestError, ForbiddenError, isRefusal } from "#domain/errors.ts";
import { type HttpRequest, httpRouter } from "#shared/http.ts";
import { recordHubAccess } from "#use-cases/audit.ts";
import { evidenceOf, sealedBatches } from "#use-cases/departments/evidence.ts";
import { auditRepository } from "#wiring/audit.ts";
import { readerDeps } from "#wiring/evidence.ts";

const { store, key } = readerDeps();
const audit = auditRepository();

async function audited<T>(request: HttpRequest, act: (member: string | undefined) => Promise<T>): Promise<T> {
  const principal = request.principal;
  const member = principal?.kind === "member" ? principal.memberId : undefined;
  const access = {
    action: "R" as const,
    interaction: "read" as const,
    node: "hub",
    patients: [],
    resource: "Evidence",
    ...(member ? { memberId: member } : { operator: principal?.kind === "operator" }),
  };
  try {
    if (!member && principal?.kind !== "operator")
      throw new ForbiddenError("The operator or a member of the exchange reads evidence", "Authorization");
    const result = await act(member);
    await recordHubAccess(audit, { ...access, result: "success" });
    return result;
  } catch (error) {
    if (isRefusal(error)) await recordHubAccess(audit, { ...access, result: "refused", detail: error.message });
    throw error;
  }
}

const one = (request: HttpRequest, name: string): string | undefined => {
  const values = request.query[name];
  if (values && values.length > 1) throw new BadRequestError(`${name} is given once`, name);
  return values?.[0];
};

function listQuery(request: HttpRequest) {
  const from = one(request, "from") ?? "1970-01-01T00:00:00.000Z";
  if (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(from) || Number.isNaN(Date.parse(from)))
    throw new BadRequestError("from is a date (YYYY-MM-DD) or an ISO time", "from");
  const after = Number(one(request, "after") ?? "0");
  if (!Number.isSafeInteger(after) || after < 0) throw new BadRequestError("after is a sequence number ≥ 0", "after");
  const limit = Number(one(request, "limit") ?? "20");
  if (!Number.isInteger(limit) || limit < 1 || limit > 50) throw new BadRequestError("limit is an integer from 1 to 50", "limit");
  return { from: new Date(Date.parse(from)).toISOString(), afterSeq: after, limit };
}

export const handler = httpRouter({
  "GET /xchg/evidence/{messageId}": async (request) => {
    const messageId = request.pathParameters.messageId!;
    const body = await audited(request, (member) => evidenceOf(store, messageId, member ? { member } : {}));
    return { statusCode: 200, body };
  },
  "GET /xchg/evidence": async (request) => {
    const query = listQuery(request);
    const body = await audited(request, async (member) => {
      if (member) throw new ForbiddenError("The evidence log's batches are the operator's", "Authorization");
      return sealedBatches({ store, key }, query);
    });
    return { statusCode: 200, body };
  },
});
