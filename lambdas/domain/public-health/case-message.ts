/**
 * A hospital's case-report message (FHIR messaging, docs/public-health.md): read from the Bundle it
 * posts to `$process-message`, and the message Bundle that answers it. Pure.
 *
 * readCaseMessage. Input: the message Bundle, the calling hospital, the acting practitioner.
 * Output: the event, the MessageHeader id, the report it amends (update, void), the Condition (case-report, update).
 * Primary course: the MessageHeader is the first entry; its event is `case-report`, `update` or `void` under
 * the message-event system; `source.endpoint` is the hospital's own `urn:hhc:member:<hospitalId>` (403
 * otherwise); `author`, when given, is the acting practitioner (403); update and void name the report in
 * `focus` (`Condition/<reportId>`); case-report and update carry one Condition with an ICD-10 code of a
 * notifiable disease (else 422 naming `Condition.code`), the diagnosis time (`recordedDate`), the patient by
 * identifier and, optionally, the encounter by the hospital's own encounter identifier (403 for another's).
 */
import type { z } from "zod";
import { BadRequestError, ForbiddenError, fieldName, UnprocessableError, zodIssues } from "#domain/errors.ts";
import { MESSAGE_EVENT_SYSTEM, memberEndpoint } from "#schemas/department-members.ts";
import { encounterSystem } from "#schemas/documents.ts";
import {
  CASE_REPORT_SYSTEM,
  type CaseReport,
  caseReportQuerySchema,
  icd10Of,
  type MessageBundle,
  messageHeaderSchema,
  reportedConditionSchema,
} from "#schemas/public-health.ts";
import { type NotifiableDisease, notifiableDisease } from "./diseases.ts";

export type ReportedCondition = z.infer<typeof reportedConditionSchema>;

export interface ReadCaseMessage {
  messageId: string;
  event: "case-report" | "update" | "void";
  reportId?: string;
  condition?: ReportedCondition;
  disease?: NotifiableDisease;
  code?: string;
}

const EVENTS = ["case-report", "update", "void"] as const;

function parsed<T>(schema: z.ZodType<T>, value: unknown, prefix: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new BadRequestError(zodIssues(result.error, prefix));
  return result.data;
}

export function readCaseMessage(bundle: MessageBundle, hospitalId: string, practitionerId: string): ReadCaseMessage {
  const header = parsed(messageHeaderSchema, bundle.entry[0]!.resource, "MessageHeader");
  const event = EVENTS.find((e) => e === header.eventCoding.code);
  if (header.eventCoding.system !== MESSAGE_EVENT_SYSTEM || !event)
    throw new BadRequestError(
      `MessageHeader.eventCoding: ${MESSAGE_EVENT_SYSTEM} case-report, update or void`,
      "MessageHeader.eventCoding",
    );
  if (header.source.endpoint !== memberEndpoint(hospitalId))
    throw new ForbiddenError(
      `MessageHeader.source.endpoint: a hospital reports as itself (${memberEndpoint(hospitalId)})`,
      "MessageHeader.source.endpoint",
    );
  if (header.author && header.author.reference !== `Practitioner/${practitionerId}`)
    throw new ForbiddenError(
      "MessageHeader.author: the reporting practitioner is the one acting (X-Practitioner-Id)",
      "MessageHeader.author",
    );
  const out: ReadCaseMessage = { messageId: header.id, event };
  if (event !== "case-report") {
    const focus = header.focus?.[0]?.reference.match(/^Condition\/([A-Za-z0-9\-.]{1,64})$/);
    if (!focus)
      throw new BadRequestError(
        `MessageHeader.focus: an ${event} names the report it amends (Condition/<reportId>)`,
        "MessageHeader.focus",
      );
    out.reportId = focus[1]!;
    if (event === "void") return out;
  }
  const conditions = bundle.entry.filter((e) => e.resource.resourceType === "Condition");
  if (conditions.length !== 1)
    throw new BadRequestError(`Bundle.entry: exactly one Condition (the case), not ${conditions.length}`, "Condition");
  const condition = parsed(reportedConditionSchema, conditions[0]!.resource, "Condition");
  const encounter = condition.encounter?.identifier;
  if (encounter && encounter.system !== encounterSystem(hospitalId))
    throw new ForbiddenError(
      `Condition.encounter.identifier: an encounter of this hospital (${encounterSystem(hospitalId)})`,
      "Condition.encounter.identifier",
    );
  const code = icd10Of(condition);
  const disease = notifiableDisease(code);
  if (!disease)
    throw new UnprocessableError(`Condition.code: ${code} is not a notifiable disease (docs/public-health.md)`, "Condition.code");
  return { ...out, condition, disease, code };
}

/** The answer: a message Bundle whose MessageHeader responds `ok` to the request and focuses on the report */
export function caseMessageAnswer(request: { messageId: string; event: string }, report: CaseReport, answerId: string, at: string) {
  const header = {
    resourceType: "MessageHeader",
    id: answerId,
    eventCoding: { system: MESSAGE_EVENT_SYSTEM, code: request.event },
    source: { endpoint: memberEndpoint("health-cloud") },
    destination: [{ endpoint: memberEndpoint(report.hospitalId) }],
    response: { identifier: request.messageId, code: "ok" },
    focus: [{ reference: `Condition/${report.reportId}` }],
  };
  return {
    resourceType: "Bundle",
    id: answerId,
    type: "message",
    timestamp: at,
    entry: [
      { fullUrl: `MessageHeader/${answerId}`, resource: header },
      { fullUrl: `Condition/${report.reportId}`, resource: reportCondition(report) },
    ],
  };
}

/** The report as a Condition (what the answer focuses on, and what goes to disease control) */
export function reportCondition(report: CaseReport) {
  return {
    resourceType: "Condition",
    id: report.reportId,
    identifier: [{ system: CASE_REPORT_SYSTEM, value: report.reportId }],
    ...(report.status === "void" ? { verificationStatus: { coding: [{ code: "entered-in-error" }] } } : {}),
    code: { coding: [{ system: "http://hl7.org/fhir/sid/icd-10", code: report.code }], text: report.disease },
    subject: { identifier: report.resident[0] },
    recordedDate: report.diagnosedAt,
    recorder: { reference: `Practitioner/${report.practitionerId}` },
    asserter: { reference: `Organization/${report.hospitalId}` },
    ...(report.encounterId ? { encounter: { reference: `Encounter/${report.encounterId}` } } : {}),
  };
}

/** The lists' query: each named parameter once, of the allowed ones (else 400 naming it) */
export function readReportQuery(query: Record<string, string[]>, allowed: readonly ("status" | "from" | "disease" | "city")[]) {
  const flat: Record<string, string> = {};
  for (const [name, values] of Object.entries(query)) {
    if (!(allowed as readonly string[]).includes(name) || values.length !== 1)
      throw new BadRequestError(`${fieldName(name)}: the parameters are ${allowed.join(", ")}, each at most once`, fieldName(name));
    flat[name] = values[0]!;
  }
  return parsed(caseReportQuerySchema, flat, "");
}
