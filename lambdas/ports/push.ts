/**
 * What the push use cases (use-cases/push/) need: at the hub, the Subscriptions and Admissions stores
 * and a sender to a hospital's FEP inbox; at a city, the Inbox store.
 */
import type { SubscriptionTarget } from "#domain/push/notification.ts";
import type { Contact } from "#domain/push/relationship.ts";
import type { InboxCommunication } from "#schemas/messages.ts";

// ——— hub ———

export interface StoredSubscription {
  hospitalId: string;
  subscriptionId: string;
  /**
   * "requested" while its match entry is being written, then "active"; "off" while being deleted;
   * "lapsed" once the matcher found the treatment relationship gone (kept, readable, notifying nothing)
   */
  status: "requested" | "active" | "off" | "lapsed";
  /** The match entry's key: empi#<empi> or admitted#<hospitalId> */
  matchKey: string;
  resource: Record<string, unknown>;
}

export interface SubscriptionStore {
  putRecord(s: StoredSubscription): Promise<void>;
  setStatus(hospitalId: string, subscriptionId: string, status: StoredSubscription["status"]): Promise<void>;
  getRecord(hospitalId: string, subscriptionId: string): Promise<StoredSubscription | undefined>;
  listRecords(hospitalId: string): Promise<StoredSubscription[]>;
  deleteRecord(hospitalId: string, subscriptionId: string): Promise<void>;
  /**
   * An active record becomes "lapsed", its resource `status: "off"` with `error` and meta.lastUpdated
   * `at`; false (nothing changed) if it was not active.
   */
  lapse(hospitalId: string, subscriptionId: string, error: string, at: string): Promise<boolean>;
  putMatchEntry(matchKey: string, target: SubscriptionTarget): Promise<void>;
  deleteMatchEntry(matchKey: string, subscriptionId: string): Promise<void>;
  matchEntries(matchKey: string): Promise<SubscriptionTarget[]>;
}

export interface AdmissionStore {
  /** Records an encounter's status, unless a later one is already recorded (only moves forward). */
  recordEncounter(empi: string, hospitalId: string, encounterId: string, status: string, recordedAt: string): Promise<void>;
  /** The resident's encounters and their latest status */
  encounters(empi: string): Promise<{ hospitalId: string; status: string }[]>;
}

/**
 * One source of the hospitals' contacts with a resident that make a treatment relationship
 * (domain/push/relationship.ts), beside the PIXm feeds the MPI holds: the encounters recorded at the
 * hub; open telemedicine Tasks (as requester or owner, `open: true`) will be another. Given every
 * EMPI of the resident (the survivor and the residents merged into it).
 */
export type ContactSource = (empis: readonly string[]) => Promise<Contact[]>;

/** Sends a Communication to the FEP inbox of a hospital of `cityId` (at least once; the city stores it once) */
export type InboxSender = (cityId: string, hospitalId: string, communication: InboxCommunication) => Promise<void>;

// ——— city ———

export interface InboxItem {
  hospitalId: string;
  communicationId: string;
  communication: InboxCommunication;
  /** ISO time from which a poll may take it */
  visibleAt: string;
  receiveCount: number;
  deliveredAt: string;
  expiresAt: string;
}

export interface InboxStore {
  /** Stores it unless it is there or was acknowledged; returns whether it was new. */
  put(item: InboxItem): Promise<boolean>;
  /** Pending items visible at `now` (oldest first is the caller's business) */
  visible(hospitalId: string, now: string): Promise<InboxItem[]>;
  /** Takes an item for a poll: moves visibleAt from `seen` to `until`; false if another poll took it first. */
  take(item: InboxItem, until: string): Promise<boolean>;
  /** The Communication, pending or acknowledged (its tombstone keeps it until both expire); undefined when not the hospital's */
  read(hospitalId: string, communicationId: string): Promise<InboxCommunication | undefined>;
  /** Acknowledges: tombstone, then the pending item goes. False when neither exists (unknown id). */
  acknowledge(hospitalId: string, communicationId: string, now: string): Promise<boolean>;
  /** Deletes everything expired at `now`; returns how many */
  sweep(now: string): Promise<number>;
}

/** A city's forwarding of a hospital's Subscription requests to the hub's internal API */
export interface SubscriptionHub {
  /**
   * Forwards `method path` for the hospital (its city named); the hub's 4xx OperationOutcome is thrown
   * as the same domain error, a non-JSON answer as an upstream error.
   */
  forward(
    method: string,
    path: string,
    hospitalId: string,
    body?: string,
    /** more headers for the hub (the acting practitioner, If-Match) */
    headers?: Record<string, string>,
  ): Promise<{ status: number; json?: Record<string, unknown> }>;
}
