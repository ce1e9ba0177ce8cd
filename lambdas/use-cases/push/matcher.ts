/**
 * The subscription matcher at the hub (Notify queue).
 * Input: a clinical-event (a document or encounter recorded at the hub). Output: one Communication per
 * matching active subscription, sent to the subscriber's FEP inbox through its city's push queue.
 * Primary course: an encounter first updates who is admitted where; then the resident's own
 * subscriptions (under any of its EMPIs, merges included) and the admitted-patient subscriptions of
 * every hospital where the resident has an open encounter are selected, each checked active, and notified with a stable id (redelivery is harmless:
 * the inbox stores an id once). A failed send throws, and the whole event is retried.
 * A subscription to one resident notifies only while the subscriber's treatment relationship with
 * the resident holds at the event's time (domain/push/relationship.ts); once it does not, nothing is
 * sent and the subscription lapses: its record switched off with the reason first, then its match
 * entry deleted (a crash between leaves an entry that the next event finishes deleting).
 * The admitted-patients subscriptions are a relationship of their own and are not checked.
 */

import { isOpenEncounter } from "#domain/push/criteria.ts";
import { notificationOf, type SubscriptionTarget, selectTargets } from "#domain/push/notification.ts";
import { type Contact, lapsedError, relationshipLapsedOn } from "#domain/push/relationship.ts";
import type { AdmissionStore, InboxSender, SubscriptionStore } from "#ports/push.ts";
import type { ClinicalEventMessageV1 } from "#schemas/messages.ts";

export interface MatcherDeps {
  subscriptions: SubscriptionStore;
  admissions: AdmissionStore;
  send: InboxSender;
  /** Every EMPI of the resident `empi` names: itself (or its survivor) and those merged into it */
  residentEmpis: (empi: string) => Promise<string[]>;
  /** The hospitals' contacts with the resident `empi` names (its merged records included) */
  contacts: (empi: string) => Promise<Contact[]>;
}

export const empiMatchKey = (empi: string) => `empi#${empi}`;
export const admittedMatchKey = (hospitalId: string) => `admitted#${hospitalId}`;

export async function matchClinicalEvent(deps: MatcherDeps, event: ClinicalEventMessageV1): Promise<number> {
  if (event.resourceType === "Encounter")
    await deps.admissions.recordEncounter(event.empi, event.hospitalId, event.resourceId, event.status, event.recordedAt);
  // a subscription names the EMPI the patient had when it was made; an MPI merge since then joins it
  const empis = [...new Set([event.empi, ...(await deps.residentEmpis(event.empi))])];
  const encounters = (await Promise.all(empis.map((e) => deps.admissions.encounters(e)))).flat();
  const admittedAt = new Set(encounters.filter((e) => isOpenEncounter(e.status)).map((e) => e.hospitalId));
  const candidates: SubscriptionTarget[] = (
    await Promise.all([
      ...empis.map((e) => deps.subscriptions.matchEntries(empiMatchKey(e))),
      ...[...admittedAt].map((h) => deps.subscriptions.matchEntries(admittedMatchKey(h))),
    ])
  ).flat();
  let contacts: Promise<Contact[]> | undefined; // looked up once, and only for a subscription to the resident
  // each target on its own: one slow city does not hold up the others, and any failure fails the event
  const sent = await Promise.all(
    selectTargets(event, candidates).map(async (target) => {
      const record = await deps.subscriptions.getRecord(target.hospitalId, target.subscriptionId);
      if (record?.status === "lapsed") {
        await deps.subscriptions.deleteMatchEntry(record.matchKey, record.subscriptionId); // an interrupted lapse
        return 0;
      }
      if (record?.status !== "active") return 0; // being created or deleted: not (or no longer) a subscription
      if (record.matchKey.startsWith(empiMatchKey(""))) {
        contacts ??= deps.contacts(event.empi);
        const lapsedOn = relationshipLapsedOn(await contacts, target.hospitalId, new Date(event.recordedAt));
        if (lapsedOn) {
          await deps.subscriptions.lapse(target.hospitalId, target.subscriptionId, lapsedError(lapsedOn), event.recordedAt);
          await deps.subscriptions.deleteMatchEntry(record.matchKey, record.subscriptionId);
          return 0;
        }
      }
      const n = notificationOf(event, target);
      await deps.send(n.cityId, n.hospitalId, n.communication);
      return 1;
    }),
  );
  return sent.reduce((a: number, b) => a + b, 0);
}
