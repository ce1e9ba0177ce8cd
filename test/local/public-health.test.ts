/**
 * Issue 17 through the local province (docs/public-health.md): notifiable-disease case reports posted
 * to a city's `$process-message`, kept at the hub with their deadlines, forwarded to disease control
 * through the department exchange and accepted on its answer (the reference departments node), folded,
 * voided (the void reaching disease control), listed by the hospital and the operator; an encounter's
 * notifiable diagnosis left unreported reminds its hospital at half time and is flagged missing past its
 * deadline (province clock); the monthly figures, sent to the health commission. One province for the
 * file; the disease list and the use cases' every branch are in test/domain/public-health/.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  caseMessage,
  daughter,
  encounterOf,
  father,
  patientOf,
  publishBundle,
  type Registration,
  withDiagnoses,
} from "#lib/world/index.ts";
import { encounterSystem } from "#schemas/documents.ts";
import type { InboxCommunication } from "#schemas/messages.ts";
import { EMPI_SYSTEM, MOTHER_EXTENSION_URL, mrnSystem, RESIDENT_ID_SYSTEM } from "#schemas/patient.ts";
import type { ServiceType } from "#schemas/public-health.ts";
import { clock } from "#shared/clock.ts";
import { advanceClock, call, queueSettled, startTestProvince, type TestProvince, waitFor } from "../support/province.ts";

let t: TestProvince;
type Hospital = TestProvince["credentials"]["hospitals"][number];
type Json = Record<string, unknown>;
type Report = { reportId: string; status: string; late: boolean; deadline: string; diagnosedAt: string; disease: string; cityId: string };
let h: Hospital; // Baoding: reports its cases
let doctor: string;
let serial = 0;

beforeAll(async () => {
  t = await startTestProvince();
  h = t.credentials.hospitals.find((x) => x.cityId === "baoding" && x.practitioners.length > 0)!;
  doctor = h.practitioners[0]!;
}, 180_000);
afterAll(async () => {
  await t?.province.stop();
});

const cityUrl = (path: string) => `${t.province.url}/cities/${h.cityId}${path}`;
const register = async (mrn: string, resident: Registration) => {
  const res = await call(cityUrl("/fhir/Patient"), { token: h.credential, body: patientOf(h.id, mrn, resident) });
  expect([200, 201], JSON.stringify(res.json)).toContain(res.status);
  return ((res.json?.identifier ?? []) as { system: string; value: string }[]).find((i) => i.system === EMPI_SYSTEM)!.value;
};
const post = (body: unknown) =>
  call(cityUrl("/fhir/$process-message"), { token: h.credential, headers: { "x-practitioner-id": doctor }, body });
const report = async (
  mrn: string,
  code: string,
  recordedDate: string,
  more: { encounter?: string; event?: "update" | "void"; reportId?: string } = {},
) => {
  const res = await post(
    caseMessage({
      hospitalId: h.id,
      messageId: `ph-${Date.now().toString(36)}-${++serial}`,
      patient: { system: mrnSystem(h.id), value: mrn },
      code,
      recordedDate,
      practitionerId: doctor,
      ...(more.encounter ? { encounter: { system: encounterSystem(h.id), value: more.encounter } } : {}),
      ...(more.event ? { event: more.event, reportId: more.reportId } : {}),
    }),
  );
  return res;
};
const focusOf = (answer: Json | undefined) => {
  const header = ((answer?.entry as { resource: Json }[]) ?? [])[0]?.resource as { focus: { reference: string }[] };
  return header.focus[0]!.reference.replace("Condition/", "");
};
const ownReports = async (query = "") => {
  const res = await call(cityUrl(`/fhir/$case-reports${query}`), { token: h.credential, headers: { "x-practitioner-id": doctor } });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.json!.reports as Report[];
};
const operatorView = async (path: string) => {
  const res = await call(`${t.province.url}/hub/public-health/${path}`, { token: t.credentials.operator });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.json!;
};
/** Where a report stands once the department exchange has taken it for disease control */
const handedOver = (status: string) => status === "forwarded" || status === "accepted";
/** What a department's system received (the reference departments node, loopback) */
const receivedBy = async (member: string) =>
  (await call(`${t.province.url}/departments/${member}/messages`)).json as unknown as { entry: { resource: Json }[] }[];
