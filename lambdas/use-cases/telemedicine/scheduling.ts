/**
 * Telemedicine scheduling at the hub (docs/telemedicine.md#scheduling), for a consult's session or a
 * referral's admission on the schedule of the Task's owner.
 * searchSlots — input: a hospital, schedule.actor (the expert's PractitionerRole), status, start.
 *   Output: the role's 30-minute slots in working hours up to the horizon, each with its status (a
 *   lapsed hold is free). Only a hospital that requests or owns an open Task of that expert: else 403.
 * holdSlot — slot, Task, patient → a pending Appointment; the slot busy-tentative for 10 minutes.
 * bookSlot — the held Appointment, or slot, Task and patient → booked, the slot busy, the Task's
 *   session (its report due 24 h after the session's start). One conditional write on the slot: of
 *   concurrent holds or books of it exactly one wins, the others 409. One session per Task (409).
 * cancelAppointment — a party cancels: the slot is free again, the Task's session cleared.
 * readAppointment — one Appointment, for its Task's requester and owner hospitals only (else 403).
 * releaseSession — a cancelled Task's booked session is cancelled and its slot freed.
 * sweepSchedules — the slot horizon kept 14 days ahead (idempotent), lapsed holds freed, no-shows
 *   found (a session whose start passed by 30 minutes without the Task in progress).
 * Only the Task's requester and owner hospitals act (403 for any other); a practitioner is named (the city checks).
 */
import { randomUUID } from "node:crypto";
import {
  BadRequestError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  PreconditionFailedError,
  UnprocessableError,
} from "#domain/errors.ts";
import {
  appointmentResource,
  horizonEnd,
  horizonThrough,
  isNoShow,
  parseSlotId,
  SCHEDULING_POLICY,
  type Slot,
  type StoredAppointment,
  slotResource,
  slotsBetween,
  statusNow,
} from "#domain/telemedicine/schedule.ts";
import { isOpen, noShow, roleOf, type StoredTask, versionOfIfMatch, withSession } from "#domain/telemedicine/task.ts";
import type { TelemedicineDeps } from "#ports/telemedicine.ts";
import { type AppointmentUpdate, parameterId, type SchedulingParameters, type SlotSearch } from "#schemas/telemedicine-scheduling.ts";
import { tell } from "./inbox.ts";

interface Acting {
  hospitalId: string;
  practitionerId?: string;
}
const actorOf = (by: Acting) => (by.practitionerId ? `${by.hospitalId}/${by.practitionerId}` : by.hospitalId);
const SCHEDULED = new Set(["consult", "referral"]);

// ——— slots ———

export async function searchSlots(deps: TelemedicineDeps, by: Acting, query: SlotSearch) {
  const roleId = query["schedule.actor"].slice("PractitionerRole/".length);
  const ids = [...(await deps.tasks.idsOf("requester", by.hospitalId)), ...(await deps.tasks.idsOf("owner", by.hospitalId))];
  const tasks = await deps.tasks.getMany(ids);
  if (!tasks.some((t) => isOpen(t) && t.owner?.roleId === roleId && roleOf(t, by.hospitalId) !== "none"))
    throw new ForbiddenError(`${by.hospitalId} requests or owns no open Task of PractitionerRole/${roleId}`, "schedule.actor");
  const now = deps.now();
  const through = await deps.slots.horizon();
  const asked = query.start ? Date.parse(query.start.replace(/^(ge|gt)/, "")) : now.getTime();
  // a slot starting now is past: it can no longer be held
  const from = new Date(Math.max(now.getTime() + 1, asked + (query.start?.startsWith("gt") ? 1 : 0)));
  const to = through ? horizonEnd(through) : from;
  const slots = to > from ? slotsBetween(roleId, from, to) : [];
  const states = slots.length ? await deps.slots.states(roleId, slots[0]!.start, to.toISOString()) : new Map();
  const found = slots
    .map((slot) => ({ slot, status: statusNow(states.get(slot.start), now) }))
    .filter((s) => !query.status || s.status === query.status)
    .slice(0, query._count ? Number(query._count) : undefined);
  return {
    resourceType: "Bundle",
    type: "searchset",
    total: found.length,
    entry: found.map(({ slot, status }) => ({
      fullUrl: `Slot/${slot.id}`,
      resource: slotResource(slot, status),
      search: { mode: "match" },
    })),
  };
}

// ——— hold and book ———

