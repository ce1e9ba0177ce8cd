/**
 * Telemedicine scheduling and referrals without I/O (docs/telemedicine.md#scheduling): the working-hour
 * slots in China Standard Time and their ids, the horizon, a lapsed hold; over in-memory stores: hold →
 * book, one winner among concurrent books of a slot, a hold lapsing (lazily and by the sweep), a cancel
 * and a cancelled Task freeing the slot, a third hospital refused, the report deadline from the session,
 * a no-show, and a down-referral addressed straight back to the referring hospital.
 */
import { describe, expect, it } from "vitest";
import type { Expert } from "#domain/telemedicine/dispatch.ts";
import { horizonThrough, parseSlotId, SCHEDULING_POLICY, slotsBetween, statusNow } from "#domain/telemedicine/schedule.ts";
import { type ServiceRequestInput, serviceRequestSchema } from "#schemas/telemedicine.ts";
import type { SchedulingParameters } from "#schemas/telemedicine-scheduling.ts";
import { bookSlot, cancelAppointment, holdSlot, searchSlots, sweepSchedules } from "#use-cases/telemedicine/scheduling.ts";
import { kpisBetween, requestTelemedicine, updateTask } from "#use-cases/telemedicine/tasks.ts";
import { memoryDeps } from "./telemedicine-memory.ts";

const MIN = 60_000;
const ROLE = "bd101-p001-r1";

describe("slots", () => {
  it("are 30 minutes in working hours, China Standard Time, Monday to Friday: 15 a day", () => {
    // Monday 2026-12-07, CST: 08:00 CST is 00:00 UTC
    const monday = slotsBetween(ROLE, new Date("2026-12-06T16:00:00Z"), new Date("2026-12-07T16:00:00Z"));
    expect(monday).toHaveLength(15);
    expect(monday[0]).toEqual({
      id: `${ROLE}.202612070800`,
      roleId: ROLE,
      start: "2026-12-07T00:00:00.000Z",
      end: "2026-12-07T00:30:00.000Z",
    });
    expect(monday.map((s) => s.id.slice(-4))).toEqual([
      ...["0800", "0830", "0900", "0930", "1000", "1030", "1100", "1130"],
      ...["1400", "1430", "1500", "1530", "1600", "1630", "1700"],
    ]);
    // the weekend has none; a week has 75
    expect(slotsBetween(ROLE, new Date("2026-12-04T16:00:00Z"), new Date("2026-12-06T16:00:00Z"))).toHaveLength(0);
    expect(slotsBetween(ROLE, new Date("2026-12-06T16:00:00Z"), new Date("2026-12-13T16:00:00Z"))).toHaveLength(75);
  });

  it("are named by their id, and only working-hour slots are", () => {
    for (const slot of slotsBetween(ROLE, new Date("2026-12-06T16:00:00Z"), new Date("2026-12-08T16:00:00Z")))
      expect(parseSlotId(slot.id)).toEqual(slot);
    for (const bad of ["202612071200", "202612070730", "202612050900", "202612071745", "202602300900", "202612070815", "x"])
      expect(parseSlotId(`${ROLE}.${bad}`), bad).toBeUndefined();
  });

  it("are kept 14 days ahead from the CST day; a hold that lapsed is free", () => {
    expect(horizonThrough(new Date("2026-12-04T15:59:00Z"))).toBe("2026-12-18");
    expect(horizonThrough(new Date("2026-12-04T16:00:00Z"))).toBe("2026-12-19"); // midnight CST
    const now = new Date("2026-12-07T00:00:00Z");
    expect(statusNow(undefined, now)).toBe("free");
    expect(statusNow({ status: "busy-tentative", appointmentId: "a", holdUntil: "2026-12-07T00:05:00.000Z" }, now)).toBe("busy-tentative");
    expect(statusNow({ status: "busy-tentative", appointmentId: "a", holdUntil: "2026-12-06T23:59:00.000Z" }, now)).toBe("free");
    expect(statusNow({ status: "busy", appointmentId: "a" }, now)).toBe("busy");
  });
});

