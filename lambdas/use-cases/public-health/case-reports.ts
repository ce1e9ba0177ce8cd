/**
 * Notifiable-disease case reports at the hub (docs/public-health.md).
 *
 * receiveCaseMessage. Input: a hospital's message (read and checked by its city), the hospital and its
 *   city, the time. Output: the report it made or amended (the answer's focus).
 *   Primary course: a message id already handled answers its report again (idempotent). A case-report
 *   of a resident and disease already reported within 7 days of its diagnosis is folded into the first
 *   report (an update to disease control); otherwise a new report: its deadline is the diagnosis time plus
 *   the disease's limit, late if received after it; recorded `received`, then handed to the department
 *   exchange for disease control (`forwarded`). An update amends the hospital's own report (code,
 *   diagnosis time); a void retracts it (status `void`); each goes to disease control too. Another
 *   hospital's or an unknown report → 404; amending a void one → 409. If the exchange cannot take it
 *   now, the report stays `received` and the watch hands it over later (nothing accepted is lost).
 * answerOfDiseaseControl. Input: disease control's answer to a case-report. Output: the report
 *   `accepted` (ok) or `rejected` (fatal-error); a transient error changes nothing (the exchange retries).
 * expectCases. Input: an encounter's notifiable diagnoses. Output: one expectation each, unless a report
 *   named the encounter and disease already.
 * watchCases. Input: the time. Output: the reminders sent and the cases flagged missing. Primary course:
 *   at half the limit the hospital gets a Communication in its FEP inbox (once); at the deadline the
 *   expectation is flagged missing (the operator's overdue list); unforwarded reports are handed over again.
 */
import { createHash } from "node:crypto";
import { BadRequestError, ConflictError, NotFoundError, UnprocessableError } from "#domain/errors.ts";
import { reportCondition } from "#domain/public-health/case-message.ts";
import { deadlineOf, diseaseById, notifiableDisease, remindAtOf } from "#domain/public-health/diseases.ts";
import type { DepartmentExchange, DepartmentResponse } from "#ports/departments.ts";
import type { CaseReportStore } from "#ports/public-health.ts";
import type { InboxSender } from "#ports/push.ts";
import type { MessageEvent } from "#schemas/department-members.ts";
import type { InboxCommunication } from "#schemas/messages.ts";
import { EMPI_SYSTEM } from "#schemas/patient.ts";
import type { CaseExpectation, CaseMessage, CaseReport } from "#schemas/public-health.ts";

export const FOLD_DAYS = 7;
const DAY_MS = 86_400_000;

export interface CaseReportDeps {
  store: CaseReportStore;
  /** The department exchange (undefined where it is not wired: reports then wait, `received`) */
  exchange?: DepartmentExchange;
  inbox: InboxSender;
  now: () => Date;
}

/** `cr-<20 hex>`, from the hospital and its first message's id: the same message makes the same report */
export const reportIdOf = (hospitalId: string, messageId: string): string =>
  `cr-${createHash("sha256").update(`${hospitalId}|${messageId}`).digest("hex").slice(0, 20)}`;

/** The report an outbound message is about: `<reportId>.<n>` */
export const reportOfMessage = (messageId: string): string => messageId.replace(/\.\d+$/, "");

const originalMessage = (reportId: string) => ({
  resourceType: "Parameters",
  parameter: [{ name: "messageId", valueString: `${reportId}.0` }],
});

async function forward(deps: CaseReportDeps, report: CaseReport, event: MessageEvent): Promise<CaseReport> {
  const sequence = report.sent;
  report.sent = sequence + 1;
  // marked forwarded before the exchange takes it: disease control's answer (the sink, on another function)
  // may come back before this function's next write, and must not be overwritten by it
  const first = report.status === "received" && deps.exchange !== undefined;
  if (first) Object.assign(report, { status: "forwarded", forwardedAt: deps.now().toISOString() });
  await deps.store.put(report);
  if (!deps.exchange) {
    await deps.store.setUnforwarded(report.reportId, true);
    return report;
  }
  try {
    await deps.exchange.send(
      {
        messageId: `${report.reportId}.${sequence}`,
        event,
        destinations: ["disease-control"],
        sourceMember: report.hospitalId,
        // an update or void names the report's first message (`<reportId>.0`), as the exchange's amendments do
        focus: [...(event === "case-report" ? [] : [originalMessage(report.reportId)]), reportCondition(report)],
      },
      deps.now(),
    );
  } catch {
    if (first) {
      report.status = "received";
      delete report.forwardedAt;
      await deps.store.put(report);
    }
    await deps.store.setUnforwarded(report.reportId, true);
  }
  return report;
}