const headerOf = (bundle: { entry: { resource: Json }[] }) =>
  bundle.entry[0]!.resource as { id: string; eventCoding: { code: string }; focus?: { reference: string }[] };
const ago = (seconds: number) => new Date(clock.nowMs() - seconds * 1000).toISOString();

describe("case reports", () => {
  let mrn: string;
  beforeAll(async () => {
    mrn = "PH-FATHER";
    await register(mrn, father);
  });

  it("a class A case is answered ok, forwarded to disease control within a minute with its 2-hour deadline, then accepted", async () => {
    const diagnosedAt = ago(600);
    const res = await report(mrn, "A00.100", diagnosedAt);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const header = (res.json!.entry as { resource: Json }[])[0]!.resource as Json;
    expect(res.json).toMatchObject({ resourceType: "Bundle", type: "message" });
    expect(header).toMatchObject({ resourceType: "MessageHeader", response: { code: "ok" } });
    const reportId = focusOf(res.json);
    const started = clock.nowMs();
    const listed = await waitFor(
      async () => (await ownReports()).find((r) => r.reportId === reportId),
      (r) => r !== undefined && handedOver(r.status),
      60_000,
    );
    expect(clock.nowMs() - started).toBeLessThan(60_000);
    expect(listed).toMatchObject({ disease: "cholera", late: false });
    expect(Date.parse(listed!.deadline) - Date.parse(listed!.diagnosedAt)).toBe(2 * 3_600_000);
    expect(Date.parse(listed!.diagnosedAt)).toBe(Date.parse(diagnosedAt));
    // disease control received it once, and its answer (the reference node's ok) makes the report accepted
    const accepted = await waitFor(
      async () => (await ownReports("?status=accepted")).find((r) => r.reportId === reportId),
      (r) => r !== undefined,
      60_000,
    );
    expect(accepted).toMatchObject({ status: "accepted" });
    const atDiseaseControl = (await receivedBy("disease-control")).filter((b) => headerOf(b).id === `${reportId}.0`);
    expect(atDiseaseControl).toHaveLength(1);
    expect(headerOf(atDiseaseControl[0]!).eventCoding.code).toBe("case-report");
    const condition = atDiseaseControl[0]!.entry[1]!.resource as { id: string; code: { coding: { code: string }[] } };
    expect(condition).toMatchObject({ resourceType: "Condition", id: reportId });
    expect(condition.code.coding[0]!.code).toBe("A00.100");
  }, 120_000);

  it("a report received after its deadline is flagged late", async () => {
    const res = await report(mrn, "B05", ago(25 * 3600)); // measles: 24 hours
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const reportId = focusOf(res.json);
    expect((await ownReports()).find((r) => r.reportId === reportId)).toMatchObject({ late: true, disease: "measles" });
  });

  it("a duplicate within 7 days is folded into the first report", async () => {
    const first = focusOf((await report(mrn, "A01", ago(3 * 86_400))).json);
    const again = await report(mrn, "A01.000x001", ago(60));
    expect(again.status, JSON.stringify(again.json)).toBe(200);
    expect(focusOf(again.json)).toBe(first);
    expect((await ownReports()).filter((r) => r.disease === "typhoid")).toHaveLength(1);
  });

  it("a void retracts a report", async () => {
    const reportId = focusOf((await report(mrn, "B26", ago(60))).json); // mumps
    await waitFor(
      async () => (await ownReports()).find((r) => r.reportId === reportId)?.status,
      (s) => s !== undefined && handedOver(s),
      60_000,
    );
    const res = await report(mrn, "B26", ago(60), { event: "void", reportId });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect((await ownReports("?status=void")).map((r) => r.reportId)).toContain(reportId);
    const hub = (await operatorView("case-reports?disease=mumps&city=baoding")).reports as Report[];
    expect(hub.find((r) => r.reportId === reportId)?.status).toBe("void");
    // the void reaches disease control, naming the report's first message, with the Condition entered-in-error
    const voidAt = await waitFor(
      async () =>
        (await receivedBy("disease-control")).filter(
          (b) => headerOf(b).eventCoding.code === "void" && headerOf(b).id.startsWith(`${reportId}.`),
        ),
      (list) => list.length > 0,
      60_000,
    );
    expect(voidAt).toHaveLength(1);
    const [named, condition] = voidAt[0]!.entry.slice(1).map((e) => e.resource);
    expect(named).toMatchObject({ resourceType: "Parameters", parameter: [{ name: "messageId", valueString: `${reportId}.0` }] });
    expect(condition).toMatchObject({ id: reportId, verificationStatus: { coding: [{ code: "entered-in-error" }] } });
  }, 120_000);

  it("a code that is not notifiable is a 422 naming Condition.code; a hospital lists only its own; the operator filters", async () => {
    const res = await report(mrn, "I10", ago(60));
    expect(res.status).toBe(422);
    expect((res.json!.issue as { expression: string[] }[])[0]!.expression).toEqual(["Condition.code"]);
    const unknown = await call(cityUrl("/fhir/$case-reports?disease=cholera"), {
      token: h.credential,
      headers: { "x-practitioner-id": doctor },
    });
    expect(unknown.status).toBe(400);
    const other = t.credentials.hospitals.find((x) => x.cityId === "baoding" && x.id !== h.id && x.practitioners.length > 0)!;
    const theirs = await call(`${t.province.url}/cities/baoding/fhir/$case-reports`, {
      token: other.credential,
      headers: { "x-practitioner-id": other.practitioners[0]! },
    });
    expect(theirs.json!.reports).toEqual([]);
    const cholera = (await operatorView("case-reports?disease=cholera")).reports as Report[];
    expect(cholera.length).toBeGreaterThan(0);
    expect(cholera.every((r) => r.disease === "cholera" && r.cityId === "baoding")).toBe(true);
    expect((await operatorView("case-reports?city=tangshan")).reports).toEqual([]);
  });
});

