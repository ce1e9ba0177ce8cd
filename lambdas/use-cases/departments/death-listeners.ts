/**
 * What a death does to the other capabilities (docs/departments.md#what-a-death-ends), the listeners of
 * the death's cascade (deaths.ts), run by the consumer of the ResidentEvents queue.
 * cardsListener — deceased: each of the resident's health cards not cancelled is cancelled by the hub
 *   (history reason DEATH_REASON), the issuing hospital told in its FEP inbox; restored: a card whose
 *   last change is that cancellation goes back to the status it had before, the hospital told again.
 * subscriptionsListener — deceased: each active subscription to the resident lapses (Subscription.error
 *   says why), its match entry removed, the hospital that holds it told. Not reversed by a restore: the
 *   hospital subscribes again if it still needs to.
 * tasksListener — deceased: the resident's open telemedicine Tasks are cancelled by the hub, requester
 *   and owner told (telemedicine's cancelOpenTasksOfResident). Not reversed: a new request is made.
 * Each is idempotent: a retried event finds nothing left to change and tells no one again.
 * deathCertificate — the cascade's `certificate` seam: the resident's death certificate (LOINC 64297-5)
 *   in the record locator, referenced by the death-notification when it exists by then.
 */
import { createHash } from "node:crypto";
import type { FocusResource } from "#ports/departments.ts";
import type { HealthCard, HealthCardStore } from "#ports/health-card.ts";
import type { InboxSender, SubscriptionStore } from "#ports/push.ts";
import type { TelemedicineDeps } from "#ports/telemedicine.ts";
import type { ResidentVitalEvent } from "#schemas/departments.ts";
import { LOINC_SYSTEM, type LocatorEntry } from "#schemas/documents.ts";
import type { InboxCommunication } from "#schemas/messages.ts";
import { EMPI_SYSTEM } from "#schemas/patient.ts";
import { empiMatchKey } from "#use-cases/push/matcher.ts";
import { cancelOpenTasksOfResident } from "#use-cases/telemedicine/tasks.ts";
import type { ResidentVitalListener } from "./deaths.ts";

/** The reason the hub writes in a card's history when a death cancels it (and what a restore looks for) */
export const DEATH_REASON = "the resident died";
export const DEATH_RETRACTED_REASON = "the death was retracted";
/** Subscription.error of a subscription a death ended */
export const DEATH_SUBSCRIPTION_ERROR = "the resident died: the subscription ended";
const HUB = "hub";

const communicationId = (prefix: string, ...parts: string[]): string =>
  `${prefix}-${createHash("sha256").update(parts.join("|")).digest("hex").slice(0, 32)}`;

/** A Communication about the resident to a hospital's FEP inbox: what happened (category) to what (payload) */
export function deathCommunication(input: {
  id: string;
  hospitalId: string;
  empi: string;
  payload: string;
  what: string;
  at: string;
}): InboxCommunication {
  return {
    resourceType: "Communication",
    id: input.id,
    status: "completed",
    sent: input.at,
    recipient: [{ reference: `Organization/${input.hospitalId}` }],
    subject: { reference: `Patient/${input.empi}`, identifier: { system: EMPI_SYSTEM, value: input.empi } },
    payload: [{ contentReference: { reference: input.payload } }],
    category: [{ text: input.what }],
  };
}

export interface CardListenerDeps {
  cards: Pick<HealthCardStore, "get" | "update">;
  /** The card ids issued to the resident (the MPI links each card to the resident) */
  cardsOf: (empi: string) => Promise<string[]>;
  inbox: InboxSender;
}

/** The card after the change a vital event makes to it, or undefined if it makes none */
export function cardAfter(card: HealthCard, change: ResidentVitalEvent["change"], at: string): HealthCard | undefined {
  const last = card.history.at(-1);
  if (change === "deceased") {
    if (card.status === "cancelled") return undefined;
    return {
      ...card,
      status: "cancelled",
      version: card.version + 1,
      history: [...card.history, { status: "cancelled", at, by: HUB, reason: DEATH_REASON }],
    };
  }
  if (change !== "restored" || card.status !== "cancelled" || last?.by !== HUB || last.reason !== DEATH_REASON) return undefined;
  const before = card.history.at(-2)?.status ?? "active";
  return {
    ...card,
    status: before,
    version: card.version + 1,
    history: [...card.history, { status: before, at, by: HUB, reason: DEATH_RETRACTED_REASON }],
  };
}

