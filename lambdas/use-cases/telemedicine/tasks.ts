/**
 * Three-tier telemedicine at the hub (docs/telemedicine.md).
 * requestTelemedicine — input: the requesting hospital (city, named practitioner) and its ServiceRequest.
 *   Output: the ServiceRequest and its Task, dispatched at once. The resident must be known to the MPI
 *   and every supportingInfo one of their current documents (else 422 naming the field, nothing written).
 *   A request carrying the hospital's identifier is made once: its retry answers the first attempt's
 *   Task (created: false), its identifier on another resident is a 409.
 * dispatchTask — assigns an unowned requested Task to an expert (domain/telemedicine/dispatch.ts), or
 *   marks it no-expert; each party is told in its FEP inbox.
 * updateTask — a party's PUT with If-Match: 403 for a third hospital, 428 without If-Match, 412 for a
 *   stale one (and for a write that lost the race), 409 for a move out of turn; a rejection re-dispatches.
 * readTask, searchTasks — only a Task's requester or owner sees it.
 * sweepTasks — the deadlines on the province clock: a timed-out owner is replaced, an unassigned Task
 *   dispatched again, a late report marked; state lives in the table, so a restart loses no timer.
 * cancelOpenTasksOfResident — a deceased resident's open Tasks are cancelled, each party told.
 * telemedicineDocuments — the documents a hospital's open owned Tasks open to it (the consent seam).
 * kpisBetween — the operator's figures over the Tasks requested from one UTC day to another (≤ 31 days).
 */
import { randomUUID } from "node:crypto";
import {
  BadRequestError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  PreconditionFailedError,
  PreconditionRequiredError,
  UnprocessableError,
} from "#domain/errors.ts";
import { chooseExpert, type Expert } from "#domain/telemedicine/dispatch.ts";
import { telemedicineKpis } from "#domain/telemedicine/kpis.ts";
import { idsOfRequestIdentifier } from "#domain/telemedicine/request-ids.ts";
import {
  applyUpdate,
  cancelled,
  dispatched,
  expired,
  isOpen,
  newTask,
  roleOf,
  type StoredTask,
  serviceRequestResource,
  taskResource,
  versionOfIfMatch,
} from "#domain/telemedicine/task.ts";
import type { TelemedicineDeps } from "#ports/telemedicine.ts";
import type { ServiceRequestInput, TaskSearch, TaskUpdateInput } from "#schemas/telemedicine.ts";
import { tell } from "./inbox.ts";
import { downReferralOwner } from "./referrals.ts";
import { releaseSession } from "./scheduling.ts";

export interface Acting {
  hospitalId: string;
  cityId: string;
  practitionerId?: string;
}

const DOC = "DocumentReference/";

// ——— request and dispatch ———

type Requested = { task: StoredTask; body: Record<string, unknown>; created: boolean };

