/**
 * What the telemedicine use cases (use-cases/telemedicine/) need: the Task store (versioned Tasks
 * with conditional writes, the requested ServiceRequests, the open Tasks the sweep walks), the
 * province's experts and hospitals' tiers (the health-resources registry), the resident (MPI) and
 * their documents (record locator), and the FEP inbox.
 */
import type { Expert, Tier } from "#domain/telemedicine/dispatch.ts";
import type { SlotState, StoredAppointment } from "#domain/telemedicine/schedule.ts";
import type { StoredTask } from "#domain/telemedicine/task.ts";
import type { InboxCommunication } from "#schemas/messages.ts";

export interface TaskStore {
  get(taskId: string): Promise<StoredTask | undefined>;
  getMany(taskIds: readonly string[]): Promise<StoredTask[]>;
  /**
   * Writes a new Task (version 1, absent before) with its ServiceRequest as sent; the Task's search
   * entries (requester, open) are written first, so a Task is never written without them.
   */
  /** false when a Task of that id exists already (a retry of the same request got there first) */
  create(task: StoredTask, serviceRequest: Record<string, unknown>): Promise<boolean>;
  /** Writes `task` if the stored version is `task.version - 1`; false when another write came first */
  update(task: StoredTask): Promise<boolean>;
  serviceRequest(serviceRequestId: string): Promise<Record<string, unknown> | undefined>;
  /** The Task of a ServiceRequest (a down-referral names the referral it follows) */
  taskOfServiceRequest(serviceRequestId: string): Promise<string | undefined>;
  /** Task ids a hospital requested, or ever owned (a superset: the use case reads each Task) */
  idsOf(kind: "requester" | "owner", hospitalId: string): Promise<string[]>;
  /** Task ids of the open Tasks (a superset; a finished Task leaves it on its last write) */
  openIds(): Promise<string[]>;
  /**
   * The experts' load: open Tasks per owner role, from the open index alone (each entry carries its
   * Task's owner role, written after the Task, never older than a version before): one query, no Task read
   */
  openLoads(): Promise<Map<string, number>>;
  /** Task ids of a resident's Tasks (a superset) */
  idsOfResident(empi: string): Promise<string[]>;
  /** Task ids requested on a UTC day (YYYY-MM-DD) */
  idsRequestedOn(day: string): Promise<string[]>;
}

/**
 * The experts' slots and the Appointments in them. A slot's state is written only once it is held or
 * booked, each write conditional on the state read, so of concurrent holds or books of one slot
 * exactly one is written.
 */
export interface SlotStore {
  /** The stored states of a role's slots starting in [from, to) (absent: free), by slot start */
  states(roleId: string, from: string, to: string): Promise<Map<string, SlotState>>;
  state(roleId: string, start: string): Promise<SlotState | undefined>;
  /**
   * Writes `next` over the slot if it is now as `expected` says: "free" (absent, free or a lapsed hold
   * at `now`) or "held-by" (busy-tentative for `appointmentId`, the hold running at `now`) or "of"
   * (whatever its status, the slot is `appointmentId`'s). False when another write came first.
   */
  claim(
    roleId: string,
    start: string,
    next: SlotState,
    expected: { kind: "free" | "held-by" | "of"; appointmentId?: string; now: string },
  ): Promise<boolean>;
  appointment(id: string): Promise<StoredAppointment | undefined>;
  /** Writes an Appointment: version 1 if absent, else over version - 1; false when another write came first */
  putAppointment(appointment: StoredAppointment): Promise<boolean>;
  /** Pending holds and booked sessions the sweep follows: `kind` by the instant they fall due */
  due(kind: "hold" | "session", until: string): Promise<{ at: string; appointmentId: string }[]>;
  watch(kind: "hold" | "session", at: string, appointmentId: string): Promise<void>;
  unwatch(kind: "hold" | "session", at: string, appointmentId: string): Promise<void>;
  /** The last CST day the slots are kept to (undefined: never generated) */
  horizon(): Promise<string | undefined>;
  /** Moves the horizon to `through` if it is before it (idempotent); true when moved */
  extendHorizon(through: string): Promise<boolean>;
}

export interface TelemedicineDirectory {
  /** Every active expert of the province, with their hospital's tier and city */
  experts(now: Date): Promise<Expert[]>;
  /** A hospital's tier and city (undefined: no such hospital) */
  hospital(hospitalId: string): Promise<{ tier: Tier; cityId: string } | undefined>;
}

export interface TelemedicineResidents {
  /** The resident (EMPI, a merge's survivor) an identifier names, or undefined */
  resolve(identifier: { system: string; value: string }): Promise<string | undefined>;
  /** The resident's DocumentReferences known to the record locator: id → publishing hospital and status */
  documents(empi: string): Promise<Map<string, { hospitalId: string; status: string }>>;
}

/** Puts a Communication in a hospital's FEP inbox (at least once, idempotent on its id) */
export type TaskInbox = (cityId: string, hospitalId: string, communication: InboxCommunication) => Promise<void>;

export interface TelemedicineDeps {
  tasks: TaskStore;
  slots: SlotStore;
  directory: TelemedicineDirectory;
  residents: TelemedicineResidents;
  inbox: TaskInbox;
  /** counts the Tasks left without an expert (an alarm at 1) */
  alarm: (noExpert: number) => void;
  now: () => Date;
}