/** The Task a hospital schedules for: its requester or owner, a consult or referral, accepted (or on hold), with an expert owner */
async function taskToSchedule(deps: TelemedicineDeps, by: Acting, taskId: string): Promise<StoredTask & { owner: { roleId: string } }> {
  const task = await deps.tasks.get(taskId);
  if (!task) throw new NotFoundError(`Task ${taskId} is not known`, "parameter.task");
  if (roleOf(task, by.hospitalId) === "none")
    throw new ForbiddenError(`Task ${taskId} is neither requested nor owned by ${by.hospitalId}`, "parameter.task");
  if (!SCHEDULED.has(task.category))
    throw new UnprocessableError(`Task ${taskId} is a ${task.category}: only consults and referrals are scheduled`, "parameter.task");
  if (task.status !== "accepted" && task.status !== "on-hold")
    throw new ConflictError(`Task ${taskId} is ${task.status}: a session is scheduled once the owner accepted`, "parameter.task");
  if (!task.owner?.roleId) throw new UnprocessableError(`Task ${taskId} has no expert whose schedule to book`, "parameter.task");
  return task as StoredTask & { owner: { roleId: string } };
}

function required(p: SchedulingParameters, name: "slot" | "task" | "patient"): string {
  const id = parameterId(p, name);
  if (!id) throw new BadRequestError(`parameter ${name}: the ${name} to schedule`, `parameter.${name}`);
  return id;
}

/** The slot the Parameters name, on the Task owner's schedule, in the future and within the horizon */
async function slotFor(deps: TelemedicineDeps, task: StoredTask & { owner: { roleId: string } }, slotId: string, now: Date): Promise<Slot> {
  const slot = parseSlotId(slotId);
  if (!slot) throw new NotFoundError(`Slot ${slotId} is not a slot of any schedule`, "parameter.slot");
  if (slot.roleId !== task.owner.roleId)
    throw new UnprocessableError(
      `Slot ${slotId} is not on the schedule of the Task's owner PractitionerRole/${task.owner.roleId}`,
      "parameter.slot",
    );
  const through = await deps.slots.horizon();
  if (Date.parse(slot.start) <= now.getTime() || !through || Date.parse(slot.start) >= horizonEnd(through).getTime())
    throw new ConflictError(
      `Slot ${slotId} is not open: past, or beyond the ${SCHEDULING_POLICY.horizonDays} days scheduled`,
      "parameter.slot",
    );
  return slot;
}

function checkPatient(p: SchedulingParameters, task: StoredTask): void {
  const patient = parameterId(p, "patient");
  if (patient !== undefined && patient !== task.empi)
    throw new UnprocessableError(`patient: Patient/${patient} is not the Task's patient (Patient/${task.empi})`, "parameter.patient");
}

export async function holdSlot(deps: TelemedicineDeps, by: Acting, p: SchedulingParameters) {
  const [slotId, taskId] = [required(p, "slot"), required(p, "task")];
  required(p, "patient");
  const task = await taskToSchedule(deps, by, taskId);
  checkPatient(p, task);
  const now = deps.now();
  const slot = await slotFor(deps, task, slotId, now);
  const id = randomUUID();
  const holdUntil = new Date(now.getTime() + SCHEDULING_POLICY.holdMs).toISOString();
  if (
    !(await deps.slots.claim(
      slot.roleId,
      slot.start,
      { status: "busy-tentative", appointmentId: id, holdUntil },
      { kind: "free", now: now.toISOString() },
    ))
  )
    throw new ConflictError(`Slot ${slotId} is not free`, "parameter.slot");
  await deps.slots.watch("hold", holdUntil, id);
  const appointment = newAppointment(id, slot, task, by, now, { status: "pending", holdUntil });
  if (!(await deps.slots.putAppointment(appointment))) throw new ConflictError(`Appointment ${id} exists already`);
  return appointmentResource(appointment);
}

function newAppointment(
  id: string,
  slot: Slot,
  task: StoredTask & { owner: { roleId: string } },
  by: Acting,
  now: Date,
  state: Pick<StoredAppointment, "status" | "holdUntil">,
): StoredAppointment {
  const at = now.toISOString();
  return {
    id,
    version: 1,
    ...state,
    slotId: slot.id,
    roleId: slot.roleId,
    start: slot.start,
    end: slot.end,
    taskId: task.id,
    serviceRequestId: task.serviceRequestId,
    empi: task.empi,
    requesterHospitalId: task.requester.hospitalId,
    ownerHospitalId: task.owner.hospitalId,
    createdAt: at,
    lastUpdated: at,
    by: actorOf(by),
  };
}