export async function requestTelemedicine(deps: TelemedicineDeps, by: Acting, request: ServiceRequestInput): Promise<Requested> {
  if (!by.practitionerId) throw new ForbiddenError("a telemedicine request names its requester: X-Practitioner-Id", "X-Practitioner-Id");
  const named = request.requester?.reference.slice("Practitioner/".length);
  if (named && named !== by.practitionerId)
    throw new UnprocessableError(`requester: Practitioner/${named} is not the practitioner acting (X-Practitioner-Id)`, "requester");
  const key = request.identifier?.[0];
  const ids = key ? idsOfRequestIdentifier(by.hospitalId, key) : { id: randomUUID(), serviceRequestId: randomUUID() };
  const earlier = key ? await deps.tasks.get(ids.id) : undefined;
  if (earlier) return replayed(deps, earlier, request);
  const empi = await deps.residents.resolve(request.subject.identifier);
  if (!empi) throw new UnprocessableError("subject: not a resident known to the master patient index", "subject.identifier");
  const documents = await deps.residents.documents(empi);
  request.supportingInfo.forEach((info, i) => {
    const known = documents.get(info.reference.slice(DOC.length));
    if (known?.status !== "current")
      throw new UnprocessableError(
        `supportingInfo[${i}]: ${info.reference} is not a current document of this resident`,
        `supportingInfo[${i}].reference`,
      );
  });
  const requester = await deps.directory.hospital(by.hospitalId);
  if (!requester) throw new ForbiddenError(`${by.hospitalId} is not a hospital of the facility registry`);
  const basedOn = request.basedOn?.[0]?.reference.slice("ServiceRequest/".length);
  const supportingInfo = request.supportingInfo.map((s) => s.reference.slice(DOC.length));
  // a down-referral goes straight back to the hospital that referred the patient: no dispatch
  const owner = basedOn ? await downReferralOwner(deps, by.hospitalId, basedOn, empi, supportingInfo, documents) : undefined;
  const now = deps.now();
  const task = newTask(
    {
      ...ids,
      category: request.category[0]!.coding[0]!.code,
      priority: request.priority,
      specialty: request.performerType.coding[0]!.code,
      empi,
      subject: request.subject.identifier,
      requester: { hospitalId: by.hospitalId, cityId: by.cityId, practitionerId: by.practitionerId, tier: requester.tier },
      supportingInfo,
      ...(request.reasonCode ? { reasonCode: request.reasonCode } : {}),
      ...(basedOn ? { basedOn } : {}),
      createdAt: now.toISOString(),
    },
    now,
    owner,
  );
  const withNotes = request.note
    ? { ...task, notes: request.note.map((n) => ({ at: task.createdAt, by: by.hospitalId, text: n.text })) }
    : task;
  // dispatched before its first write: nobody sees the Task before it is written, so it is written once,
  // already assigned (its first version the assignment's), and no other write can race it
  const current = owner ? withNotes : ((await assignment(deps, withNotes)) ?? withNotes);
  if (!(await deps.tasks.create(current, request as unknown as Record<string, unknown>))) {
    // a retry of the same request got there first: answer its Task (this attempt told no one)
    const first = await deps.tasks.get(current.id);
    if (!first) throw new ConflictError(`Task ${current.id} is being created by another attempt; retry`);
    return replayed(deps, first, request);
  }
  await tell(deps, owner ? undefined : withNotes, current, owner ? by.hospitalId : "hub");
  return { task: current, body: requestBundle(current, request as unknown as Record<string, unknown>), created: true };
}

const requestBundle = (task: StoredTask, requested: Record<string, unknown>) => ({
  resourceType: "Bundle",
  type: "collection",
  entry: [
    { fullUrl: `ServiceRequest/${task.serviceRequestId}`, resource: serviceRequestResource(task, requested) },
    { fullUrl: `Task/${task.id}`, resource: taskResource(task) },
  ],
});

/** The answer to a retry: the first attempt's ServiceRequest and Task as they are now, if it is for the same resident */
async function replayed(deps: TelemedicineDeps, earlier: StoredTask, request: ServiceRequestInput): Promise<Requested> {
  const { system, value } = request.subject.identifier;
  if (earlier.subject.system !== system || earlier.subject.value !== value)
    throw new ConflictError(
      `identifier: ${request.identifier![0]!.system}|${request.identifier![0]!.value} names an earlier request of this hospital for another patient`,
      "identifier[0]",
    );
  const requested = (await deps.tasks.serviceRequest(earlier.serviceRequestId)) ?? (request as unknown as Record<string, unknown>);
  return { task: earlier, body: requestBundle(earlier, requested), created: false };
}

/**
 * The Task assigned to the expert the rules choose (or marked no-expert), not yet written; undefined when
 * it needs no dispatch (owned, finished, or no expert again). The experts (kept 60 s) and their load (the
 * open index: one query) are read at once.
 */
async function assignment(deps: TelemedicineDeps, current: StoredTask): Promise<StoredTask | undefined> {
  if (current.status !== "requested" || current.owner) return undefined;
  const [experts, load] = await Promise.all([deps.directory.experts(deps.now()), deps.tasks.openLoads()]);
  const choice = chooseExpert(
    {
      taskId: current.id,
      requesterHospitalId: current.requester.hospitalId,
      requesterCityId: current.requester.cityId,
      requesterTier: current.requester.tier,
      specialty: current.specialty,
      escalations: current.escalations,
      excluded: current.excluded,
    },
    experts,
    load,
  );
  if (choice.kind === "none" && current.businessStatus === "no-expert") return undefined;
  const byRole = new Map(experts.map((e: Expert) => [e.roleId, e]));
  return dispatched(
    current,
    choice,
    (roleId) => {
      const e = byRole.get(roleId);
      return e && { roleId, practitionerId: e.practitionerId, hospitalId: e.hospitalId, cityId: e.cityId, tier: e.tier };
    },
    deps.now(),
  );
}

