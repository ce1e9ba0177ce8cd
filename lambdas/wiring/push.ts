/**
 * Composition of push: the hub's subscriptions API and matcher (Subscriptions, Admissions, the MPI,
 * the cities' push queues) and the city's FEP inbox (the Inbox table, its visibility period).
 */

import { dynamoHealthCardStore } from "#adapters/health-card-store.ts";
import { inboxSender } from "#adapters/inbox-sender.ts";
import { dynamoInboxStore, INBOX_RETENTION_DAYS } from "#adapters/inbox-store.ts";
import { recordLocator } from "#adapters/record-locator.ts";
import { subscriptionHub } from "#adapters/subscription-hub.ts";
import { dynamoAdmissionStore, dynamoSubscriptionStore } from "#adapters/subscription-store.ts";
import { DEFAULT_SUBSCRIPTION_CAP, hasTreatmentRelationship } from "#domain/push/relationship.ts";
import { clock } from "#shared/clock.ts";
import { discovery } from "#shared/discovery.ts";
import { nodeEnv, tableName } from "#shared/env.ts";
import { ENV } from "#shared/env-names.ts";
import { hubClient } from "#shared/hub-client.ts";
import { residentEmpi } from "#use-cases/mpi/queries.ts";
import { resolveView } from "#use-cases/mpi/residents.ts";
import type { InboxDeps } from "#use-cases/push/inbox.ts";
import type { MatcherDeps } from "#use-cases/push/matcher.ts";
import { encounterSource, type RelationshipDeps, residentContacts } from "#use-cases/push/relationship.ts";
import type { SubscriptionDeps } from "#use-cases/push/subscriptions.ts";
import { cityAuditor } from "#wiring/audit.ts";
import { mpiDeps } from "./mpi.ts";
import { pageKeyOfNode } from "./page-tokens.ts";

/** The hub's subscriptions API: a named patient is resolved at the MPI */
export function subscriptionDeps(): SubscriptionDeps {
  const relationship = relationshipDeps(mpiDeps());
  return {
    store: dynamoSubscriptionStore(tableName("Subscriptions")),
    resolveEmpi: (identifier) => residentEmpi(relationship.mpi, identifier),
    hasRelationship: async (hospitalId, empi, now) => hasTreatmentRelationship(await residentContacts(relationship, empi), hospitalId, now),
    cap: subscriptionCap(),
    now: () => clock.now(),
    pageKey: pageKeyOfNode(),
  };
}

/**
 * Where the hub learns of a treatment relationship: the MPI's feeds, the record locator's
 * encounters (the RecordLocator table, written by the exchange consumer) and the registrations by
 * health card (a dynamic code verified at registration: the HealthCards table); open telemedicine
 * Tasks would be one more source here.
 */
export function relationshipDeps(mpi: ReturnType<typeof mpiDeps>): RelationshipDeps {
  const cards = dynamoHealthCardStore(tableName("HealthCards"));
  return { mpi, sources: [encounterSource(recordLocator(tableName("RecordLocator"))), (empis) => cards.registrationsOf(empis)] };
}

/** HHC_SUBSCRIPTION_CAP: how many subscriptions a hospital may hold at once (default 10,000) */
function subscriptionCap(): number {
  const raw = process.env.HHC_SUBSCRIPTION_CAP;
  if (raw === undefined || raw === "") return DEFAULT_SUBSCRIPTION_CAP;
  const cap = Number(raw);
  if (!Number.isInteger(cap) || cap < 1) throw new Error("HHC_SUBSCRIPTION_CAP must be a whole number ≥ 1");
  return cap;
}

/** The hub's matcher: subscriptions, admissions, a resident's merged EMPIs and contacts, the cities' push queues */
export function matcherDeps(): MatcherDeps {
  const relationship = relationshipDeps(mpiDeps());
  return {
    subscriptions: dynamoSubscriptionStore(tableName("Subscriptions")),
    admissions: dynamoAdmissionStore(tableName("Admissions")),
    send: inboxSender(discovery(nodeEnv().ssmPrefix)),
    residentEmpis: async (empi) => (await resolveView(relationship.mpi, empi))?.members.map((m) => m.empi) ?? [],
    contacts: (empi) => residentContacts(relationship, empi),
  };
}

/** The city handlers' inbox: the Inbox table, the visibility period (env, default 60 s), 14 days' retention. */
export function cityInboxDeps(): InboxDeps {
  const raw = process.env[ENV.inboxVisibilitySeconds];
  const visibilitySeconds = raw === undefined || raw === "" ? 60 : Number(raw);
  if (!Number.isInteger(visibilitySeconds) || visibilitySeconds <= 0 || visibilitySeconds > 43_200)
    throw new Error(`${ENV.inboxVisibilitySeconds} must be a whole number of seconds, 1 to 43200`);
  return {
    cityId: nodeEnv().nodeId,
    store: dynamoInboxStore(tableName("Inbox")),
    visibilitySeconds,
    retentionDays: INBOX_RETENTION_DAYS,
    now: () => clock.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}

/** The city's subscription proxy: the hub's internal API (practitioner checks, forwarding) and the city's auditor */
export function citySubscriptionWiring() {
  const node = nodeEnv();
  const hub = hubClient(node.ssmPrefix);
  return { hub, subscriptions: subscriptionHub(hub, node.nodeId), auditor: cityAuditor(node) };
}

/** The city's FEP inbox API: the inbox, the hub (practitioner checks) and the city's auditor */
export function fepInboxWiring() {
  const node = nodeEnv();
  return { inbox: cityInboxDeps(), hub: hubClient(node.ssmPrefix), auditor: cityAuditor(node) };
}
