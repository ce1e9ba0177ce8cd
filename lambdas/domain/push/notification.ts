/**
 * Which subscriptions a new document or encounter notifies, and the Communication each gets. Pure.
 * The hospital that recorded the resource is not notified of it (it has it already). A notification's
 * id is a hash of the subscription and the event, so a redelivered event makes the same Communication.
 */
import { createHash } from "node:crypto";
import type { ClinicalEventMessageV1, InboxCommunication } from "#schemas/messages.ts";
import { EMPI_SYSTEM } from "#schemas/patient.ts";
import type { SubscribableType } from "./criteria.ts";

/** A subscription as the matcher sees it (its match entry) */
export interface SubscriptionTarget {
  subscriptionId: string;
  hospitalId: string;
  cityId: string;
  resourceType: SubscribableType;
  /** ISO time after which it notifies nothing */
  end?: string;
}

export interface Notification {
  cityId: string;
  hospitalId: string;
  communication: InboxCommunication;
}

/** 64 hex characters: stable for one subscription and one event */
export const communicationId = (subscriptionId: string, eventId: string): string =>
  createHash("sha256").update(`${subscriptionId}\n${eventId}`).digest("hex");

/** The targets `event` notifies: same resource type, not ended, not the recording hospital, each subscription once. */
export function selectTargets(event: ClinicalEventMessageV1, candidates: SubscriptionTarget[]): SubscriptionTarget[] {
  const chosen = new Map<string, SubscriptionTarget>();
  for (const c of candidates) {
    if (c.resourceType !== event.resourceType || c.hospitalId === event.hospitalId) continue;
    if (c.end && Date.parse(c.end) < Date.parse(event.recordedAt)) continue;
    chosen.set(c.subscriptionId, c);
  }
  return [...chosen.values()];
}

export function notificationOf(event: ClinicalEventMessageV1, target: SubscriptionTarget): Notification {
  return {
    cityId: target.cityId,
    hospitalId: target.hospitalId,
    communication: {
      resourceType: "Communication",
      id: communicationId(target.subscriptionId, event.eventId),
      status: "completed",
      // the event's time, not the matcher's: a redelivered notification is the same resource
      sent: event.recordedAt,
      recipient: [{ reference: `Organization/${target.hospitalId}` }],
      subject: { reference: `Patient/${event.empi}`, identifier: { system: EMPI_SYSTEM, value: event.empi } },
      payload: [{ contentReference: { reference: `${event.resourceType}/${event.resourceId}` } }],
      basedOn: [{ reference: `Subscription/${target.subscriptionId}` }],
      category: [{ text: event.resourceType === "DocumentReference" ? "new-document" : "new-encounter" }],
    },
  };
}