/**
 * Assigns an unowned requested Task (re-reading it when another write came first). Returns the Task as
 * written, or undefined when it needs no dispatch (owned, finished).
 */
export async function dispatchTask(deps: TelemedicineDeps, task: StoredTask, attempts = 5): Promise<StoredTask | undefined> {
  let current: StoredTask | undefined = task;
  for (let i = 0; i < attempts && current; i++) {
    const next = await assignment(deps, current);
    if (!next) return undefined;
    if (await deps.tasks.update(next)) {
      await tell(deps, current, next, "hub");
      return next;
    }
    current = await deps.tasks.get(task.id);
  }
  return undefined;
}

// ——— a party's moves and reads ———

function visibleTo(task: StoredTask | undefined, taskId: string, hospitalId: string): StoredTask {
  if (!task) throw new NotFoundError(`Task ${taskId} is not known`, "id");
  if (roleOf(task, hospitalId) === "none") throw new ForbiddenError(`Task ${taskId} is neither requested nor owned by ${hospitalId}`, "id");
  return task;
}

export async function updateTask(
  deps: TelemedicineDeps,
  by: Acting,
  taskId: string,
  ifMatch: string | undefined,
  update: TaskUpdateInput,
): Promise<StoredTask> {
  if (update.id && update.id !== taskId) throw new UnprocessableError(`id ${update.id} is not the Task ${taskId} of the URL`, "id");
  const task = visibleTo(await deps.tasks.get(taskId), taskId, by.hospitalId);
  if (!ifMatch) throw new PreconditionRequiredError(`If-Match: W/"<versionId>" of the Task read (now ${task.version})`, "If-Match");
  const version = versionOfIfMatch(ifMatch);
  if (version === undefined) throw new PreconditionRequiredError('If-Match: W/"<versionId>", a version the Task had', "If-Match");
  if (version !== task.version)
    throw new PreconditionFailedError(`If-Match: Task ${taskId} is at version ${task.version}, not ${version}: read it again`, "If-Match");
  const role = roleOf(task, by.hospitalId) as "requester" | "owner";
  const actor = by.practitionerId ? `${by.hospitalId}/${by.practitionerId}` : by.hospitalId;
  const next = applyUpdate(task, role, actor, update, deps.now());
  if (next.output && next.output !== task.output) {
    const report = (await deps.residents.documents(task.empi)).get(next.output);
    if (!report || report.hospitalId !== by.hospitalId || report.status !== "current")
      throw new UnprocessableError(
        `output: DocumentReference/${next.output} is not a current document of the Task's resident published by ${by.hospitalId}`,
        "output[0].valueReference",
      );
  }
  if (!(await deps.tasks.update(next)))
    throw new PreconditionFailedError(`If-Match: Task ${taskId} was changed meanwhile: read it again`, "If-Match");
  await tell(deps, task, next, by.hospitalId);
  if (next.status === "cancelled") await releaseSession(deps, task, actor);
  if (next.status === "requested" && !next.owner) return (await dispatchTask(deps, next)) ?? next;
  return next;
}

export async function readTask(deps: TelemedicineDeps, by: Acting, taskId: string): Promise<StoredTask> {
  return visibleTo(await deps.tasks.get(taskId), taskId, by.hospitalId);
}

export async function readServiceRequest(deps: TelemedicineDeps, by: Acting, taskId: string) {
  const task = await readTask(deps, by, taskId);
  const requested = await deps.tasks.serviceRequest(task.serviceRequestId);
  if (!requested) throw new ConflictError(`the ServiceRequest of Task ${taskId} is missing`);
  return serviceRequestResource(task, requested);
}

/** `_lastUpdated` as a predicate on an instant */
function lastUpdatedFilter(param: string | undefined): (at: string) => boolean {
  if (!param) return () => true;
  const m = /^(gt|ge|lt|le)?(.+)$/.exec(param)!;
  const bound = Date.parse(m[2]!);
  const op = m[1] ?? "ge";
  return (at) => {
    const t = Date.parse(at);
    return op === "gt" ? t > bound : op === "ge" ? t >= bound : op === "lt" ? t < bound : t <= bound;
  };
}

