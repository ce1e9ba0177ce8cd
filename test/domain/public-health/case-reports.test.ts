/**
 * Case reports at the hub with a fake department exchange (docs/public-health.md): forwarded with the
 * disease's deadline, late flagged, a duplicate within 7 days folded, update and void, idempotent
 * message ids, disease control's answer, an exchange that is down, and the forgotten case's watch.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { DomainError } from "#domain/errors.ts";
import { caseMessageAnswer, readCaseMessage } from "#domain/public-health/case-message.ts";
import { caseMessage } from "#lib/world/case-reports.ts";
import type { DepartmentExchange, OutboundDepartmentMessage } from "#ports/departments.ts";
import type { InboxCommunication } from "#schemas/messages.ts";
import type { CaseMessage } from "#schemas/public-health.ts";
import {
  answerOfDiseaseControl,
  type CaseReportDeps,
  expectCases,
  listReports,
  overdueCases,
  receiveCaseMessage,
  watchCases,
} from "#use-cases/public-health/case-reports.ts";
import { memoryCaseReportStore } from "./memory-store.ts";

const H = { hospitalId: "h-a", cityId: "baoding" };
const RESIDENT = [{ system: "https://hebei.health/sid/resident-id", value: "130602199001011234" }];
let now: Date;
let sent: OutboundDepartmentMessage[];
let inbox: { cityId: string; hospitalId: string; communication: InboxCommunication }[];
let down: boolean;
let deps: CaseReportDeps & { store: ReturnType<typeof memoryCaseReportStore> };

const exchange: DepartmentExchange = {
  async send(message) {
    if (down) throw new Error("the exchange is down");
    sent.push(message);
  },
};

beforeEach(() => {
  now = new Date("2026-03-01T02:30:00Z");
  sent = [];
  inbox = [];
  down = false;
  deps = {
    store: memoryCaseReportStore(),
    exchange,
    inbox: async (cityId, hospitalId, communication) => {
      inbox.push({ cityId, hospitalId, communication });
    },
    now: () => now,
  };
});

const message = (messageId: string, over: Partial<CaseMessage> = {}): CaseMessage => ({
  messageId,
  event: "case-report",
  practitionerId: "p-1",
  empi: "E1",
  resident: RESIDENT,
  code: "A00",
  diagnosedAt: "2026-03-01T10:00:00+08:00",
  encounterId: "baoding-e1",
  ...over,
});

const refusal = async (work: Promise<unknown>) => {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
};

describe("a case report", () => {
  it("is forwarded to disease control at once, with its disease's 2-hour deadline, not late", async () => {
    const report = await receiveCaseMessage(deps, message("m1"), H);
    expect(report).toMatchObject({ status: "forwarded", disease: "cholera", diseaseClass: "A", late: false });
    expect(report.deadline).toBe("2026-03-01T04:00:00.000Z");
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ event: "case-report", destinations: ["disease-control"], sourceMember: "h-a" });
    expect(sent[0]!.focus[0]).toMatchObject({ resourceType: "Condition", id: report.reportId, recordedDate: report.diagnosedAt });
  });

  it("received after its deadline is flagged late", async () => {
    now = new Date("2026-03-01T04:00:01Z");
    expect(await receiveCaseMessage(deps, message("m1"), H)).toMatchObject({ late: true, status: "forwarded" });
    now = new Date("2026-03-01T04:00:01Z");
    const measles = await receiveCaseMessage(deps, message("m2", { code: "B05", empi: "E2" }), H);
    expect(measles).toMatchObject({ late: false, diseaseClass: "B", deadline: "2026-03-02T02:00:00.000Z" });
  });

  it("of the same resident and disease within 7 days is folded into the first as an update; after 7 days it is new", async () => {
    const first = await receiveCaseMessage(deps, message("m1"), H);
    const again = await receiveCaseMessage(deps, message("m2", { diagnosedAt: "2026-03-07T10:00:00+08:00" }), H);
    expect(again.reportId).toBe(first.reportId);
    expect(again.amendments).toEqual([{ messageId: "m2", kind: "duplicate", at: now.toISOString() }]);
    expect(sent.map((m) => m.event)).toEqual(["case-report", "update"]);
    const later = await receiveCaseMessage(deps, message("m3", { diagnosedAt: "2026-03-09T10:00:01+08:00" }), H);
    expect(later.reportId).not.toBe(first.reportId);
    const other = await receiveCaseMessage(deps, message("m4", { code: "B05" }), H);
    expect(other.reportId).not.toBe(first.reportId);
    expect((await listReports(deps, { hospitalId: "h-a" })).reports).toHaveLength(3);
  });

  it("is idempotent on the hospital's message id, a folded duplicate and a void included", async () => {
    const first = await receiveCaseMessage(deps, message("m1"), H);
    const again = await receiveCaseMessage(deps, message("m1"), H);
    expect(again).toEqual(first);
    expect(sent).toHaveLength(1);
    const folded = await receiveCaseMessage(deps, message("m2"), H);
    expect(await receiveCaseMessage(deps, message("m2"), H)).toEqual(folded);
    expect(folded.amendments).toHaveLength(1);
    const voided = await receiveCaseMessage(deps, { messageId: "v1", event: "void", practitionerId: "p-1", reportId: first.reportId }, H);
    expect(await receiveCaseMessage(deps, { messageId: "v1", event: "void", practitionerId: "p-1", reportId: first.reportId }, H)).toEqual(
      voided,
    );
    expect(sent.map((m) => m.event)).toEqual(["case-report", "update", "void"]);
  });

  it("is amended by an update and retracted by a void, each sent on; another hospital's report is not found", async () => {
    const first = await receiveCaseMessage(deps, message("m1"), H);
    const updated = await receiveCaseMessage(deps, message("u1", { event: "update", reportId: first.reportId, code: "A01" }), H);
    expect(updated).toMatchObject({ disease: "typhoid", diseaseClass: "B", deadline: "2026-03-02T02:00:00.000Z" });
    const other = { hospitalId: "h-b", cityId: "baoding" };
    expect(
      (await refusal(receiveCaseMessage(deps, { messageId: "v0", event: "void", practitionerId: "p", reportId: first.reportId }, other)))
        .kind,
    ).toBe("not-found");
    const voided = await receiveCaseMessage(deps, { messageId: "v1", event: "void", practitionerId: "p-1", reportId: first.reportId }, H);
    expect(voided.status).toBe("void");
    expect(sent.map((m) => [m.event, m.messageId])).toEqual([
      ["case-report", `${first.reportId}.0`],
      ["update", `${first.reportId}.1`],
      ["void", `${first.reportId}.2`],
    ]);
    // an update and a void name the report's first message (a Parameters), then carry the Condition
    for (const amendment of sent.slice(1))
      expect(amendment.focus[0]).toEqual({
        resourceType: "Parameters",
        parameter: [{ name: "messageId", valueString: `${first.reportId}.0` }],
      });
    expect(sent[0]!.focus[0]).toMatchObject({ resourceType: "Condition" });
    expect(sent[2]!.focus[1]).toMatchObject({ verificationStatus: { coding: [{ code: "entered-in-error" }] } });
    expect((await refusal(receiveCaseMessage(deps, message("u2", { event: "update", reportId: first.reportId }), H))).kind).toBe(
      "conflict",
    );
    // a void report folds nothing: the same case again is a new report
    expect((await receiveCaseMessage(deps, message("m2"), H)).reportId).not.toBe(first.reportId);
  });

  it("takes disease control's answer: ok → accepted, fatal-error → rejected, a transient error changes nothing", async () => {
    const a = await receiveCaseMessage(deps, message("m1"), H);
    const b = await receiveCaseMessage(deps, message("m2", { empi: "E2" }), H);
    const answer = (messageId: string, code: "ok" | "fatal-error" | "transient-error") =>
      answerOfDiseaseControl(deps, { messageId, event: "case-report", member: "disease-control", code, receivedAt: now.toISOString() });
    await answer(`${a.reportId}.0`, "transient-error");
    expect((await deps.store.get(a.reportId))!.status).toBe("forwarded");
    await answer(`${a.reportId}.0`, "ok");
    await answer(`${b.reportId}.0`, "fatal-error");
    expect((await listReports(deps, { status: "accepted" })).reports.map((r) => r.reportId)).toEqual([a.reportId]);
    expect((await listReports(deps, { status: "rejected" })).reports.map((r) => r.reportId)).toEqual([b.reportId]);
  });

  it("keeps disease control's answer when it comes back before the exchange's send returns", async () => {
    const answering: DepartmentExchange = {
      async send(m) {
        sent.push(m);
        // the delivery function answers at once: the sink runs while the report's function still waits on send
        await answerOfDiseaseControl(deps, {
          messageId: m.messageId,
          event: m.event,
          member: "disease-control",
          code: "ok",
          receivedAt: now.toISOString(),
        });
      },
    };
    const report = await receiveCaseMessage({ ...deps, exchange: answering }, message("m1"), H);
    expect((await deps.store.get(report.reportId))!.status).toBe("accepted");
  });

  it("stays received while the exchange is down, and the watch hands it over later", async () => {
    down = true;
    const report = await receiveCaseMessage(deps, message("m1"), H);
    expect(report.status).toBe("received");
    expect(await watchCases(deps)).toMatchObject({ forwarded: 0 });
    down = false;
    expect(await watchCases(deps)).toMatchObject({ forwarded: 1 });
    expect((await deps.store.get(report.reportId))!.status).toBe("forwarded");
    expect(sent.map((m) => [m.event, m.messageId])).toEqual([["case-report", `${report.reportId}.0`]]);
    expect(await watchCases(deps)).toMatchObject({ forwarded: 0 });
  });
});

describe("the forgotten case", () => {
  const diagnosis = {
    encounterId: "baoding-e9",
    hospitalId: "h-a",
    cityId: "baoding",
    empi: "E9",
    code: "A00.1",
    diagnosedAt: "2026-03-01T10:00:00+08:00",
  };

  it("reminds the hospital at half the limit, once, and flags the diagnosis missing at its deadline", async () => {
    expect(await expectCases(deps, [diagnosis, { ...diagnosis, encounterId: "baoding-e8", code: "I10" }])).toBe(1);
    now = new Date("2026-03-01T02:59:59Z");
    expect(await watchCases(deps)).toMatchObject({ reminded: 0, missing: 0 });
    now = new Date("2026-03-01T03:00:00Z");
    expect(await watchCases(deps)).toMatchObject({ reminded: 1, missing: 0 });
    expect(inbox).toHaveLength(1);
    expect(inbox[0]).toMatchObject({ cityId: "baoding", hospitalId: "h-a" });
    expect(inbox[0]!.communication.payload[0]!.contentReference.reference).toBe("Encounter/baoding-e9");
    expect(await watchCases(deps)).toMatchObject({ reminded: 0 });
    expect((await overdueCases(deps)).overdue).toEqual([]);
    now = new Date("2026-03-01T04:00:00Z"); // a report by the deadline is on time
    expect(await watchCases(deps)).toMatchObject({ reminded: 0, missing: 0 });
    now = new Date("2026-03-01T04:00:00.001Z");
    expect(await watchCases(deps)).toMatchObject({ reminded: 0, missing: 1 });
    expect((await overdueCases(deps)).overdue).toMatchObject([{ encounterId: "baoding-e9", disease: "cholera", missing: true }]);
    // a re-posted encounter keeps its flags
    await expectCases(deps, [diagnosis]);
    expect((await overdueCases(deps)).overdue).toHaveLength(1);
    // the late report clears it, and is flagged late
    const report = await receiveCaseMessage(deps, message("m1", { encounterId: "baoding-e9", empi: "E9" }), H);
    expect(report.late).toBe(true);
    expect((await overdueCases(deps)).overdue).toEqual([]);
  });

  it("expects nothing of an encounter whose case was reported first", async () => {
    await receiveCaseMessage(deps, message("m1", { encounterId: "baoding-e9", empi: "E9" }), H);
    expect(await expectCases(deps, [diagnosis])).toBe(0);
    now = new Date("2026-03-02T00:00:00Z");
    expect(await watchCases(deps)).toMatchObject({ reminded: 0, missing: 0 });
  });
});

describe("the message a hospital posts", () => {
  const bundle = (over: Partial<Parameters<typeof caseMessage>[0]> = {}) =>
    caseMessage({
      hospitalId: "h-a",
      messageId: "m1",
      patient: RESIDENT[0],
      encounter: { system: "https://hebei.health/sid/encounter/h-a", value: "E1" },
      code: "A00.100",
      recordedDate: "2026-03-01T10:00:00+08:00",
      ...over,
    });
  const refused = (work: () => unknown) => {
    try {
      work();
    } catch (error) {
      return error as DomainError;
    }
    throw new Error("not refused");
  };

  it("is read: the event, the disease by prefix, the diagnosis time, the patient and encounter by identifier", () => {
    const read = readCaseMessage(bundle(), "h-a", "p-1");
    expect(read).toMatchObject({ messageId: "m1", event: "case-report", code: "A00.100", disease: { id: "cholera" } });
    expect(read.condition!.recordedDate).toBe("2026-03-01T10:00:00+08:00");
    expect(readCaseMessage(bundle({ event: "void", reportId: "cr-1" }), "h-a", "p-1")).toEqual({
      messageId: "m1",
      event: "void",
      reportId: "cr-1",
    });
  });

  it("refuses, naming the field: a code that is not notifiable (422), another's endpoint, author or encounter (403), a void without its report (400)", () => {
    const cases: [unknown, string, string][] = [
      [bundle({ code: "I10" }), "unprocessable", "Condition.code"],
      [bundle({ code: "cholera" }), "invalid", "Condition.code.coding"],
      [{ ...bundle(), entry: [bundle().entry[0]] }, "invalid", "Condition"],
      [bundle({ recordedDate: "yesterday" }), "invalid", "Condition.recordedDate"],
    ];
    for (const [b, kind, field] of cases) {
      const error = refused(() => readCaseMessage(b as never, "h-a", "p-1"));
      expect([error.kind, error.issues[0]!.expression], JSON.stringify(error.issues)).toEqual([kind, field]);
    }
    expect(refused(() => readCaseMessage(bundle(), "h-b", "p-1")).issues[0]!.expression).toBe("MessageHeader.source.endpoint");
    expect(refused(() => readCaseMessage(bundle({ practitionerId: "p-2" }), "h-a", "p-1")).issues[0]!.expression).toBe(
      "MessageHeader.author",
    );
    const foreign = bundle({ encounter: { system: "https://hebei.health/sid/encounter/h-b", value: "E1" } });
    expect(refused(() => readCaseMessage(foreign, "h-a", "p-1")).kind).toBe("forbidden");
    expect(refused(() => readCaseMessage(bundle({ event: "void" }), "h-a", "p-1")).issues[0]!.expression).toBe("MessageHeader.focus");
  });

  it("is answered by a message Bundle responding ok to its id, focused on the report", async () => {
    const report = await receiveCaseMessage(deps, message("m1"), H);
    const answer = caseMessageAnswer({ messageId: "m1", event: "case-report" }, report, "a1", now.toISOString());
    expect(answer).toMatchObject({ resourceType: "Bundle", type: "message" });
    expect(answer.entry[0]!.resource).toMatchObject({
      response: { identifier: "m1", code: "ok" },
      focus: [{ reference: `Condition/${report.reportId}` }],
    });
  });
});
