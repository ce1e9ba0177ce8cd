/**
 * Telemedicine scheduling and referrals through the local province (docs/telemedicine.md#scheduling):
 * an expert's free slots (working hours, China Standard Time, 14 days ahead); hold → book, the report
 * deadline from the session; a hold lapsing on the province clock; a cancel, and a cancelled Task,
 * freeing the slot; an Appointment read by its Task's parties only; a third hospital refused; 50 concurrent $books of 5 slots from 6 hospitals → exactly
 * 5 booked, 45 × 409; a referral's admission and the down-referral straight back to the referring
 * hospital; a restart mid-flow that loses no booking and no hold's timer; a no-show counted.
 * Baoding's county hospitals ask for dermatology, which one municipal expert of Baoding serves (the seed's
 * bd006), so every Task here has the same owner and the contention is on one schedule. One province.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { advanceClock, call, startTestProvince, type TestProvince, waitFor } from "../support/province.ts";
import { type Hospital, type Json, serviceRequest, taskOf, telemedicineCalls } from "./telemedicine-support.ts";

let t: TestProvince;
let counties: Hospital[]; // requesters: Baoding's level-2 hospitals
let third: Hospital; // neither requester nor owner
let expert: Hospital; // the owner's hospital
let documentId = "";
const { hospital, as, ownerOf, move, inboxAbout, publish } = telemedicineCalls(() => t);

type Slot = { id: string; status: string; start: string };
type Task = Json & { id: string; owner: { reference: string }; for: { reference: string } };

/** A dermatology consult (or referral) requested by `h` and accepted by its owner */
async function acceptedTask(h: Hospital, category = "consult"): Promise<Task> {
  const res = await as(h, "POST", "/fhir/ServiceRequest", { body: serviceRequest(documentId, {}, "routine", category, "dermatology") });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  const task = taskOf(res.json)!;
  const accepted = await move(ownerOf(task)!, task, { status: "accepted" });
  expect(accepted.status, JSON.stringify(accepted.json)).toBe(200);
  return accepted.json as Task;
}
const slots = async (h: Hospital, task: Task, query = "&status=free"): Promise<Slot[]> => {
  const res = await as(h, "GET", `/fhir/Slot?schedule.actor=${task.owner.reference}${query}`);
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return ((res.json!.entry as { resource: Slot }[] | undefined) ?? []).map((e) => e.resource);
};
const statusOf = async (h: Hospital, task: Task, slotId: string) =>
  (await slots(h, task, `&start=ge${slotId.slice(-12, -8)}-${slotId.slice(-8, -6)}-${slotId.slice(-6, -4)}`)).find((s) => s.id === slotId)
    ?.status;
const parameters = (p: Record<string, string>) => ({
  resourceType: "Parameters",
  parameter: Object.entries(p).map(([name, reference]) => ({ name, valueReference: { reference } })),
});
const forTask = (task: Task, slotId: string) =>
  parameters({ slot: `Slot/${slotId}`, task: `Task/${task.id}`, patient: task.for.reference });
const hold = (h: Hospital, task: Task, slotId: string) => as(h, "POST", "/fhir/Appointment/$hold", { body: forTask(task, slotId) });
const book = (h: Hospital, body: Json) => as(h, "POST", "/fhir/Appointment/$book", { body });
const cancel = (h: Hospital, id: string) =>
  as(h, "PUT", `/fhir/Appointment/${id}`, { body: { resourceType: "Appointment", status: "cancelled" } });

beforeAll(async () => {
  t = await startTestProvince();
  counties = t.credentials.hospitals.filter((h) => h.cityId === "baoding" && h.level === 2 && h.practitioners.length > 0).slice(2, 9);
  third = counties.pop()!;
  documentId = await publish(counties[0]!, "TM-SCHED-DOC-1");
}, 180_000);
afterAll(async () => {
  await t?.province.stop();
});

describe("an expert's slots", () => {
  it("are 30 minutes in working hours (CST), 14 days ahead, searched only by the Task's parties", async () => {
    const task = await acceptedTask(counties[0]!);
    expert = ownerOf(task)!;
    expect(expert.id).toBe("bd006");
    const free = await slots(counties[0]!, task);
    // 14 days: 10 working days of 15 slots, less today's past ones
    expect(free.length).toBeGreaterThan(120);
    expect(free.length).toBeLessThanOrEqual(150);
    for (const slot of free) {
      const local = new Date(Date.parse(slot.start) + 8 * 3_600_000);
      const minute = local.getUTCHours() * 60 + local.getUTCMinutes();
      expect([1, 2, 3, 4, 5]).toContain(local.getUTCDay());
      expect((minute >= 480 && minute < 720) || (minute >= 840 && minute < 1050), slot.start).toBe(true);
      expect(Date.parse(slot.start)).toBeGreaterThan(Date.now() - 60_000);
    }
    expect((await slots(expert, task)).length).toBe(free.length);
    expect((await as(third, "GET", `/fhir/Slot?schedule.actor=${task.owner.reference}`)).status).toBe(403);
    expect((await as(third, "POST", "/fhir/Appointment/$hold", { body: forTask(task, free[0]!.id) })).status).toBe(403);
    expect((await book(third, forTask(task, free[0]!.id))).status).toBe(403);
    expect((await as(counties[0]!, "GET", "/fhir/Slot?status=free")).status).toBe(400);
  });
});