const EXPERTS: Expert[] = [
  {
    roleId: ROLE,
    practitionerId: "bd101-p001",
    hospitalId: "bd101",
    cityId: "baoding",
    tier: "municipal",
    specialties: ["internal-medicine"],
  },
];
const DOCS = new Map([
  ["baoding-doc00001", { hospitalId: "bd201", status: "current" }],
  ["baoding-discharge", { hospitalId: "bd101", status: "current" }],
]);
const request = (category: string, more: Record<string, unknown> = {}): ServiceRequestInput =>
  serviceRequestSchema.parse({
    resourceType: "ServiceRequest",
    category: [{ coding: [{ system: "https://hebei.health/fhir/CodeSystem/telemedicine-category", code: category }] }],
    priority: "routine",
    subject: { identifier: { system: "https://hebei.health/sid/resident-id", value: "R1" } },
    performerType: { coding: [{ system: "https://hebei.health/fhir/CodeSystem/clinical-department", code: "internal-medicine" }] },
    note: [{ text: "please see" }],
    supportingInfo: [{ reference: "DocumentReference/baoding-doc00001" }],
    extension: [{ url: "https://hebei.health/fhir/StructureDefinition/informed-consent", valueBoolean: true }],
    ...more,
  });
const party = (hospitalId: string) => ({ hospitalId, cityId: "baoding", practitionerId: `${hospitalId}-p001` });
const [requester, owner, third] = [party("bd201"), party("bd101"), party("bd202")];
const params = (p: Record<string, string>): SchedulingParameters => ({
  resourceType: "Parameters",
  parameter: Object.entries(p).map(([name, id]) => ({
    name,
    valueReference: { reference: `${name[0]!.toUpperCase()}${name.slice(1)}/${id}` },
  })) as SchedulingParameters["parameter"],
});

/** A consult (or referral) accepted by bd101, the horizon set, and the first free slots */
async function accepted(category = "consult") {
  const memory = memoryDeps(EXPERTS, DOCS);
  const { deps } = memory;
  await sweepSchedules(deps);
  const { task } = await requestTelemedicine(deps, requester, request(category));
  const ok = await updateTask(deps, owner, task.id, `W/"${task.version}"`, { resourceType: "Task", status: "accepted" });
  const search = await searchSlots(deps, requester, { "schedule.actor": `PractitionerRole/${ROLE}`, status: "free" });
  const slots = search.entry.map((e) => e.resource.id as string);
  return { ...memory, task: ok, slots };
}