describe("the forgotten case", () => {
  it("an encounter's unreported notifiable diagnosis reminds its hospital at half time and is flagged missing past its deadline", async () => {
    const mrn = "PH-DAUGHTER";
    await register(mrn, daughter);
    const number = `PH-E-${Date.now().toString(36)}`;
    const diagnosedAt = clock.isoNow();
    const encounter = withDiagnoses(
      encounterOf(h.id, number, mrn, false, diagnosedAt, diagnosedAt),
      [
        { code: "A00", recordedDate: diagnosedAt },
        { code: "I10", recordedDate: diagnosedAt },
      ],
      "general",
    );
    const recorded = await call(cityUrl("/fhir/Encounter"), {
      token: h.credential,
      headers: { "x-practitioner-id": doctor },
      body: encounter,
    });
    expect(recorded.status, JSON.stringify(recorded.json)).toBe(201);
    expect(recorded.json!.contained).toHaveLength(2);
    const encounterId = String(recorded.json!.id);
    const overdue = async () =>
      ((await operatorView("overdue")).overdue as { encounterId: string; disease: string }[]).filter((e) => e.encounterId === encounterId);

    await advanceClock(t.province, 3_601); // past half of cholera's 2 hours
    const reminder = await waitFor(
      async () => {
        const res = await call(cityUrl("/fep/inbox?wait=2"), { token: h.credential });
        return ((res.json?.entry as { resource: InboxCommunication }[] | undefined) ?? [])
          .map((e) => e.resource)
          .find((c) => c.payload[0]?.contentReference.reference === `Encounter/${encounterId}`);
      },
      (c) => c !== undefined,
      60_000,
    );
    expect(reminder!.recipient).toEqual([{ reference: `Organization/${h.id}` }]);
    expect(reminder!.category?.[0]?.text).toContain("A00");
    expect(await overdue()).toEqual([]);

    await advanceClock(t.province, 3_601); // past the deadline
    const flagged = await waitFor(overdue, (list) => list.length > 0, 60_000);
    expect(flagged).toMatchObject([{ encounterId, disease: "cholera", missing: true, hospitalId: h.id }]);

    // the hospital reports at last: late, and off the overdue list
    const res = await report(mrn, "A00", diagnosedAt, { encounter: number });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect((await ownReports()).find((r) => r.reportId === focusOf(res.json))).toMatchObject({ late: true });
    expect(await overdue()).toEqual([]);
  }, 180_000);
});