describe("hold and book", () => {
  it("holds a slot for 10 minutes, books it, and the consult's report is due 24 h after the session", async () => {
    const task = await acceptedTask(counties[1]!);
    const [slot] = await slots(counties[1]!, task);
    const held = await hold(counties[1]!, task, slot!.id);
    expect(held.status, JSON.stringify(held.json)).toBe(201);
    expect(held.json).toMatchObject({ resourceType: "Appointment", status: "pending" });
    expect(await statusOf(expert, task, slot!.id)).toBe("busy-tentative");
    expect((await hold(expert, task, slot!.id)).status).toBe(409);
    // a third hospital neither books the hold nor cancels it
    expect((await book(third, parameters({ appointment: `Appointment/${held.json!.id}` }))).status).toBe(403);
    expect((await cancel(third, String(held.json!.id))).status).toBe(403);
    const booked = await book(expert, parameters({ appointment: `Appointment/${held.json!.id}` }));
    expect(booked.status, JSON.stringify(booked.json)).toBe(200);
    expect(booked.json).toMatchObject({ id: held.json!.id, status: "booked" });
    expect(await statusOf(counties[1]!, task, slot!.id)).toBe("busy");
    // read by id: the Task's requester and owner only, each with a named practitioner
    const path = `/fhir/Appointment/${String(held.json!.id)}`;
    for (const party of [counties[1]!, expert]) {
      const read = await as(party, "GET", path);
      expect(read.status, JSON.stringify(read.json)).toBe(200);
      expect(read.json).toMatchObject({ id: held.json!.id, status: "booked", slot: [{ reference: `Slot/${slot!.id}` }] });
      expect(read.headers.get("etag")).toBe(`W/"${(read.json!.meta as { versionId: string }).versionId}"`);
    }
    expect((await as(third, "GET", path)).status).toBe(403);
    expect((await as(counties[1]!, "GET", path, { practitioner: null })).status).toBe(403);
    expect((await as(counties[1]!, "GET", "/fhir/Appointment/no-such-appointment")).status).toBe(404);
    const after = (await as(counties[1]!, "GET", `/fhir/Task/${task.id}`)).json!;
    expect(Date.parse(String((after.restriction as { period: { end: string } }).period.end))).toBe(Date.parse(slot!.start) + 86_400_000);
    await waitFor(
      () => inboxAbout(counties[1]!, task.id),
      (c) => c.includes("telemedicine-session-booked"),
    );
  });

  it("frees a hold not booked in time (the province clock), and the slot on a cancel or a cancelled Task", async () => {
    const task = await acceptedTask(counties[2]!);
    const [, slot] = await slots(counties[2]!, task);
    const held = await hold(counties[2]!, task, slot!.id);
    expect(held.status).toBe(201);
    await advanceClock(t.province, 11 * 60);
    expect(await statusOf(counties[2]!, task, slot!.id)).toBe("free");
    expect((await book(counties[2]!, parameters({ appointment: `Appointment/${held.json!.id}` }))).status).toBe(409);
    // booked directly, cancelled: free again
    const booked = await book(counties[2]!, forTask(task, slot!.id));
    expect(booked.status, JSON.stringify(booked.json)).toBe(200);
    const cancelled = await cancel(expert, String(booked.json!.id));
    expect(cancelled.json).toMatchObject({ status: "cancelled" });
    expect(await statusOf(counties[2]!, task, slot!.id)).toBe("free");
    expect((await cancel(expert, String(booked.json!.id))).status).toBe(409);
    // booked again, then the Task cancelled by its requester: the slot is free
    const again = await book(expert, forTask(task, slot!.id));
    expect(again.status).toBe(200);
    const current = (await as(counties[2]!, "GET", `/fhir/Task/${task.id}`)).json!;
    expect((await move(counties[2]!, current, { status: "cancelled" })).status).toBe(200);
    const other = await acceptedTask(counties[2]!);
    expect(await statusOf(counties[2]!, other, slot!.id)).toBe("free");
  });

  it("lets exactly 5 of 50 concurrent $books of 5 slots win, from 6 hospitals within their throttle", async () => {
    const tasks = await Promise.all(Array.from({ length: 10 }, (_, k) => acceptedTask(counties[k % 5]!)));
    expect(new Set(tasks.map((x) => x.owner.reference)).size).toBe(1);
    const five = (await slots(expert, tasks[0]!)).slice(20, 25);
    // Task k books slot k mod 5: each slot is wanted by two Tasks, five times each, by their requester and the expert's hospital
    const attempts = Array.from({ length: 50 }, (_, i) => {
      const k = i % 10;
      const by = Math.floor(i / 10) < 3 ? counties[k % 5]! : expert;
      return book(by, forTask(tasks[k]!, five[k % 5]!.id));
    });
    const answers = await Promise.all(attempts);
    const count = (status: number) => answers.filter((a) => a.status === status).length;
    expect({ booked: count(200), refused: count(409) }).toEqual({ booked: 5, refused: 45 });
    const after = await slots(expert, tasks[0]!, "");
    for (const slot of five) expect(after.find((s) => s.id === slot.id)?.status).toBe("busy");
    const winners = answers.filter((a) => a.status === 200).map((a) => (a.json!.slot as { reference: string }[])[0]!.reference);
    expect(new Set(winners).size).toBe(5);
  }, 120_000);
});

