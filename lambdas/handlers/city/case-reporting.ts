/**
 * Notifiable-disease case reports at a city node (docs/public-health.md), for its hospitals; a
 * licensed practitioner of the hospital acts (X-Practitioner-Id), and every request is audited:
 *   POST /fhir/$process-message    a message Bundle (case-report, update, void) → the answering message
 *                                  Bundle from the hub, where the reports are kept and sent to disease control
 *   GET  /fhir/$case-reports?status=&from=   the hospital's own reports
 */

import { encounterIdOf } from "#domain/documents/records.ts";
import { BadRequestError, UpstreamError } from "#domain/errors.ts";
import { empiIdentifier, lenientJson } from "#domain/named-patients.ts";
import { readCaseMessage, readReportQuery } from "#domain/public-health/case-message.ts";
import { ACTING_HOSPITAL_HEADER } from "#schemas/internal.ts";
import { type CaseMessage, messageBundleSchema } from "#schemas/public-health.ts";
import { type HttpRequest, httpRouter } from "#shared/http.ts";
import { actingPractitioner, practitionerHeader } from "#shared/practitioner-guard.ts";
import { scanAnswer } from "#use-cases/drugs/trace-scan.ts";
import { forwardRegistryRequest } from "#use-cases/registry/forward.ts";
import { cityCaseReporting } from "#wiring/public-health.ts";

const { cityId, hub, auditor, resolveEmpi } = cityCaseReporting();

type Identifier = { system: string; value: string };

/** The patient a message names (its Condition's subject), read leniently for the AuditEvent */
function messagePatients(request: HttpRequest): Identifier[] {
  const entries = (lenientJson(request) as { entry?: { resource?: { resourceType?: string; subject?: { identifier?: Identifier } } }[] })
    ?.entry;
  const id = Array.isArray(entries)
    ? entries.find((e) => e?.resource?.resourceType === "Condition")?.resource?.subject?.identifier
    : undefined;
  return id && typeof id.system === "string" && typeof id.value === "string" ? [{ system: id.system, value: id.value }] : [];
}

/** Runs `work` as the hospital's named practitioner, audited (one AuditEvent naming the patients it returns) */
function asPractitioner<T>(
  request: HttpRequest,
  action: "C" | "R",
  patients: Identifier[],
  work: (hospitalId: string, practitionerId: string) => Promise<{ value: T; patients: Identifier[] }>,
) {
  const hospitalId = request.caller!.hospitalId;
  const practitionerId = practitionerHeader(request.headers);
  const interaction = action === "C" ? ("operation" as const) : ("search-type" as const);
  const template = { action, interaction, hospitalId, practitionerId, patients, query: `${request.method} ${request.path}` };
  return auditor.audited(template, async () => {
    await actingPractitioner(hub, request.headers, hospitalId, true);
    return work(hospitalId, practitionerId!);
  });
}

export const handler = httpRouter({
  "POST /fhir/$process-message": async (request) => {
    const named = messagePatients(request);
    return asPractitioner(request, "C", named, async (hospitalId, practitionerId) => {
      const read = readCaseMessage(request.body(messageBundleSchema), hospitalId, practitionerId);
      const message: CaseMessage = { messageId: read.messageId, event: read.event, practitionerId };
      if (read.reportId) message.reportId = read.reportId;
      if (read.condition) {
        const subject = read.condition.subject.identifier;
        const empi = await resolveEmpi(subject, hospitalId);
        if (!empi)
          throw new BadRequestError(
            "Condition.subject.identifier: names no resident known to the master patient index",
            "Condition.subject.identifier",
          );
        const encounter = read.condition.encounter?.identifier;
        Object.assign(message, {
          empi,
          resident: [subject, empiIdentifier(empi)],
          code: read.code,
          diagnosedAt: read.condition.recordedDate,
        });
        if (encounter) message.encounterId = encounterIdOf(cityId, encounter);
      }
      const forwarded = {
        method: "POST",
        path: "/public-health/case-reports",
        query: {},
        headers: { "content-type": "application/json" },
        rawBody: JSON.stringify(message),
      };
      const answer = scanAnswer(await forwardRegistryRequest(hub, hospitalId, forwarded));
      return { value: answer, patients: [...named, ...(message.empi ? [empiIdentifier(message.empi)] : [])] };
    });
  },
  "GET /fhir/$case-reports": async (request) =>
    asPractitioner(request, "R", [], async (hospitalId) => {
      const query = readReportQuery(request.query, ["status", "from"]);
      const search = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => typeof e[1] === "string")).toString();
      const answer = await hub.forward("GET", `/public-health/case-reports${search ? `?${search}` : ""}`, {
        accept: "application/json",
        [ACTING_HOSPITAL_HEADER]: hospitalId,
      });
      if (answer.status !== 200) throw new UpstreamError(`The hub answered ${answer.status} for the case reports; retry shortly`);
      const body = JSON.parse(answer.body ?? "{}") as { reports: { resident: Identifier[] }[] };
      return {
        value: { statusCode: 200, body, headers: { "content-type": "application/json" } },
        patients: body.reports.flatMap((r) => r.resident.slice(0, 1)),
      };
    }),
});