const bumped = (a: StoredAppointment, change: Partial<StoredAppointment>, by: string, now: Date): StoredAppointment => ({
  ...a,
  ...change,
  version: a.version + 1,
  lastUpdated: now.toISOString(),
  by,
});

/** Writes the Task's session (or clears it), re-reading it when another write came first; the Task written, or undefined */
async function setSession(
  deps: TelemedicineDeps,
  taskId: string,
  change: (task: StoredTask) => StoredTask | undefined,
  actor: string,
): Promise<StoredTask | undefined> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const task = await deps.tasks.get(taskId);
    const next = task && change(task);
    if (!task || !next) return undefined;
    if (await deps.tasks.update(next)) {
      await tell(deps, task, next, actor, next.session ? "session-booked" : "session-cancelled");
      return next;
    }
  }
  throw new ConflictError(`Task ${taskId} kept changing: book again`, "parameter.task");
}

export async function bookSlot(deps: TelemedicineDeps, by: Acting, p: SchedulingParameters) {
  const now = deps.now();
  const heldId = parameterId(p, "appointment");
  const held = heldId ? await deps.slots.appointment(heldId) : undefined;
  if (heldId && !held) throw new NotFoundError(`Appointment ${heldId} is not known`, "parameter.appointment");
  const taskId = held?.taskId ?? required(p, "task");
  if (parameterId(p, "task") && parameterId(p, "task") !== taskId)
    throw new UnprocessableError(`task: the held Appointment is for Task ${taskId}`, "parameter.task");
  if (!held) required(p, "patient");
  const task = await taskToSchedule(deps, by, taskId);
  checkPatient(p, task);
  if (task.session)
    throw new ConflictError(
      `Task ${taskId} has a session booked (Appointment ${task.session.appointmentId}): cancel it first`,
      "parameter.task",
    );
  const slotId = held?.slotId ?? required(p, "slot");
  if (held && parameterId(p, "slot") && parameterId(p, "slot") !== slotId)
    throw new UnprocessableError(`slot: the held Appointment is for Slot ${slotId}`, "parameter.slot");
  const slot = await slotFor(deps, task, slotId, now);
  if (held && (held.status !== "pending" || !held.holdUntil || Date.parse(held.holdUntil) <= now.getTime()))
    throw new ConflictError(
      `Appointment ${held.id} is ${held.status === "pending" ? "a hold that lapsed" : held.status}: hold a slot again`,
      "parameter.appointment",
    );
  const id = held?.id ?? randomUUID();
  const expected = held
    ? { kind: "held-by" as const, appointmentId: id, now: now.toISOString() }
    : { kind: "free" as const, now: now.toISOString() };
  if (!(await deps.slots.claim(slot.roleId, slot.start, { status: "busy", appointmentId: id }, expected)))
    throw new ConflictError(`Slot ${slotId} is not free${held ? " (the hold lapsed and another took it)" : ""}`, "parameter.slot");
  await deps.slots.watch("session", slot.start, id);
  const actor = actorOf(by);
  // one session per Task: a concurrent book for the same Task that came first keeps its session, this one gives the slot back
  const written = await setSession(
    deps,
    taskId,
    (t) => (t.session || !isOpen(t) ? undefined : withSession(t, { appointmentId: id, start: slot.start }, now, actor)),
    by.hospitalId,
  );
  if (!written) {
    await deps.slots.claim(slot.roleId, slot.start, { status: "free" }, { kind: "of", appointmentId: id, now: now.toISOString() });
    await deps.slots.unwatch("session", slot.start, id);
    throw new ConflictError(`Task ${taskId} has a session booked already`, "parameter.task");
  }
  const booked = held
    ? bumped(held, { status: "booked", holdUntil: undefined }, actor, now)
    : newAppointment(id, slot, task, by, now, { status: "booked" });
  if (!(await deps.slots.putAppointment(booked)))
    throw new PreconditionFailedError(`Appointment ${id} was changed meanwhile`, "parameter.appointment");
  if (held?.holdUntil) await deps.slots.unwatch("hold", held.holdUntil, id);
  return appointmentResource(booked);
}

// ——— cancel ———

async function cancelled(
  deps: TelemedicineDeps,
  a: StoredAppointment,
  reason: string,
  actor: string,
  now: Date,
): Promise<StoredAppointment> {
  const next = bumped(a, { status: "cancelled", cancelationReason: reason, holdUntil: undefined }, actor, now);
  if (!(await deps.slots.putAppointment(next)))
    throw new PreconditionFailedError(`Appointment ${a.id} was changed meanwhile: read it again`, "If-Match");
  await deps.slots.claim(a.roleId, a.start, { status: "free" }, { kind: "of", appointmentId: a.id, now: now.toISOString() });
  if (a.holdUntil) await deps.slots.unwatch("hold", a.holdUntil, a.id);
  await deps.slots.unwatch("session", a.start, a.id);
  return next;
}

