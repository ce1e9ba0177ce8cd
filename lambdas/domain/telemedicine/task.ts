/**
 * A telemedicine Task's life (docs/telemedicine.md#the-tasks-life): the stored Task, the moves each
 * party may make, the hub's own moves (assignment, re-dispatch, escalation, expiry) and the FHIR
 * resources a party sees. Every function returns the next Task (version + 1) and never mutates. Pure.
 */
import { ConflictError, UnprocessableError } from "#domain/errors.ts";
import { EMPI_SYSTEM } from "#schemas/patient.ts";
import { DEPARTMENT_SYSTEM } from "#schemas/registry-codes.ts";
import {
  type BusinessStatus,
  OWNER_ORGANIZATION_URL,
  TASK_BUSINESS_STATUS_SYSTEM,
  type TaskUpdateInput,
  TELEMEDICINE_CATEGORY_SYSTEM,
  type TelemedicineCategory,
  type TelemedicinePriority,
} from "#schemas/telemedicine.ts";
import type { DispatchChoice, Tier } from "./dispatch.ts";
import { isRead, type Phase, phaseMs, TELEMEDICINE_POLICY } from "./policy.ts";

export type StoredStatus = "requested" | "accepted" | "on-hold" | "in-progress" | "completed" | "cancelled";

export interface TaskNote {
  at: string;
  /** the hospital (and practitioner) that wrote it */
  by: string;
  text: string;
}

export interface TaskEvent {
  at: string;
  status: StoredStatus;
  businessStatus: BusinessStatus;
  /** a hospital id, or "hub" */
  by: string;
  reason?: string;
}

export interface TaskParty {
  hospitalId: string;
  cityId: string;
}

/**
 * The owner: an expert's PractitionerRole (dispatched), or, for a down-referral, the hospital the
 * patient returns to (named by the Task it follows: no role, no dispatch)
 */
export interface TaskOwner extends TaskParty {
  roleId?: string;
  practitionerId?: string;
  tier: Tier;
}

/** The booked session of a consult or referral (docs/telemedicine.md#scheduling) */
export interface TaskSession {
  appointmentId: string;
  start: string;
}

export interface StoredTask {
  id: string;
  serviceRequestId: string;
  version: number;
  category: TelemedicineCategory;
  priority: TelemedicinePriority;
  specialty: string;
  empi: string;
  /** the identifier the requester named the resident by */
  subject: { system: string; value: string };
  requester: TaskParty & { practitionerId: string; tier: Tier };
  owner?: TaskOwner;
  status: StoredStatus;
  businessStatus: BusinessStatus;
  statusReason?: string;
  /** the running phase's deadline (absent: no clock runs: on hold, or finished) */
  phase?: Phase;
  deadline?: string;
  /** on hold: what was left of the phase when the clock stopped */
  pausedMs?: number;
  escalations: number;
  /** failed assignments (declined or timed out) at the current tier */
  failures: number;
  /** roles that declined or timed out on this Task: never assigned it again */
  excluded: string[];
  redispatches: number;
  /** a down-referral: the ServiceRequest of the referral it follows */
  basedOn?: string;
  /** the booked session (consults and referrals) */
  session?: TaskSession;
  /** booked sessions that passed without the Task moving to in-progress */
  noShows?: number;
  supportingInfo: string[];
  reasonCode?: unknown[];
  notes: TaskNote[];
  output?: string;
  createdAt: string;
  lastUpdated: string;
  assignedAt?: string;
  acceptedAt?: string;
  completedAt?: string;
  history: TaskEvent[];
}

/** Open: neither completed nor cancelled (a completed Task waits for the requester's review, but no clock runs) */
export const isOpen = (task: Pick<StoredTask, "status">): boolean => task.status !== "completed" && task.status !== "cancelled";

/** Who a hospital is to a Task */
export type Role = "requester" | "owner" | "none";
export const roleOf = (task: StoredTask, hospitalId: string): Role =>
  task.requester.hospitalId === hospitalId ? "requester" : task.owner?.hospitalId === hospitalId ? "owner" : "none";

const deadlineOf = (task: Pick<StoredTask, "priority" | "category">, phase: Phase, now: Date): string =>
  new Date(now.getTime() + phaseMs(phase, task.priority, task.category)).toISOString();

