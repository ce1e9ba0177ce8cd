/**
 * Public health at the hub (docs/public-health.md):
 *   POST /internal/public-health/case-reports    (a city, for its hospital) a case-report, update or void message
 *                                                 → the answering message Bundle
 *   GET  /internal/public-health/case-reports    (a city, for its hospital) the hospital's own reports
 *   POST /internal/public-health/expectations    (a city) an encounter's notifiable diagnoses, awaiting their reports
 *   GET  /public-health/case-reports?status=&disease=&city=   (operator) every report (audited)
 *   GET  /public-health/overdue                  (operator) the notifiable diagnoses past their deadline unreported (audited)
 */
import { actingHospital } from "#domain/acting-hospital.ts";
import { caseMessageAnswer, readReportQuery } from "#domain/public-health/case-message.ts";
import { EMPI_SYSTEM } from "#schemas/patient.ts";
import { caseMessageSchema, expectationsRequestSchema } from "#schemas/public-health.ts";
import { clock } from "#shared/clock.ts";
import { httpRouter } from "#shared/http.ts";
import { recordHubAccess } from "#use-cases/audit.ts";
import { actingFor } from "#use-cases/node-identity.ts";
import { expectCases, listReports, overdueCases, receiveCaseMessage } from "#use-cases/public-health/case-reports.ts";
import { nodeIdentityDeps } from "#wiring/node-identity.ts";
import { caseReportDeps } from "#wiring/public-health.ts";

const deps = caseReportDeps();
const identity = nodeIdentityDeps();
const json = { "content-type": "application/json" };

const operatorRead = (query: string, patients: { system: string; value: string }[]) =>
  recordHubAccess(identity.audit, {
    action: "E",
    interaction: "search-type",
    node: "hub",
    operator: true,
    patients,
    query,
    result: "success",
  });

export const handler = httpRouter({
  "POST /internal/public-health/case-reports": async (request) => {
    const hospital = await actingFor(identity, request, actingHospital(request.headers));
    const message = request.body(caseMessageSchema);
    const report = await receiveCaseMessage(deps, message, hospital);
    const answerId = `${report.reportId}-r${report.amendments.length}`;
    return { statusCode: 200, body: caseMessageAnswer(message, report, answerId, clock.isoNow()) };
  },
  "GET /internal/public-health/case-reports": async (request) => {
    const { hospitalId } = await actingFor(identity, request, actingHospital(request.headers));
    const query = readReportQuery(request.query, ["status", "from"]);
    return { statusCode: 200, body: await listReports(deps, { ...query, hospitalId }), headers: json };
  },
  "POST /internal/public-health/expectations": async (request) => {
    const { cityId, hospitalId } = await actingFor(identity, request, actingHospital(request.headers));
    const diagnoses = request.body(expectationsRequestSchema).diagnoses.map((d) => ({ ...d, cityId, hospitalId }));
    return { statusCode: 200, body: { expected: await expectCases(deps, diagnoses) }, headers: json };
  },
  "GET /public-health/case-reports": async (request) => {
    const query = readReportQuery(request.query, ["status", "disease", "city", "from"]);
    const answer = await listReports(deps, query);
    await operatorRead(
      "GET /public-health/case-reports",
      answer.reports.flatMap((r) => r.resident.slice(0, 1)),
    );
    return { statusCode: 200, body: answer, headers: json };
  },
  "GET /public-health/overdue": async (request) => {
    readReportQuery(request.query, []);
    const answer = await overdueCases(deps);
    await operatorRead(
      "GET /public-health/overdue",
      answer.overdue.map((e) => ({ system: EMPI_SYSTEM, value: e.empi })),
    );
    return { statusCode: 200, body: answer, headers: json };
  },
});
