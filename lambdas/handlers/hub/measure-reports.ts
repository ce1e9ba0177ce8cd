/**
 * The monthly figures of public health at the hub (operator; docs/public-health.md#monthly-figures):
 *   POST /public-health/monthly?month=YYYY-MM   count the month (re-runnable: an unchanged report is left as it is)
 *   GET  /fhir/MeasureReport?period=YYYY-MM&subject=<cityId>   the MeasureReports (searchset Bundle)
 * Aggregate counts only: no resident is named, so nothing here reads patient data.
 */
import { BadRequestError, fieldName } from "#domain/errors.ts";
import { FHIR_JSON } from "#schemas/fhir.ts";
import { httpRouter } from "#shared/http.ts";
import { runMonth } from "#use-cases/public-health/monthly.ts";
import { monthlyDeps } from "#wiring/public-health.ts";

const deps = monthlyDeps();

/** Each of `allowed` at most once, nothing else (400 naming the parameter) */
function single(query: Record<string, string[]>, allowed: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, values] of Object.entries(query)) {
    if (!allowed.includes(name) || values.length !== 1)
      throw new BadRequestError(`${fieldName(name)}: the parameters are ${allowed.join(", ")}, each at most once`, fieldName(name));
    out[name] = values[0]!;
  }
  return out;
}

export const handler = httpRouter({
  "POST /public-health/monthly": async (request) => {
    if (request.rawBody) throw new BadRequestError("body: the month is the query's (month=YYYY-MM); this operation takes no body", "body");
    const { month } = single(request.query, ["month"]);
    if (!month) throw new BadRequestError("month: required, a calendar month YYYY-MM", "month");
    return { statusCode: 200, body: await runMonth(deps, month), headers: { "content-type": "application/json" } };
  },
  "GET /fhir/MeasureReport": async (request) => {
    const { period, subject } = single(request.query, ["period", "subject"]);
    if (period !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(period))
      throw new BadRequestError("period: a calendar month YYYY-MM", "period");
    const reports = await deps.figures.list(period, subject);
    return {
      statusCode: 200,
      headers: { "content-type": FHIR_JSON },
      body: {
        resourceType: "Bundle",
        type: "searchset",
        total: reports.length,
        entry: reports.map((resource) => ({ fullUrl: `MeasureReport/${String(resource.id)}`, resource, search: { mode: "match" } })),
      },
    };
  },
});
