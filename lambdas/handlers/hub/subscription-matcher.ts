/** Notify queue consumer: matches each new document or encounter against subscriptions and fills FEP inboxes. */
import { inboxSender } from "#adapters/inbox-sender.ts";
import { mpiWiring } from "#adapters/resident-index.ts";
import { dynamoAdmissionStore, dynamoSubscriptionStore } from "#adapters/subscription-store.ts";
import { notifyMessageSchema } from "#schemas/messages.ts";
import { discovery } from "#shared/discovery.ts";
import { nodeEnv, tableName } from "#shared/env.ts";
import { sqsHandler } from "#shared/sqs.ts";
import { resolveView } from "#use-cases/mpi/residents.ts";
import { type MatcherDeps, matchClinicalEvent } from "#use-cases/push/matcher.ts";

const { deps: mpi } = mpiWiring();
const deps: MatcherDeps = {
  subscriptions: dynamoSubscriptionStore(tableName("Subscriptions")),
  admissions: dynamoAdmissionStore(tableName("Admissions")),
  send: inboxSender(discovery(nodeEnv().ssmPrefix)),
  residentEmpis: async (empi) => (await resolveView(mpi, empi))?.members.map((m) => m.empi) ?? [],
};

export const handler = sqsHandler(notifyMessageSchema, async (message) => {
  await matchClinicalEvent(deps, message);
});