describe("hold and book", () => {
  it("holds a slot for 10 minutes, then books it: the Task's report is due 24 h after the session", async () => {
    const { deps, task, slots } = await accepted();
    expect(slots.length).toBeGreaterThan(100); // 14 days ahead
    const held = await holdSlot(deps, requester, params({ slot: slots[2]!, task: task.id, patient: task.empi }));
    expect(held).toMatchObject({ status: "pending", slot: [{ reference: `Slot/${slots[2]}` }] });
    const search = await searchSlots(deps, owner, { "schedule.actor": `PractitionerRole/${ROLE}` });
    expect(search.entry.find((e) => e.resource.id === slots[2])!.resource.status).toBe("busy-tentative");
    await expect(holdSlot(deps, owner, params({ slot: slots[2]!, task: task.id, patient: task.empi }))).rejects.toMatchObject({
      kind: "conflict",
    });
    const booked = await bookSlot(deps, owner, params({ appointment: String(held.id) }));
    expect(booked).toMatchObject({ id: held.id, status: "booked" });
    const after = (await deps.tasks.get(task.id))!;
    expect(after.session).toEqual({ appointmentId: held.id, start: booked.start });
    expect(Date.parse(after.deadline!)).toBe(Date.parse(String(booked.start)) + 24 * 3_600_000);
    // one session per Task
    await expect(bookSlot(deps, requester, params({ slot: slots[3]!, task: task.id, patient: task.empi }))).rejects.toMatchObject({
      kind: "conflict",
    });
  });

  it("lets exactly one of concurrent books of one slot win", async () => {
    const { deps, task, slots } = await accepted();
    const tries = Array.from({ length: 10 }, (_, i) =>
      bookSlot(deps, i % 2 ? owner : requester, params({ slot: slots[0]!, task: task.id, patient: task.empi })),
    );
    const results = await Promise.allSettled(tries);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.filter((r) => r.status === "rejected" && (r.reason as { kind: string }).kind === "conflict")).toHaveLength(9);
  });

  it("refuses a third hospital, another patient, a read, a slot of another schedule, a Task not accepted", async () => {
    const { deps, task, slots } = await accepted();
    const p = params({ slot: slots[0]!, task: task.id, patient: task.empi });
    await expect(holdSlot(deps, third, p)).rejects.toMatchObject({ kind: "forbidden" });
    await expect(searchSlots(deps, third, { "schedule.actor": `PractitionerRole/${ROLE}` })).rejects.toMatchObject({ kind: "forbidden" });
    await expect(holdSlot(deps, requester, params({ slot: slots[0]!, task: task.id, patient: "E9" }))).rejects.toMatchObject({
      kind: "unprocessable",
    });
    const other = `bd102-p001-r1.${slots[0]!.split(".")[1]}`;
    await expect(holdSlot(deps, requester, params({ slot: other, task: task.id, patient: task.empi }))).rejects.toThrow(/schedule/);
    await expect(holdSlot(deps, requester, params({ task: task.id, patient: task.empi }))).rejects.toMatchObject({ kind: "invalid" });
    const { task: read } = await requestTelemedicine(deps, requester, request("ecg-read"));
    await expect(holdSlot(deps, requester, params({ slot: slots[0]!, task: read.id, patient: task.empi }))).rejects.toThrow(/consults/);
    const { task: fresh } = await requestTelemedicine(deps, requester, request("consult"));
    await expect(holdSlot(deps, requester, params({ slot: slots[0]!, task: fresh.id, patient: task.empi }))).rejects.toMatchObject({
      kind: "conflict",
    });
  });

  it("frees a lapsed hold: at once for another hold, and by the sweep", async () => {
    const { deps, task, slots, advance } = await accepted();
    const held = await holdSlot(deps, requester, params({ slot: slots[5]!, task: task.id, patient: task.empi }));
    advance(SCHEDULING_POLICY.holdMs + MIN);
    await expect(bookSlot(deps, requester, params({ appointment: String(held.id) }))).rejects.toThrow(/lapsed/);
    expect((await sweepSchedules(deps)).holdsLapsed).toBe(1);
    expect((await deps.slots.appointment(String(held.id)))!.status).toBe("cancelled");
    const again = await holdSlot(deps, owner, params({ slot: slots[5]!, task: task.id, patient: task.empi }));
    expect(again.status).toBe("pending");
  });

  it("frees the slot when the Appointment or the Task is cancelled", async () => {
    const { deps, task, slots } = await accepted();
    const booked = await bookSlot(deps, requester, params({ slot: slots[1]!, task: task.id, patient: task.empi }));
    await expect(
      cancelAppointment(deps, third, String(booked.id), undefined, { resourceType: "Appointment", status: "cancelled" }),
    ).rejects.toMatchObject({
      kind: "forbidden",
    });
    await expect(
      cancelAppointment(deps, owner, String(booked.id), 'W/"9"', { resourceType: "Appointment", status: "cancelled" }),
    ).rejects.toMatchObject({
      kind: "precondition-failed",
    });
    const cancelled = await cancelAppointment(deps, owner, String(booked.id), undefined, {
      resourceType: "Appointment",
      status: "cancelled",
    });
    expect(cancelled.status).toBe("cancelled");
    expect((await deps.tasks.get(task.id))!.session).toBeUndefined();
    const rebooked = await bookSlot(deps, requester, params({ slot: slots[1]!, task: task.id, patient: task.empi }));
    const current = (await deps.tasks.get(task.id))!;
    await updateTask(deps, requester, task.id, `W/"${current.version}"`, { resourceType: "Task", status: "cancelled" });
    expect((await deps.slots.appointment(String(rebooked.id)))!.status).toBe("cancelled");
    expect((await deps.slots.state(ROLE, String(rebooked.start)))!.status).toBe("free");
    // the Task closed: its parties see the expert's schedule no more
    await expect(searchSlots(deps, requester, { "schedule.actor": `PractitionerRole/${ROLE}` })).rejects.toMatchObject({
      kind: "forbidden",
    });
  });

  it("counts a session that passed without the Task in progress as a no-show", async () => {
    const { deps, task, slots, advance } = await accepted();
    const booked = await bookSlot(deps, requester, params({ slot: slots[0]!, task: task.id, patient: task.empi }));
    advance(Date.parse(String(booked.start)) - deps.now().getTime() + SCHEDULING_POLICY.noShowGraceMs - MIN);
    expect((await sweepSchedules(deps)).noShows).toBe(0);
    advance(2 * MIN);
    expect((await sweepSchedules(deps)).noShows).toBe(1);
    expect((await deps.slots.appointment(String(booked.id)))!.status).toBe("noshow");
    const after = (await deps.tasks.get(task.id))!;
    expect(after).toMatchObject({ noShows: 1, status: "accepted" });
    expect(after.session).toBeUndefined();
    const day = task.createdAt.slice(0, 10);
    expect((await kpisBetween(deps.tasks, day, day)).total.noShows).toBe(1);
  });
});