describe("the monthly figures", () => {
  const MONTH = "2025-03";
  // each visit, and whether it falls in March 2025 in China Standard Time (decided here by hand)
  const VISITS: { start: string; service?: ServiceType; codes?: string[]; inpatient?: boolean; march: boolean }[] = [
    { start: "2025-03-05T09:00:00+08:00", service: "prenatal-care", march: true },
    { start: "2025-03-31T23:30:00+08:00", service: "prenatal-care", march: true },
    { start: "2025-02-28T23:30:00+08:00", service: "prenatal-care", march: false },
    { start: "2025-03-31T16:10:00Z", service: "prenatal-care", march: false }, // 1 April 00:10 in Beijing
    { start: "2025-03-12T10:00:00+08:00", service: "delivery", inpatient: true, march: true },
    { start: "2025-03-12T11:00:00+08:00", service: "child-health-check", march: true },
    { start: "2025-03-13T08:00:00+08:00", service: "chronic-follow-up", codes: ["I10"], march: true },
    { start: "2025-03-14T08:00:00+08:00", service: "chronic-follow-up", codes: ["E11.9", "I15.0"], march: true },
    { start: "2025-03-15T08:00:00+08:00", service: "general", codes: ["I20"], march: true },
    { start: "2025-03-16T08:00:00+08:00", service: "tcm", march: true },
    { start: "2025-03-17T08:00:00+08:00", service: "tcm", inpatient: true, march: true },
  ];
  // newborns registered with a birth certificate (LOINC 71230-7), and whether its date falls in March 2025 (CST)
  const BIRTHS = [
    { mrn: "PH-NB-1", date: "2025-03-10T12:00:00+08:00", march: true },
    { mrn: "PH-NB-2", date: "2025-02-28T20:00:00+08:00", march: false },
  ];
  const expected = (() => {
    const march = VISITS.filter((v) => v.march);
    const codes = (v: (typeof VISITS)[number], letter: string, from: number, to: number) =>
      (v.codes ?? []).some((c) => c.startsWith(letter) && Number(c.slice(1, 3)) >= from && Number(c.slice(1, 3)) <= to);
    return {
      "prenatal-visits": march.filter((v) => v.service === "prenatal-care").length,
      deliveries: march.filter((v) => v.service === "delivery").length,
      "child-health-checks": march.filter((v) => v.service === "child-health-check").length,
      "hypertension-follow-ups": march.filter((v) => codes(v, "I", 10, 15)).length,
      "diabetes-follow-ups": march.filter((v) => codes(v, "E", 10, 14)).length,
      "tcm-outpatient-visits": march.filter((v) => v.service === "tcm" && !v.inpatient).length,
      "notifiable-cases": 1,
      births: BIRTHS.filter((b) => b.march).length,
    };
  })();
  const figures = async () => {
    const res = await call(`${t.province.url}/hub/fhir/MeasureReport?period=${MONTH}&subject=baoding`, { token: t.credentials.operator });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    return (res.json!.entry as { resource: Json }[]).map((e) => e.resource);
  };
  const run = async () => {
    const res = await call(`${t.province.url}/hub/public-health/monthly?month=${MONTH}`, { token: t.credentials.operator, method: "POST" });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    return res.json as { written: string[]; unchanged: string[] };
  };

  it("equal a count made independently from the same encounters, and re-running the month changes nothing", async () => {
    const mrn = "PH-MONTHLY";
    await register(mrn, father);
    for (const [i, v] of VISITS.entries()) {
      const body = withDiagnoses(
        encounterOf(h.id, `PH-M-${i}`, mrn, v.inpatient ?? false, v.start, v.start),
        (v.codes ?? []).map((code) => ({ code, recordedDate: v.start })),
        v.service,
      );
      const res = await call(cityUrl("/fhir/Encounter"), { token: h.credential, headers: { "x-practitioner-id": doctor }, body });
      expect([200, 201], JSON.stringify(res.json)).toContain(res.status);
    }
    expect((await report(mrn, "B05", "2025-03-20T08:00:00+08:00")).status).toBe(200);
    for (const [i, b] of BIRTHS.entries()) {
      const newborn = {
        resourceType: "Patient",
        identifier: [{ system: mrnSystem(h.id), value: b.mrn }],
        name: [{ family: "张" }],
        gender: "female",
        birthDate: b.date.slice(0, 10),
        multipleBirthInteger: i + 1,
        extension: [{ url: MOTHER_EXTENSION_URL, valueIdentifier: { system: RESIDENT_ID_SYSTEM, value: daughter.residentId } }],
      };
      expect((await call(cityUrl("/fhir/Patient"), { token: h.credential, body: newborn })).status).toBe(201);
      const certificate = publishBundle(
        { id: h.id, practitioners: h.practitioners },
        `PH-BC-${i}`,
        { system: mrnSystem(h.id), value: b.mrn },
        { loinc: "71230-7", date: b.date, withList: false, bytes: Buffer.from(`<ClinicalDocument>birth ${i}</ClinicalDocument>`) },
      );
      const res = await call(cityUrl("/fhir"), { token: h.credential, headers: { "x-practitioner-id": doctor }, body: certificate });
      expect(res.status, JSON.stringify(res.json)).toBe(201);
    }
    await queueSettled(t.province, "hub", "Exchange", 60_000);

    const first = await run();
    expect(first.written).toContain("mr-baoding-2025-03");
    const [kept] = await figures();
    expect(kept).toMatchObject({ resourceType: "MeasureReport", id: "mr-baoding-2025-03", period: { start: "2025-03-01T00:00:00+08:00" } });
    const counted = Object.fromEntries(
      (kept!.group as { code: { coding: { code: string }[] }; population: { count: number }[] }[]).map((g) => [
        g.code.coding[0]!.code,
        g.population[0]!.count,
      ]),
    );
    expect(counted).toEqual(expected);
    // stratified by sex as the MPI knows each resident: the visits and the case are the father's, the newborn a girl
    const bySex = Object.fromEntries(
      (kept!.group as { code: { coding: { code: string }[] }; stratifier: { code: { text: string }[]; stratum: Json[] }[] }[]).map((g) => [
        g.code.coding[0]!.code,
        Object.fromEntries(
          (g.stratifier.find((s) => s.code[0]!.text === "sex")?.stratum ?? []).map((s) => [
            (s.value as { text: string }).text,
            (s.population as { count: number }[])[0]!.count,
          ]),
        ),
      ]),
    );
    expect(bySex).toEqual(
      Object.fromEntries(
        Object.entries(expected).map(([indicator, n]) => [
          indicator,
          n === 0 ? {} : { [indicator === "births" ? "female" : father.sex!]: n },
        ]),
      ),
    );

    const again = await run();
    expect(again.written).toEqual([]);
    expect(again.unchanged).toContain("mr-baoding-2025-03");
    expect(await figures()).toEqual([kept]);
    // sent to the health commission through the department exchange, once (the re-run sends nothing)
    const sentReports = async () =>
      (await receivedBy("health-commission")).filter((b) => (b.entry[1]?.resource as Json | undefined)?.id === "mr-baoding-2025-03");
    // (the re-run wrote nothing, so it sent nothing: a report is sent only when it is written)
    const atCommission = await waitFor(sentReports, (list) => list.length > 0, 90_000);
    expect(atCommission).toHaveLength(1);
    expect(headerOf(atCommission[0]!).eventCoding.code).toBe("monthly-report");
    expect(atCommission[0]!.entry[1]!.resource).toEqual(kept);
  }, 240_000);
});