function next(task: StoredTask, now: Date, by: string, change: Partial<StoredTask>, reason?: string): StoredTask {
  const at = now.toISOString();
  const moved = { ...task, ...change, version: task.version + 1, lastUpdated: at };
  const event: TaskEvent = { at, status: moved.status, businessStatus: moved.businessStatus, by, ...(reason ? { reason } : {}) };
  return { ...moved, history: [...task.history, event] };
}

/**
 * The report's deadline: reads from the acceptance; consults and referrals from their booked session's
 * start (until one is booked, from the acceptance)
 */
const reportDeadline = (task: StoredTask, now: Date): string =>
  task.session && !isRead(task.category)
    ? new Date(Date.parse(task.session.start) + TELEMEDICINE_POLICY.sessionReportMs).toISOString()
    : deadlineOf(task, "report", now);

/** A session booked (or cleared: undefined) on a consult or referral: its report is due 24 h after the session's start */
export function withSession(task: StoredTask, session: TaskSession | undefined, now: Date, by: string): StoredTask {
  const { session: _s, ...rest } = task;
  const change: Partial<StoredTask> = session ? { session } : {};
  if (session && task.status === "accepted") change.deadline = reportDeadline({ ...task, session }, now);
  if (session && task.status === "on-hold")
    change.pausedMs = Math.max(0, Date.parse(session.start) + TELEMEDICINE_POLICY.sessionReportMs - now.getTime());
  return next(rest as StoredTask, now, by, change, session ? `session booked for ${session.start}` : "session cancelled");
}

/** A booked session that passed without the Task moving to in-progress */
export function noShow(task: StoredTask, now: Date): StoredTask {
  const { session: _s, ...rest } = task;
  return next(rest as StoredTask, now, "hub", { noShows: (task.noShows ?? 0) + 1 }, `no-show: the session of ${task.session?.start}`);
}

/** A new Task, waiting for dispatch */
export function newTask(
  fields: Omit<
    StoredTask,
    | "version"
    | "status"
    | "businessStatus"
    | "phase"
    | "deadline"
    | "escalations"
    | "failures"
    | "excluded"
    | "redispatches"
    | "notes"
    | "lastUpdated"
    | "history"
  >,
  now: Date,
  /** a down-referral's owner: the Task is assigned at once (the accept clock runs), never dispatched */
  owner?: TaskOwner,
): StoredTask {
  const at = now.toISOString();
  return {
    ...fields,
    version: 1,
    status: "requested",
    businessStatus: owner ? "assigned" : "awaiting-assignment",
    ...(owner ? { owner, assignedAt: at } : {}),
    phase: owner ? "accept" : "assign",
    deadline: deadlineOf(fields, owner ? "accept" : "assign", now),
    escalations: 0,
    failures: 0,
    excluded: [],
    redispatches: 0,
    notes: [],
    lastUpdated: at,
    history: [{ at, status: "requested", businessStatus: owner ? "assigned" : "awaiting-assignment", by: fields.requester.hospitalId }],
  };
}

/** The hub's dispatch of an unowned requested Task: assigned (accept clock), or no expert (the assign clock goes on) */
export function dispatched(
  task: StoredTask,
  choice: DispatchChoice,
  ownerOf: (roleId: string) => TaskOwner | undefined,
  now: Date,
): StoredTask {
  // escalated now (nobody at the target tier), or by the failures before (released())
  const escalated = choice.escalations > task.escalations || task.businessStatus === "escalated";
  const base = escalated ? { escalations: choice.escalations, failures: 0 } : {};
  if (choice.kind === "none") {
    const change = { ...base, businessStatus: "no-expert" as const };
    return next(task, now, "hub", change, "no expert with this specialty at this tier or above");
  }
  const owner = ownerOf(choice.expert.roleId)!;
  return next(
    task,
    now,
    "hub",
    {
      ...base,
      owner,
      businessStatus: escalated ? "escalated" : "assigned",
      phase: "accept",
      deadline: deadlineOf(task, "accept", now),
      assignedAt: now.toISOString(),
    },
    escalated ? `escalated to ${choice.expert.tier}` : undefined,
  );
}

