/**
 * The subscription matcher at the hub (Notify queue).
 * Input: a clinical-event (a document or encounter recorded at the hub). Output: one Communication per
 * matching active subscription, sent to the subscriber's FEP inbox through its city's push queue.
 * Primary course: an encounter first updates who is admitted where; then the resident's own
 * subscriptions (under any of its EMPIs, merges included) and the admitted-patient subscriptions of
 * every hospital where the resident has an open encounter are selected, each checked active, and notified with a stable id (redelivery is harmless:
 * the inbox stores an id once). A failed send throws, and the whole event is retried.
 */

import { isOpenEncounter } from "#domain/push/criteria.ts";
import { notificationOf, type SubscriptionTarget, selectTargets } from "#domain/push/notification.ts";
import type { AdmissionStore, InboxSender, SubscriptionStore } from "#ports/push.ts";
import type { ClinicalEventMessageV1 } from "#schemas/messages.ts";

export interface MatcherDeps {
  subscriptions: SubscriptionStore;
  admissions: AdmissionStore;
  send: InboxSender;
  /** Every EMPI of the resident `empi` names: itself (or its survivor) and those merged into it */
  residentEmpis: (empi: string) => Promise<string[]>;
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
  // each target on its own: one slow city does not hold up the others, and any failure fails the event
  const sent = await Promise.all(
    selectTargets(event, candidates).map(async (target) => {
      const record = await deps.subscriptions.getRecord(target.hospitalId, target.subscriptionId);
      if (record?.status !== "active") return 0; // being created or deleted: not (or no longer) a subscription
      const n = notificationOf(event, target);
      await deps.send(n.cityId, n.hospitalId, n.communication);
      return 1;
    }),
  );
  return sent.reduce((a: number, b) => a + b, 0);
}
