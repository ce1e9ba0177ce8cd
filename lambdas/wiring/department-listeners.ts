/**
 * Composition of a death's listeners (use-cases/departments/death-listeners.ts), registered in
 * `residentVitalListeners` (wiring/departments.ts) and run by the ResidentVitalEvents function: the
 * HealthCards table and the MPI's records (a resident's cards), the Subscriptions table, telemedicine's
 * Tasks, and the cities' FEP inboxes. Built on first use: the other functions that import the exchange's
 * wiring never touch these tables.
 */
import { dynamoHealthCardStore } from "#adapters/health-card-store.ts";
import { inboxSender } from "#adapters/inbox-sender.ts";
import { recordLocator } from "#adapters/record-locator.ts";
import { dynamoSubscriptionStore } from "#adapters/subscription-store.ts";
import { discovery } from "#shared/discovery.ts";
import { nodeEnv, tableName } from "#shared/env.ts";
import { cardsListener, deathCertificate, subscriptionsListener, tasksListener } from "#use-cases/departments/death-listeners.ts";
import type { ResidentVitalListener } from "#use-cases/departments/deaths.ts";
import { cardsOfResident } from "#use-cases/health-card-residents.ts";
import { mpiDeps } from "./mpi.ts";
import { hubTelemedicineDeps } from "./telemedicine.ts";

const once = <T>(make: () => T): (() => T) => {
  let made: T | undefined;
  return () => (made ??= make());
};

const inbox = once(() => inboxSender(discovery(nodeEnv().ssmPrefix)));
const cards = once(() => {
  const mpi = mpiDeps();
  return cardsListener({
    cards: dynamoHealthCardStore(tableName("HealthCards")),
    cardsOf: (empi) => cardsOfResident(mpi, empi),
    inbox: (...args) => inbox()(...args),
  });
});
const subscriptions = once(() =>
  subscriptionsListener({ subscriptions: dynamoSubscriptionStore(tableName("Subscriptions")), inbox: (...args) => inbox()(...args) }),
);
const tasks = once(() => tasksListener(once(hubTelemedicineDeps)));

const lazy =
  (listener: () => ResidentVitalListener): ResidentVitalListener =>
  (event, now) =>
    listener()(event, now);

/** A death cancels the resident's health cards, ends their subscriptions and cancels their open Tasks */
export const deathListeners: ResidentVitalListener[] = [lazy(cards), lazy(subscriptions), lazy(tasks)];
/** A retracted death restores the cards it cancelled (subscriptions and Tasks stay ended) */
export const restoreListeners: ResidentVitalListener[] = [lazy(cards)];

const certificates = once(() => {
  const locator = recordLocator(tableName("RecordLocator"));
  return deathCertificate((empi) => locator.list(empi, "DocumentReference"));
});
/** The death certificate the death-notification references, if the hub's record locator holds one yet */
export const certificateOf = (empi: string) => certificates()(empi);