/** The owner lost the Task (declined or timed out): back to requested without owner, for re-dispatch */
function released(task: StoredTask, now: Date, by: string, reason: string): StoredTask {
  const { owner, ...rest } = task;
  const excluded = owner?.roleId ? [...task.excluded, owner.roleId] : task.excluded;
  const changed = next(
    { ...rest } as StoredTask,
    now,
    by,
    {
      status: "requested",
      businessStatus: "awaiting-assignment",
      statusReason: reason,
      excluded,
      failures: task.failures + 1,
      redispatches: task.redispatches + 1,
      phase: "assign",
      deadline: deadlineOf(task, "assign", now),
    },
    reason,
  );
  // after the tier's failures the next dispatch goes one tier up
  return changed.failures >= TELEMEDICINE_POLICY.failuresBeforeEscalation
    ? { ...changed, escalations: changed.escalations + 1, failures: 0, businessStatus: "escalated" }
    : changed;
}

/** The sweep: a Task whose deadline passed. Accept: the owner timed out (re-dispatch). Assign: dispatch again. Report: overdue. */
export function expired(task: StoredTask, now: Date): StoredTask | "dispatch" | undefined {
  if (!isOpen(task) || !task.deadline || Date.parse(task.deadline) > now.getTime()) return undefined;
  // a down-referral is not dispatched: its owner stays, the deadline shows on the Task
  if (task.phase === "accept" && task.owner && !task.owner.roleId) return undefined;
  if (task.phase === "accept" && task.owner) return released(task, now, "hub", `${task.owner.roleId} did not accept in time`);
  if (task.phase === "assign") return "dispatch";
  if (task.phase === "report" && task.businessStatus !== "report-overdue") {
    const { deadline: _d, ...rest } = task;
    return next(rest as StoredTask, now, "hub", { businessStatus: "report-overdue" }, "the report is overdue");
  }
  return undefined;
}

const moveRefused = (task: StoredTask, who: Role, to: string) =>
  new ConflictError(`Task ${task.id} is ${task.status}: its ${who} cannot move it to ${to}`, "status");

/**
 * A party's PUT. Returns the next Task (or throws: 409 for a move out of turn or not allowed,
 * 422 for a move without what it needs). `outputKnown` says the owner's report document is the
 * resident's, published by the owner's hospital (checked by the use case).
 */
export function applyUpdate(task: StoredTask, who: Exclude<Role, "none">, by: string, update: TaskUpdateInput, now: Date): StoredTask {
  const note = update.note?.map((n) => ({ at: now.toISOString(), by, text: n.text })) ?? [];
  const notes = [...task.notes, ...note];
  const to = update.status;
  const business = update.businessStatus?.coding[0]?.code;
  if (who === "requester") {
    if (to === "cancelled" && isOpen(task)) {
      const { deadline: _d, phase: _p, ...rest } = task;
      return next(
        rest as StoredTask,
        now,
        by,
        { status: "cancelled", notes, ...(update.statusReason ? { statusReason: update.statusReason.text } : {}) },
        update.statusReason?.text ?? "cancelled by the requester",
      );
    }
    if (to === "accepted" && task.status === "on-hold") {
      if (!note.length) throw new UnprocessableError("answering an on-hold Task needs a note with the information asked for", "note");
      const { pausedMs, ...rest } = task;
      const deadline = new Date(now.getTime() + (pausedMs ?? 0)).toISOString();
      return next(rest as StoredTask, now, by, { status: "accepted", phase: "report", deadline, notes }, "information given");
    }
    if (to === "completed" && task.status === "completed" && business === "report-reviewed" && task.businessStatus !== "report-reviewed")
      return next(task, now, by, { businessStatus: "report-reviewed", notes }, "report reviewed: loop closed");
    throw moveRefused(task, who, business ? `${to} (${business})` : to);
  }
  // the owner
  if (task.status === "requested" && to === "accepted") {
    const acceptedAt = now.toISOString();
    return next(task, now, by, {
      status: "accepted",
      businessStatus: "assigned",
      phase: "report",
      deadline: reportDeadline(task, now),
      acceptedAt,
      notes,
    });
  }
  if (task.status === "requested" && to === "rejected") {
    if (!task.owner?.roleId)
      throw new ConflictError(
        `Task ${task.id} returns the patient to the hospital that referred them: it is accepted, or the referring hospital cancels it`,
        "status",
      );
    if (!update.statusReason) throw new UnprocessableError("a rejection needs a statusReason", "statusReason");
    return released({ ...task, notes }, now, by, `declined: ${update.statusReason.text}`);
  }
  if (task.status === "accepted" && to === "on-hold") {
    if (!note.length) throw new UnprocessableError("putting a Task on hold needs a note to the requester saying what is missing", "note");
    const { deadline, phase: _p, ...rest } = task;
    const pausedMs = Math.max(0, Date.parse(deadline ?? now.toISOString()) - now.getTime());
    return next(rest as StoredTask, now, by, { status: "on-hold", pausedMs, notes }, "more information needed");
  }
  if (task.status === "accepted" && to === "in-progress") return next(task, now, by, { status: "in-progress", notes });
  if (task.status === "in-progress" && to === "completed") {
    const output = update.output?.[0]?.valueReference.reference.slice("DocumentReference/".length);
    if (!output) throw new UnprocessableError("completing a Task needs output: the signed report's DocumentReference", "output");
    const { deadline: _d, phase: _p, ...rest } = task;
    const businessStatus = task.businessStatus === "report-overdue" ? "report-overdue" : task.businessStatus;
    return next(rest as StoredTask, now, by, { status: "completed", businessStatus, output, completedAt: now.toISOString(), notes });
  }
  throw moveRefused(task, who, to);
}