/** An Appointment the hospital is a party to (its Task's requester or owner) */
async function appointmentOf(deps: TelemedicineDeps, by: Acting, id: string): Promise<StoredAppointment> {
  const a = await deps.slots.appointment(id);
  if (!a) throw new NotFoundError(`Appointment ${id} is not known`, "id");
  if (a.requesterHospitalId !== by.hospitalId && a.ownerHospitalId !== by.hospitalId)
    throw new ForbiddenError(`Appointment ${id} is not of a Task ${by.hospitalId} requests or owns`, "id");
  return a;
}

export async function readAppointment(deps: TelemedicineDeps, by: Acting, id: string) {
  return appointmentResource(await appointmentOf(deps, by, id));
}

export async function cancelAppointment(
  deps: TelemedicineDeps,
  by: Acting,
  id: string,
  ifMatch: string | undefined,
  update: AppointmentUpdate,
) {
  if (update.id && update.id !== id) throw new UnprocessableError(`id ${update.id} is not the Appointment ${id} of the URL`, "id");
  const a = await appointmentOf(deps, by, id);
  if (ifMatch !== undefined && versionOfIfMatch(ifMatch) !== a.version)
    throw new PreconditionFailedError(`If-Match: Appointment ${id} is at version ${a.version}: read it again`, "If-Match");
  if (a.status !== "pending" && a.status !== "booked")
    throw new ConflictError(`Appointment ${id} is ${a.status}: nothing to cancel`, "status");
  const now = deps.now();
  const next = await cancelled(deps, a, update.cancelationReason?.text ?? `cancelled by ${by.hospitalId}`, actorOf(by), now);
  if (a.status === "booked")
    await setSession(
      deps,
      a.taskId,
      (t) => (t.session?.appointmentId === id ? withSession(t, undefined, now, actorOf(by)) : undefined),
      by.hospitalId,
    );
  return appointmentResource(next);
}

/** A cancelled Task's booked session: cancelled, its slot free (the Task itself is written by its caller) */
export async function releaseSession(deps: TelemedicineDeps, task: StoredTask, actor: string): Promise<void> {
  const a = task.session && (await deps.slots.appointment(task.session.appointmentId));
  if (a && (a.status === "booked" || a.status === "pending")) await cancelled(deps, a, "the Task was cancelled", actor, deps.now());
}

// ——— the sweep ———

export interface ScheduleSweepReport {
  horizonMoved: boolean;
  holdsLapsed: number;
  noShows: number;
  fulfilled: number;
}

export async function sweepSchedules(deps: TelemedicineDeps): Promise<ScheduleSweepReport> {
  const now = deps.now();
  const report: ScheduleSweepReport = { horizonMoved: false, holdsLapsed: 0, noShows: 0, fulfilled: 0 };
  const through = horizonThrough(now);
  const current = await deps.slots.horizon();
  if (!current || current < through) report.horizonMoved = await deps.slots.extendHorizon(through);
  for (const due of await deps.slots.due("hold", now.toISOString())) {
    const a = await deps.slots.appointment(due.appointmentId);
    if (a?.status === "pending") {
      await cancelled(deps, a, "the hold lapsed", "hub", now);
      report.holdsLapsed++;
    } else await deps.slots.unwatch("hold", due.at, due.appointmentId);
  }
  for (const due of await deps.slots.due("session", new Date(now.getTime() - SCHEDULING_POLICY.noShowGraceMs).toISOString())) {
    const a = await deps.slots.appointment(due.appointmentId);
    const task = a && (await deps.tasks.get(a.taskId));
    if (a && task && isNoShow(a, task.status, now)) {
      await deps.slots.putAppointment(bumped(a, { status: "noshow" }, "hub", now));
      await setSession(deps, task.id, (t) => (t.session?.appointmentId === a.id ? noShow(t, now) : undefined), "hub");
      report.noShows++;
    } else if (a?.status === "booked" && task && (task.status === "in-progress" || task.status === "completed")) {
      await deps.slots.putAppointment(bumped(a, { status: "fulfilled" }, "hub", now));
      report.fulfilled++;
    }
    await deps.slots.unwatch("session", due.at, due.appointmentId);
  }
  return report;
}