describe("referrals", () => {
  it("books an admission, and after completion sends the patient back by a down-referral (no dispatch)", async () => {
    const { deps, task, slots, sent } = await accepted("referral");
    const admission = await bookSlot(deps, requester, params({ slot: slots[0]!, task: task.id, patient: task.empi }));
    expect(admission.status).toBe("booked");
    let current = (await deps.tasks.get(task.id))!;
    current = await updateTask(deps, owner, task.id, `W/"${current.version}"`, { resourceType: "Task", status: "in-progress" });
    const down = request("referral", {
      basedOn: [{ reference: `ServiceRequest/${task.serviceRequestId}` }],
      supportingInfo: [{ reference: "DocumentReference/baoding-discharge" }],
    });
    // only after completion, only by the receiving hospital
    await expect(requestTelemedicine(deps, owner, down)).rejects.toMatchObject({ kind: "conflict" });
    const done = await updateTask(deps, owner, task.id, `W/"${current.version}"`, {
      resourceType: "Task",
      status: "completed",
      output: [{ valueReference: { reference: "DocumentReference/baoding-discharge" } }],
    });
    expect(done.status).toBe("completed");
    await expect(requestTelemedicine(deps, requester, down)).rejects.toMatchObject({ kind: "forbidden" });
    const withoutSummary = request("referral", { basedOn: down.basedOn });
    await expect(requestTelemedicine(deps, owner, withoutSummary)).rejects.toThrow(/discharge summary/);
    const { task: back } = await requestTelemedicine(deps, owner, down);
    expect(back).toMatchObject({
      basedOn: task.serviceRequestId,
      status: "requested",
      businessStatus: "assigned",
      owner: { hospitalId: "bd201" },
      requester: { hospitalId: "bd101" },
    });
    expect(back.owner?.roleId).toBeUndefined();
    expect(sent.at(-1)).toMatchObject({ hospitalId: "bd201" });
    // the referring hospital cannot decline it: it accepts (or the sender cancels)
    await expect(
      updateTask(deps, requester, back.id, `W/"${back.version}"`, {
        resourceType: "Task",
        status: "rejected",
        statusReason: { text: "x" },
      }),
    ).rejects.toMatchObject({ kind: "conflict" });
    const acceptedBack = await updateTask(deps, requester, back.id, `W/"${back.version}"`, { resourceType: "Task", status: "accepted" });
    expect(acceptedBack.status).toBe("accepted");
    expect(() => serviceRequestSchema.parse({ ...down, category: request("consult").category })).toThrow(/basedOn/);
  });
});