describe("referrals", () => {
  it("books the admission; the receiving hospital completes and sends the patient back by a down-referral", async () => {
    const requester = counties[3]!;
    const task = await acceptedTask(requester, "referral");
    const [slot] = await slots(requester, task);
    const admission = await book(requester, forTask(task, slot!.id));
    expect(admission.status, JSON.stringify(admission.json)).toBe(200);
    const current = (await as(expert, "GET", `/fhir/Task/${task.id}`)).json!; // the booking wrote the Task's session
    const working = await move(expert, current, { status: "in-progress" });
    expect(working.status, JSON.stringify(working.json)).toBe(200);
    const summary = await publish(expert, `TM-DISCHARGE-${task.id.slice(0, 8)}`);
    const done = await move(expert, working.json!, {
      status: "completed",
      output: [{ valueReference: { reference: `DocumentReference/${summary}` } }],
    });
    expect(done.status, JSON.stringify(done.json)).toBe(200);
    const focus = String((task.focus as { reference: string }).reference);
    const down = serviceRequest(summary, { basedOn: [{ reference: focus }] }, "routine", "referral", "dermatology");
    expect((await as(requester, "POST", "/fhir/ServiceRequest", { body: down })).status).toBe(403);
    const sent = await as(expert, "POST", "/fhir/ServiceRequest", { body: down });
    expect(sent.status, JSON.stringify(sent.json)).toBe(201);
    const back = taskOf(sent.json)!;
    expect(back).toMatchObject({
      status: "requested",
      basedOn: [{ reference: focus }],
      requester: { reference: `Organization/${expert.id}` },
      owner: { reference: `Organization/${requester.id}` },
    });
    await waitFor(
      () => inboxAbout(requester, String(back.id)),
      (c) => c.includes("telemedicine-assigned"),
    );
    // the referring hospital reads the discharge summary through the exchange, and accepts the patient back
    expect((await as(requester, "GET", `/fhir/DocumentReference/${summary}`)).status).toBe(200);
    expect((await move(requester, back, { status: "rejected", statusReason: { text: "no" } })).status).toBe(409);
    expect((await move(requester, back, { status: "accepted" })).status).toBe(200);
  }, 120_000);
});

describe("across a restart and the province clock", () => {
  it("loses no booking and no hold's timer; a session nobody attended is a no-show in the KPIs", async () => {
    const task = await acceptedTask(counties[4]!);
    const free = await slots(counties[4]!, task);
    const booked = await book(counties[4]!, forTask(task, free[0]!.id));
    expect(booked.status).toBe(200);
    const other = await acceptedTask(counties[4]!);
    expect((await hold(counties[4]!, other, free[1]!.id)).status).toBe(201);
    await t.province.stop();
    t = await startTestProvince(t.dataDir);
    [counties, expert, third] = [counties.map((h) => hospital(h.id)), hospital(expert.id), hospital(third.id)];
    expect(await statusOf(counties[4]!, task, free[0]!.id)).toBe("busy");
    expect(await statusOf(counties[4]!, task, free[1]!.id)).toBe("busy-tentative");
    expect((await book(expert, forTask(other, free[0]!.id))).status).toBe(409);
    // the session's start passes by more than 30 minutes with the Task still accepted: a no-show
    const seconds = Math.ceil((Date.parse(free[0]!.start) - Date.now()) / 1000) + 31 * 60;
    await advanceClock(t.province, seconds);
    const day = new Date(Date.now() + seconds * 1000).toISOString().slice(0, 10);
    const url = `${t.province.url}/hub/telemedicine/kpis?from=${new Date(Date.now() - 86_400_000).toISOString().slice(0, 10)}&to=${day}`;
    const kpis = await waitFor(
      async () => (await call(url, { method: "GET", token: t.credentials.operator })).json!,
      // this hospital's own (another test's session may have passed first and counted in the total)
      (k) =>
        ((k.hospitals as { hospitalId: string; noShows: number }[] | undefined)?.find((h) => h.hospitalId === counties[4]!.id)?.noShows ??
          0) >= 1,
    );
    expect((kpis.hospitals as { hospitalId: string; noShows: number }[]).find((h) => h.hospitalId === counties[4]!.id)?.noShows).toBe(1);
    // the hold's 10 minutes ran on across the restart: the slot is no longer held
    expect(await statusOf(counties[4]!, other, free[1]!.id)).not.toBe("busy-tentative");
  }, 180_000);
});
