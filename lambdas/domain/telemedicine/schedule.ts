/**
 * An expert's Schedule, its 30-minute Slots and the Appointments booked in them
 * (docs/telemedicine.md#scheduling). Working hours are China Standard Time (UTC+8, no daylight
 * saving), Monday to Friday 08:00–12:00 and 14:00–17:30: 15 slots a working day. A slot's id is its
 * expert's PractitionerRole and its local start (`<roleId>.<YYYYMMDDHHmm>`), so a slot is the same
 * slot however often it is listed; it exists while it lies within the province's slot horizon (kept
 * 14 days ahead by the sweep). A hold lasts 10 minutes; a booked session whose start passed by 30
 * minutes without the Task in progress is a no-show. Pure.
 */

const MIN = 60_000;
const CST_OFFSET_MS = 8 * 60 * MIN;

export const SCHEDULING_POLICY = {
  timeZone: "Asia/Shanghai (UTC+8)",
  /** local [start, end) hours of the working periods, Monday to Friday */
  periods: [
    [8 * 60, 12 * 60],
    [14 * 60, 17 * 60 + 30],
  ] as const,
  slotMinutes: 30,
  horizonDays: 14,
  holdMs: 10 * MIN,
  noShowGraceMs: 30 * MIN,
} as const;

export type SlotStatus = "free" | "busy-tentative" | "busy";

/** The state of a slot once touched (absent: free) */
export interface SlotState {
  status: SlotStatus;
  appointmentId?: string;
  /** busy-tentative: until when the hold lasts */
  holdUntil?: string;
}

export interface Slot {
  id: string;
  roleId: string;
  start: string;
  end: string;
}

export type AppointmentStatus = "pending" | "booked" | "cancelled" | "noshow" | "fulfilled";

export interface StoredAppointment {
  id: string;
  version: number;
  status: AppointmentStatus;
  slotId: string;
  roleId: string;
  start: string;
  end: string;
  taskId: string;
  serviceRequestId: string;
  empi: string;
  /** the hospitals of the Task: who may book, cancel, and is told */
  requesterHospitalId: string;
  ownerHospitalId: string;
  /** pending: until when the hold lasts */
  holdUntil?: string;
  cancelationReason?: string;
  createdAt: string;
  lastUpdated: string;
  /** the hospital (and practitioner) that held, booked or cancelled it last */
  by: string;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** The CST calendar day (YYYY-MM-DD) of an instant */
export const cstDay = (at: Date): string => new Date(at.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10);

/** The last day the horizon covers, from the day of `now` (CST): today + 14 days */
export const horizonThrough = (now: Date): string =>
  new Date(Date.parse(`${cstDay(now)}T00:00:00Z`) + SCHEDULING_POLICY.horizonDays * 1440 * MIN).toISOString().slice(0, 10);

/** The slot a role has at a CST day and minute of the day */
function slotAt(roleId: string, day: string, minute: number): Slot {
  const startMs = Date.parse(`${day}T00:00:00Z`) - CST_OFFSET_MS + minute * MIN;
  const local = `${day.replaceAll("-", "")}${pad(Math.floor(minute / 60))}${pad(minute % 60)}`;
  return {
    id: `${roleId}.${local}`,
    roleId,
    start: new Date(startMs).toISOString(),
    end: new Date(startMs + SCHEDULING_POLICY.slotMinutes * MIN).toISOString(),
  };
}

/** A role's slots starting in [from, to), within the working hours (to: at most the horizon) */
export function slotsBetween(roleId: string, from: Date, to: Date): Slot[] {
  const slots: Slot[] = [];
  for (let dayMs = Date.parse(`${cstDay(from)}T00:00:00Z`); dayMs < to.getTime() + CST_OFFSET_MS; dayMs += 1440 * MIN) {
    const weekday = new Date(dayMs).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    const day = new Date(dayMs).toISOString().slice(0, 10);
    for (const [open, close] of SCHEDULING_POLICY.periods)
      for (let m = open; m + SCHEDULING_POLICY.slotMinutes <= close; m += SCHEDULING_POLICY.slotMinutes) {
        const slot = slotAt(roleId, day, m);
        const t = Date.parse(slot.start);
        if (t >= from.getTime() && t < to.getTime()) slots.push(slot);
      }
  }
  return slots;
}

/** The end of the horizon's last day (CST), as an instant */
export const horizonEnd = (through: string): Date => new Date(Date.parse(`${through}T00:00:00Z`) - CST_OFFSET_MS + 1440 * MIN);

/**
 * The slot a slot id names, if it is one of the role's working-hour slots (not whether it lies
 * within the horizon: the caller checks that)
 */
export function parseSlotId(slotId: string): Slot | undefined {
  const m = /^(.+)\.(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(slotId);
  if (!m) return undefined;
  const [, roleId, y, mo, d, h, mi] = m;
  const day = `${y}-${mo}-${d}`;
  const minute = Number(h) * 60 + Number(mi);
  if (Number.isNaN(Date.parse(`${day}T00:00:00Z`)) || new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) !== day) return undefined;
  const slot = slotAt(roleId!, day, minute);
  const within = slotsBetween(roleId!, new Date(Date.parse(slot.start)), new Date(Date.parse(slot.start) + 1));
  return within.length === 1 && within[0]!.id === slotId ? slot : undefined;
}

/** A slot's status now: a hold that lapsed is free again (lazily, before the sweep writes it) */
export function statusNow(state: SlotState | undefined, now: Date): SlotStatus {
  if (!state || state.status === "free") return "free";
  if (state.status === "busy-tentative" && (!state.holdUntil || Date.parse(state.holdUntil) <= now.getTime())) return "free";
  return state.status;
}

/** Is a session whose start passed by the grace period a no-show, given the Task's status? */
export const isNoShow = (appointment: Pick<StoredAppointment, "status" | "start">, taskStatus: string, now: Date): boolean =>
  appointment.status === "booked" &&
  Date.parse(appointment.start) + SCHEDULING_POLICY.noShowGraceMs <= now.getTime() &&
  (taskStatus === "accepted" || taskStatus === "on-hold");

// ——— what a party sees ———

export function slotResource(slot: Slot, status: SlotStatus): Record<string, unknown> {
  return {
    resourceType: "Slot",
    id: slot.id,
    schedule: { reference: `Schedule/${slot.roleId}` },
    status,
    start: slot.start,
    end: slot.end,
  };
}

export function appointmentResource(a: StoredAppointment): Record<string, unknown> {
  return {
    resourceType: "Appointment",
    id: a.id,
    meta: { versionId: String(a.version), lastUpdated: a.lastUpdated },
    status: a.status,
    ...(a.cancelationReason ? { cancelationReason: { text: a.cancelationReason } } : {}),
    start: a.start,
    end: a.end,
    minutesDuration: SCHEDULING_POLICY.slotMinutes,
    slot: [{ reference: `Slot/${a.slotId}` }],
    basedOn: [{ reference: `ServiceRequest/${a.serviceRequestId}` }],
    supportingInformation: [{ reference: `Task/${a.taskId}` }],
    ...(a.holdUntil && a.status === "pending" ? { requestedPeriod: [{ end: a.holdUntil }] } : {}),
    created: a.createdAt,
    participant: [
      { actor: { reference: `Patient/${a.empi}` }, status: "accepted" },
      { actor: { reference: `PractitionerRole/${a.roleId}` }, status: "accepted" },
    ],
  };
}