const owned = async (deps: CaseReportDeps, reportId: string | undefined, hospitalId: string): Promise<CaseReport> => {
  const report = reportId ? await deps.store.get(reportId) : undefined;
  if (!report || report.hospitalId !== hospitalId)
    throw new NotFoundError(`MessageHeader.focus: Condition/${reportId} is not a report of this hospital`, "MessageHeader.focus");
  return report;
};

export async function receiveCaseMessage(
  deps: CaseReportDeps,
  message: CaseMessage,
  hospital: { hospitalId: string; cityId: string },
): Promise<CaseReport> {
  const newId = reportIdOf(hospital.hospitalId, message.messageId);
  const claim = await deps.store.claimMessage(hospital.hospitalId, message.messageId, newId);
  if (!claim.claimed) {
    const earlier = await deps.store.get(claim.reportId);
    if (earlier) return earlier;
  }
  const report = await handle(deps, message, hospital, newId);
  if (report.reportId !== newId) await deps.store.settleMessage(hospital.hospitalId, message.messageId, report.reportId);
  return report;
}

async function handle(
  deps: CaseReportDeps,
  message: CaseMessage,
  hospital: { hospitalId: string; cityId: string },
  newId: string,
): Promise<CaseReport> {
  const at = deps.now().toISOString();
  if (message.event === "void") {
    const report = await owned(deps, message.reportId, hospital.hospitalId);
    if (report.status === "void") return report;
    report.status = "void";
    report.amendments.push({ messageId: message.messageId, kind: "void", at });
    return forward(deps, report, "void");
  }
  const disease = message.code ? notifiableDisease(message.code) : undefined;
  if (!disease || !message.empi || !message.diagnosedAt || !message.resident?.length)
    throw disease
      ? new BadRequestError("Condition: the resident and the diagnosis time are required", "Condition")
      : new UnprocessableError(`Condition.code: ${message.code} is not a notifiable disease`, "Condition.code");
  if (message.event === "update") {
    const report = await owned(deps, message.reportId, hospital.hospitalId);
    if (report.status === "void")
      throw new ConflictError(`Condition/${report.reportId} was voided; report the case anew`, "MessageHeader.focus");
    Object.assign(report, { code: message.code, disease: disease.id, diseaseClass: disease.class, diagnosedAt: message.diagnosedAt });
    report.deadline = deadlineOf(message.diagnosedAt, disease);
    report.late = report.receivedAt > report.deadline;
    report.amendments.push({ messageId: message.messageId, kind: "update", at });
    return forward(deps, report, "update");
  }
  const since = new Date(Date.parse(message.diagnosedAt) - FOLD_DAYS * DAY_MS).toISOString();
  for (const firstId of await deps.store.recent(message.empi, disease.id, since)) {
    const first = await deps.store.get(firstId);
    if (!first || first.status === "void" || Math.abs(Date.parse(first.diagnosedAt) - Date.parse(message.diagnosedAt)) > FOLD_DAYS * DAY_MS)
      continue;
    first.amendments.push({ messageId: message.messageId, kind: "duplicate", at });
    if (message.encounterId) await resolveExpectation(deps, message.encounterId, disease.id);
    return forward(deps, first, "update");
  }
  const deadline = deadlineOf(message.diagnosedAt, disease);
  const report: CaseReport = {
    reportId: newId,
    messageId: message.messageId,
    hospitalId: hospital.hospitalId,
    cityId: hospital.cityId,
    practitionerId: message.practitionerId,
    empi: message.empi,
    resident: message.resident,
    disease: disease.id,
    diseaseClass: disease.class,
    code: message.code!,
    diagnosedAt: message.diagnosedAt,
    deadline,
    receivedAt: at,
    late: at > deadline,
    status: "received",
    ...(message.encounterId ? { encounterId: message.encounterId } : {}),
    amendments: [],
    sent: 0,
  };
  await deps.store.put(report);
  await deps.store.addRecent(report);
  if (message.encounterId) await resolveExpectation(deps, message.encounterId, disease.id);
  return forward(deps, report, "case-report");
}

async function resolveExpectation(deps: CaseReportDeps, encounterId: string, disease: string) {
  await deps.store.markReported(encounterId, disease);
  await deps.store.removeExpectation(encounterId, disease);
}