/** Is the card's last change the one the hub makes for this vital change? (then its hospital is told, again if retried) */
const changedByHubFor = (card: HealthCard, change: ResidentVitalEvent["change"]): boolean => {
  const last = card.history.at(-1);
  return last?.by === HUB && last.reason === (change === "deceased" ? DEATH_REASON : DEATH_RETRACTED_REASON);
};

export function cardsListener(deps: CardListenerDeps): ResidentVitalListener {
  return async (event, now) => {
    const at = now.toISOString();
    for (const cardId of await deps.cardsOf(event.empi))
      for (let attempt = 0; attempt < 3; attempt++) {
        const card = await deps.cards.get(cardId);
        if (!card) break;
        const next = cardAfter(card, event.change, at);
        if (next && !(await deps.cards.update(next))) continue; // changed meanwhile: read again
        const done = next ?? card;
        // told with an id of the card's version: a retried event (the inbox failed after the write) tells once
        if (changedByHubFor(done, event.change))
          await deps.inbox(
            done.cityId,
            done.issuedBy,
            deathCommunication({
              id: communicationId("hc-vital", done.cardId, String(done.version)),
              hospitalId: done.issuedBy,
              empi: event.empi,
              payload: `Basic/health-card-${done.cardId}`,
              what:
                event.change === "deceased" ? "health-card-cancelled: the resident died" : "health-card-restored: the death was retracted",
              at: done.history.at(-1)!.at,
            }),
          );
        break;
      }
  };
}

export interface SubscriptionListenerDeps {
  subscriptions: Pick<SubscriptionStore, "matchEntries" | "lapse" | "getRecord" | "deleteMatchEntry">;
  inbox: InboxSender;
}

export function subscriptionsListener(deps: SubscriptionListenerDeps): ResidentVitalListener {
  return async (event, now) => {
    if (event.change !== "deceased") return;
    const at = now.toISOString();
    const key = empiMatchKey(event.empi);
    for (const target of await deps.subscriptions.matchEntries(key)) {
      // only an active one lapses; one this listener lapsed before (a retry after the inbox failed) is told again, same id
      const ended =
        (await deps.subscriptions.lapse(target.hospitalId, target.subscriptionId, DEATH_SUBSCRIPTION_ERROR, at)) ||
        (await deps.subscriptions.getRecord(target.hospitalId, target.subscriptionId))?.resource.error === DEATH_SUBSCRIPTION_ERROR;
      if (ended)
        await deps.inbox(
          target.cityId,
          target.hospitalId,
          deathCommunication({
            id: communicationId("sub-vital", target.hospitalId, target.subscriptionId),
            hospitalId: target.hospitalId,
            empi: event.empi,
            payload: `Subscription/${target.subscriptionId}`,
            what: "subscription-ended: the resident died",
            at,
          }),
        );
      await deps.subscriptions.deleteMatchEntry(key, target.subscriptionId);
    }
  };
}

export const DEATH_CERTIFICATE_LOINC = "64297-5";

/**
 * The death certificate the record locator holds for the resident (a current DocumentReference typed
 * LOINC 64297-5), as the death-notification's focus; the newest if a hospital published more than one.
 */
export function deathCertificate(documents: (empi: string) => Promise<LocatorEntry[]>) {
  return async (empi: string): Promise<FocusResource | undefined> => {
    const certificates = (await documents(empi))
      .filter((d) => d.status === "current" && d.typeTokens.includes(`${LOINC_SYSTEM}|${DEATH_CERTIFICATE_LOINC}`))
      .sort((a, b) => b.recordedAt.localeCompare(a.recordedAt));
    const newest = certificates[0];
    return newest ? ({ ...newest.resource, resourceType: "DocumentReference", id: newest.id } as FocusResource) : undefined;
  };
}

export function tasksListener(deps: () => TelemedicineDeps): ResidentVitalListener {
  return async (event, now) => {
    if (event.change === "deceased") await cancelOpenTasksOfResident(deps(), event.empi, DEATH_REASON, now);
  };
}