/** The requester cancels (or a death cancels) an open Task: `by` the hub or the requester */
export function cancelled(task: StoredTask, now: Date, by: string, reason: string): StoredTask {
  const { deadline: _d, phase: _p, ...rest } = task;
  return next(rest as StoredTask, now, by, { status: "cancelled", statusReason: reason }, reason);
}

// ——— what a party sees ———

export function taskResource(task: StoredTask): Record<string, unknown> {
  const owner = task.owner;
  return {
    resourceType: "Task",
    id: task.id,
    meta: { versionId: String(task.version), lastUpdated: task.lastUpdated },
    status: task.status,
    intent: "order",
    priority: task.priority,
    businessStatus: { coding: [{ system: TASK_BUSINESS_STATUS_SYSTEM, code: task.businessStatus }] },
    ...(task.statusReason ? { statusReason: { text: task.statusReason } } : {}),
    code: { coding: [{ system: TELEMEDICINE_CATEGORY_SYSTEM, code: task.category }] },
    focus: { reference: `ServiceRequest/${task.serviceRequestId}` },
    ...(task.basedOn ? { basedOn: [{ reference: `ServiceRequest/${task.basedOn}` }] } : {}),
    for: { reference: `Patient/${task.empi}`, identifier: { system: EMPI_SYSTEM, value: task.empi } },
    authoredOn: task.createdAt,
    lastModified: task.lastUpdated,
    requester: { reference: `Organization/${task.requester.hospitalId}` },
    ...(owner
      ? {
          owner: { reference: owner.roleId ? `PractitionerRole/${owner.roleId}` : `Organization/${owner.hospitalId}` },
          extension: [{ url: OWNER_ORGANIZATION_URL, valueReference: { reference: `Organization/${owner.hospitalId}` } }],
        }
      : {}),
    ...(task.deadline ? { restriction: { period: { end: task.deadline } } } : {}),
    ...(task.notes.length ? { note: task.notes.map((n) => ({ text: n.text, time: n.at, authorString: n.by })) } : {}),
    ...(task.output
      ? { output: [{ type: { text: "signed report" }, valueReference: { reference: `DocumentReference/${task.output}` } }] }
      : {}),
  };
}

export function serviceRequestResource(task: StoredTask, requested: Record<string, unknown>): Record<string, unknown> {
  return {
    ...requested,
    id: task.serviceRequestId,
    meta: { versionId: "1", lastUpdated: task.createdAt },
    status: task.status === "cancelled" ? "revoked" : task.status === "completed" ? "completed" : "active",
    intent: "order",
    subject: { reference: `Patient/${task.empi}`, identifier: { system: EMPI_SYSTEM, value: task.empi } },
    requester: { reference: `Practitioner/${task.requester.practitionerId}` },
    performerType: { coding: [{ system: DEPARTMENT_SYSTEM, code: task.specialty }] },
    authoredOn: task.createdAt,
  };
}

/** The ETag of a Task version, as If-Match must name it */
export const etagOf = (version: number): string => `W/"${version}"`;

/** The version an If-Match names (W/"3" or "3"), or undefined when it names none */
export function versionOfIfMatch(header: string): number | undefined {
  const m = /^\s*(?:W\/)?"(\d{1,9})"\s*$/.exec(header);
  return m ? Number(m[1]) : undefined;
}