export async function answerOfDiseaseControl(deps: Pick<CaseReportDeps, "store">, response: DepartmentResponse): Promise<void> {
  if (response.code === "transient-error") return;
  const report = await deps.store.get(reportOfMessage(response.messageId));
  if (!report || report.status === "void" || response.event !== "case-report") return;
  report.status = response.code === "ok" ? "accepted" : "rejected";
  report.answeredAt = response.receivedAt;
  await deps.store.put(report);
}

export interface EncounterDiagnosis {
  encounterId: string;
  hospitalId: string;
  cityId: string;
  empi: string;
  code: string;
  diagnosedAt: string;
}

export async function expectCases(deps: Pick<CaseReportDeps, "store">, diagnoses: readonly EncounterDiagnosis[]): Promise<number> {
  let expected = 0;
  for (const d of diagnoses) {
    const disease = notifiableDisease(d.code);
    if (!disease || (await deps.store.isReported(d.encounterId, disease.id))) continue;
    await deps.store.expect({
      ...d,
      disease: disease.id,
      deadline: deadlineOf(d.diagnosedAt, disease),
      remindAt: remindAtOf(d.diagnosedAt, disease),
      reminded: false,
      missing: false,
    });
    expected++;
  }
  return expected;
}

/** The hospital's reminder: a Communication about the resident, its payload the encounter (stable id) */
export function reminderOf(e: CaseExpectation, at: string): InboxCommunication {
  const id = `cr-due-${createHash("sha256").update(`${e.encounterId}|${e.disease}`).digest("hex").slice(0, 24)}`;
  const name = diseaseById(e.disease)?.name ?? e.disease;
  return {
    resourceType: "Communication",
    id,
    status: "completed",
    sent: at,
    recipient: [{ reference: `Organization/${e.hospitalId}` }],
    subject: { reference: `Patient/${e.empi}`, identifier: { system: EMPI_SYSTEM, value: e.empi } },
    payload: [{ contentReference: { reference: `Encounter/${e.encounterId}` } }],
    category: [{ text: `case report due by ${e.deadline}: ${name} (${e.code}) diagnosed ${e.diagnosedAt}` }],
  };
}

export async function watchCases(deps: CaseReportDeps): Promise<{ reminded: number; missing: number; forwarded: number }> {
  const now = deps.now().toISOString();
  let reminded = 0;
  let missing = 0;
  for (const e of await deps.store.expectations()) {
    const remind = !e.reminded && now >= e.remindAt;
    const overdue = !e.missing && now > e.deadline;
    if (remind) {
      await deps.inbox(e.cityId, e.hospitalId, reminderOf(e, now));
      reminded++;
    }
    if (overdue) missing++;
    if (remind || overdue) await deps.store.updateExpectation({ ...e, reminded: e.reminded || remind, missing: e.missing || overdue });
  }
  let forwarded = 0;
  if (deps.exchange)
    for (const reportId of await deps.store.unforwarded()) {
      const report = await deps.store.get(reportId);
      await deps.store.setUnforwarded(reportId, false);
      if (!report) continue;
      report.sent = Math.max(report.sent - 1, 0);
      const event = report.status === "void" ? "void" : report.amendments.length ? "update" : "case-report";
      if ((await forward(deps, report, event)).status !== "received") forwarded++;
    }
  return { reminded, missing, forwarded };
}

/** A report as the lists show it */
export const reportView = (r: CaseReport) => ({
  reportId: r.reportId,
  messageId: r.messageId,
  resident: r.resident,
  hospitalId: r.hospitalId,
  cityId: r.cityId,
  disease: r.disease,
  diseaseClass: r.diseaseClass,
  code: r.code,
  diagnosedAt: r.diagnosedAt,
  deadline: r.deadline,
  receivedAt: r.receivedAt,
  status: r.status,
  late: r.late,
});

export async function listReports(
  deps: Pick<CaseReportDeps, "store">,
  filter: { hospitalId?: string; status?: string; from?: string; disease?: string; city?: string },
) {
  const reports = (await deps.store.list(filter.hospitalId)).filter(
    (r) =>
      (!filter.status || r.status === filter.status) &&
      (!filter.from || r.diagnosedAt >= filter.from) &&
      (!filter.disease || r.disease === filter.disease || r.code === filter.disease) &&
      (!filter.city || r.cityId === filter.city),
  );
  return { reports: reports.sort((a, b) => a.diagnosedAt.localeCompare(b.diagnosedAt)).map(reportView) };
}

export async function overdueCases(deps: Pick<CaseReportDeps, "store">) {
  const missing = (await deps.store.expectations()).filter((e) => e.missing);
  return { overdue: missing.sort((a, b) => a.deadline.localeCompare(b.deadline)) };
}
