/** Notify queue consumer: matches each new document or encounter against subscriptions and fills FEP inboxes. */
import { notifyMessageSchema } from "#schemas/messages.ts";
import { sqsHandler } from "#shared/sqs.ts";
import { matchClinicalEvent } from "#use-cases/push/matcher.ts";
import { matcherDeps } from "#wiring/push.ts";

const deps = matcherDeps();

export const handler = sqsHandler(notifyMessageSchema, async (message) => {
  await matchClinicalEvent(deps, message);
});
