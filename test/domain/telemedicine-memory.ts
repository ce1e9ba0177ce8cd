/**
 * Telemedicine's stores in memory, for the use cases' unit tests: Tasks (versioned, conditional
 * writes), slots and appointments (the same conditions as the DynamoDB adapter), the inbox, the clock.
 */

import type { Expert } from "#domain/telemedicine/dispatch.ts";
import type { SlotState, StoredAppointment } from "#domain/telemedicine/schedule.ts";
import { isOpen, type StoredTask } from "#domain/telemedicine/task.ts";
import type { SlotStore, TaskStore, TelemedicineDeps } from "#ports/telemedicine.ts";
import type { InboxCommunication } from "#schemas/messages.ts";

export function memorySlotStore(): SlotStore & { items: Map<string, SlotState> } {
  const items = new Map<string, SlotState>();
  const appointments = new Map<string, StoredAppointment>();
  const due = new Map<string, Set<string>>([
    ["hold", new Set()],
    ["session", new Set()],
  ]);
  let through: string | undefined;
  const key = (roleId: string, start: string) => `${roleId}|${start}`;
  return {
    items,
    async states(roleId, from, to) {
      return new Map(
        [...items]
          .filter(([k]) => k.startsWith(`${roleId}|`) && k.split("|")[1]! >= from && k.split("|")[1]! < to)
          .map(([k, v]) => [k.split("|")[1]!, { ...v }]),
      );
    },
    state: async (roleId, start) => items.get(key(roleId, start)),
    async claim(roleId, start, next, expected) {
      const s = items.get(key(roleId, start));
      const ok =
        expected.kind === "free"
          ? !s || s.status === "free" || (s.status === "busy-tentative" && s.holdUntil! <= expected.now)
          : expected.kind === "held-by"
            ? s?.status === "busy-tentative" && s.appointmentId === expected.appointmentId && s.holdUntil! > expected.now
            : s?.appointmentId === expected.appointmentId;
      if (ok) items.set(key(roleId, start), { ...next });
      return ok;
    },
    appointment: async (id) => (appointments.has(id) ? structuredClone(appointments.get(id)) : undefined),
    async putAppointment(a) {
      const before = appointments.get(a.id);
      if (a.version === 1 ? before : before?.version !== a.version - 1) return false;
      appointments.set(a.id, structuredClone(a));
      return true;
    },
    async due(kind, until) {
      return [...due.get(kind)!]
        .filter((k) => k.split("#")[0]! <= until)
        .map((k) => ({ at: k.split("#")[0]!, appointmentId: k.split("#")[1]! }));
    },
    watch: async (kind, at, id) => void due.get(kind)!.add(`${at}#${id}`),
    unwatch: async (kind, at, id) => void due.get(kind)!.delete(`${at}#${id}`),
    horizon: async () => through,
    async extendHorizon(next) {
      if (through && through >= next) return false;
      through = next;
      return true;
    },
  };
}

export function memoryDeps(experts: Expert[], documents: Map<string, { hospitalId: string; status: string }>) {
  const tasks = new Map<string, StoredTask>();
  const requested = new Map<string, Record<string, unknown>>();
  const clone = <T>(x: T): T => structuredClone(x);
  const store: TaskStore = {
    get: async (id) => (tasks.has(id) ? clone(tasks.get(id)!) : undefined),
    getMany: async (ids) => [...new Set(ids)].flatMap((id) => (tasks.has(id) ? [clone(tasks.get(id)!)] : [])),
    async create(task, sr) {
      if (tasks.has(task.id)) return false;
      requested.set(task.serviceRequestId, sr);
      tasks.set(task.id, clone(task));
      return true;
    },
    async update(task) {
      if (tasks.get(task.id)?.version !== task.version - 1) return false;
      tasks.set(task.id, clone(task));
      return true;
    },
    serviceRequest: async (id) => requested.get(id),
    taskOfServiceRequest: async (id) => [...tasks.values()].find((t) => t.serviceRequestId === id)?.id,
    idsOf: async (kind, h) =>
      [...tasks.values()]
        .filter((t) => (kind === "requester" ? t.requester.hospitalId : t.history.length && t.owner?.hospitalId) === h)
        .map((t) => t.id),
    openIds: async () => [...tasks.keys()],
    async openLoads() {
      const load = new Map<string, number>();
      for (const t of tasks.values()) if (isOpen(t) && t.owner?.roleId) load.set(t.owner.roleId, (load.get(t.owner.roleId) ?? 0) + 1);
      return load;
    },
    idsOfResident: async (empi) => [...tasks.values()].filter((t) => t.empi === empi).map((t) => t.id),
    idsRequestedOn: async (day) => [...tasks.values()].filter((t) => t.createdAt.startsWith(day)).map((t) => t.id),
  };
  let now = new Date("2026-12-04T08:00:00Z");
  const sent: { hospitalId: string; communication: InboxCommunication }[] = [];
  const alarms: number[] = [];
  const deps: TelemedicineDeps = {
    tasks: store,
    slots: memorySlotStore(),
    directory: {
      experts: async () => experts,
      hospital: async (id) => ({
        tier: id.startsWith("sjz") ? "provincial" : id.endsWith("201") ? "county" : "municipal",
        cityId: "baoding",
      }),
    },
    residents: { resolve: async (i) => (i.value === "R1" ? "E1" : undefined), documents: async () => documents },
    inbox: async (_city, hospitalId, communication) => {
      sent.push({ hospitalId, communication });
    },
    alarm: (n) => alarms.push(n),
    now: () => now,
  };
  return { deps, tasks, sent, alarms, advance: (ms: number) => (now = new Date(now.getTime() + ms)) };
}