export async function searchTasks(deps: TelemedicineDeps, by: Acting, query: TaskSearch): Promise<StoredTask[]> {
  const kind = query.requester ? "requester" : "owner";
  const named = (query.requester ?? query["owner-organization"]!).replace(/^Organization\//, "");
  if (named !== by.hospitalId)
    throw new ForbiddenError(
      `a hospital searches its own Tasks: ${named} is not ${by.hospitalId}`,
      query.requester ? "requester" : "owner-organization",
    );
  const after = lastUpdatedFilter(query._lastUpdated);
  const tasks = await deps.tasks.getMany(await deps.tasks.idsOf(kind, by.hospitalId));
  return tasks
    .filter((t) => (kind === "requester" ? t.requester.hospitalId : t.owner?.hospitalId) === by.hospitalId)
    .filter((t) => (!query.status || t.status === query.status) && after(t.lastUpdated))
    .sort((a, b) => b.lastUpdated.localeCompare(a.lastUpdated) || a.id.localeCompare(b.id));
}

export const searchBundle = (tasks: StoredTask[]) => ({
  resourceType: "Bundle",
  type: "searchset",
  total: tasks.length,
  entry: tasks.map((t) => ({ fullUrl: `Task/${t.id}`, resource: taskResource(t), search: { mode: "match" } })),
});

// ——— the hub's own moves ———

export interface SweepReport {
  checked: number;
  redispatched: number;
  dispatched: number;
  overdue: number;
  noExpert: number;
}

/** One pass over the open Tasks whose deadline passed (the schedule runs it every minute of the province clock) */
export async function sweepTasks(deps: TelemedicineDeps): Promise<SweepReport> {
  const report: SweepReport = { checked: 0, redispatched: 0, dispatched: 0, overdue: 0, noExpert: 0 };
  const open = (await deps.tasks.getMany(await deps.tasks.openIds())).filter(isOpen);
  for (const task of open) {
    report.checked++;
    const outcome = expired(task, deps.now());
    if (outcome === "dispatch") {
      // a Task already marked no-expert is written again only when an expert appeared
      if ((await dispatchTask(deps, task))?.owner) report.dispatched++;
    } else if (outcome && (await deps.tasks.update(outcome))) {
      await tell(deps, task, outcome, "hub");
      if (outcome.status === "requested") {
        report.redispatched++;
        await dispatchTask(deps, outcome);
      } else report.overdue++;
    }
  }
  const now = (await deps.tasks.getMany(open.map((t) => t.id))).filter((t) => isOpen(t) && t.businessStatus === "no-expert");
  report.noExpert = now.length;
  deps.alarm(report.noExpert);
  return report;
}

/** A deceased resident's open Tasks: cancelled by the hub, each party told (issue 16 wires it to the death flow) */
export async function cancelOpenTasksOfResident(deps: TelemedicineDeps, empi: string, reason: string, now: Date): Promise<StoredTask[]> {
  const done: StoredTask[] = [];
  for (const id of await deps.tasks.idsOfResident(empi)) {
    for (let attempt = 0; attempt < 3; attempt++) {
      const task = await deps.tasks.get(id);
      if (!task || !isOpen(task) || task.empi !== empi) break;
      const next = cancelled(task, now, "hub", reason);
      if (await deps.tasks.update(next)) {
        await tell(deps, task, next, "hub");
        await releaseSession(deps, task, "hub");
        done.push(next);
        break;
      }
    }
  }
  return done;
}

/** The consent seam (use-cases/consent/registry.ts TelemedicineDocuments): what a hospital's open owned Tasks open to it */
export async function telemedicineDocuments(
  tasks: TelemedicineDeps["tasks"],
  empis: readonly string[],
  hospitalId: string,
): Promise<string[]> {
  const owned = await tasks.getMany(await tasks.idsOf("owner", hospitalId));
  return owned.filter((t) => isOpen(t) && t.owner?.hospitalId === hospitalId && empis.includes(t.empi)).flatMap((t) => t.supportingInfo);
}

const DAY_MS = 86_400_000;

export async function kpisBetween(tasks: TelemedicineDeps["tasks"], from: string, to: string) {
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  if (!(end >= start)) throw new BadRequestError("to: a day on or after from", "to");
  if (end - start > 30 * DAY_MS) throw new BadRequestError("to: at most 31 days from from", "to");
  const days = Array.from({ length: (end - start) / DAY_MS + 1 }, (_, i) => new Date(start + i * DAY_MS).toISOString().slice(0, 10));
  const ids = (await Promise.all(days.map((d) => tasks.idsRequestedOn(d)))).flat();
  return { from, to, ...telemedicineKpis(await tasks.getMany(ids)) };
}
