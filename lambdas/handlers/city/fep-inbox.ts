/**
 * The hospital's FEP inbox (docs/push.md), as the FEP's system (no practitioner needed):
 *   GET  /fep/inbox?wait=<0..20>[&_count=<1..100>]      long poll: a searchset Bundle of Communications
 *   POST /fep/inbox/{communicationId}/ack               204 (also when repeated); unknown id → 404
 * Only the calling hospital's own inbox: the authorizer admits hospitals of this city, and names the one.
 * A present X-Practitioner-Id must name an active practitioner of that hospital (403 otherwise).
 */
import { cityInboxDeps } from "#adapters/inbox-store.ts";
import { BadRequestError, zodIssues } from "#domain/errors.ts";
import { inboxPollQuerySchema } from "#schemas/push.ts";
import { nodeEnv } from "#shared/env.ts";
import { httpHandler } from "#shared/http.ts";
import { hubClient } from "#shared/hub-client.ts";
import { actingPractitioner } from "#shared/practitioner-guard.ts";
import { acknowledge, inboxBundle, poll } from "#use-cases/push/inbox.ts";

const deps = cityInboxDeps();
const hub = hubClient(nodeEnv().ssmPrefix);

export const handler = httpHandler(async (event, http) => {
  const hospital = http.caller;
  if (!hospital) throw new Error("the authorizer admitted no hospital"); // unreachable behind the authorizer
  await actingPractitioner(hub, http.headers, hospital.hospitalId, false);
  const communicationId = event.pathParameters?.communicationId;
  if (event.httpMethod === "POST" && communicationId) {
    await acknowledge(deps, hospital.hospitalId, communicationId);
    return { statusCode: 204 };
  }
  const params = Object.fromEntries(
    Object.entries(event.multiValueQueryStringParameters ?? {}).map(([k, v]) => {
      if ((v?.length ?? 0) > 1) throw new BadRequestError(`${k}: give it once`, k);
      return [k, v?.[0]];
    }),
  );
  const query = inboxPollQuerySchema.safeParse(params);
  if (!query.success) throw new BadRequestError(zodIssues(query.error));
  const communications = await poll(deps, hospital.hospitalId, query.data.wait ?? 0, query.data._count ?? 20);
  return { statusCode: 200, body: inboxBundle(communications) };
});
