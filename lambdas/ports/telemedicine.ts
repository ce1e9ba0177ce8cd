/**
 * What the telemedicine use cases (use-cases/telemedicine/) need: the Task store (versioned Tasks
 * with conditional writes, the requested ServiceRequests, the open Tasks the sweep walks), the
 * province's experts and hospitals' tiers (the health-resources registry), the resident (MPI) and
 * their documents (record locator), and the FEP inbox.
 */
import type { Expert, Tier } from "#domain/telemedicine/dispatch.ts";
import type { StoredTask } from "#domain/telemedicine/task.ts";
import type { InboxCommunication } from "#schemas/messages.ts";

export interface TaskStore {
  get(taskId: string): Promise<StoredTask | undefined>;
  getMany(taskIds: readonly string[]): Promise<StoredTask[]>;
  /**
   * Writes a new Task (version 1, absent before) with its ServiceRequest as sent; the Task's search
   * entries (requester, open) are written first, so a Task is never written without them.
   */
  create(task: StoredTask, serviceRequest: Record<string, unknown>): Promise<void>;
  /** Writes `task` if the stored version is `task.version - 1`; false when another write came first */
  update(task: StoredTask): Promise<boolean>;
  serviceRequest(serviceRequestId: string): Promise<Record<string, unknown> | undefined>;
  /** Task ids a hospital requested, or ever owned (a superset: the use case reads each Task) */
  idsOf(kind: "requester" | "owner", hospitalId: string): Promise<string[]>;
  /** Task ids of the open Tasks (a superset; a finished Task leaves it on its last write) */
  openIds(): Promise<string[]>;
  /** Task ids of a resident's Tasks (a superset) */
  idsOfResident(empi: string): Promise<string[]>;
  /** Task ids requested on a UTC day (YYYY-MM-DD) */
  idsRequestedOn(day: string): Promise<string[]>;
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
  directory: TelemedicineDirectory;
  residents: TelemedicineResidents;
  inbox: TaskInbox;
  /** counts the Tasks left without an expert (an alarm at 1) */
  alarm: (noExpert: number) => void;
  now: () => Date;
}
