/**
 * A city's calls to the hub's internal API (SigV4, DESIGN.md decision 3): who a credential names,
 * the practitioner check, and forwarding a hospital's request.
 */
import { UpstreamError } from "#domain/errors.ts";
import type { HubClient } from "#ports/hub.ts";
import { authenticateResponseSchema } from "#schemas/auth.ts";
import { practitionerCheckResponseSchema } from "#schemas/internal.ts";
import { discovery } from "./discovery.ts";
import { signedJsonPost, signedRequest } from "./signed-fetch.ts";

export type { HubClient } from "#ports/hub.ts";

export function hubClient(ssmPrefix: string): HubClient {
  const nodes = discovery(ssmPrefix);
  return {
    async authenticate(credential) {
      const answer = await signedJsonPost(`${await nodes.hubInternalApiUrl()}/internal/authenticate`, { credential });
      if (answer.status === 401) return undefined;
      if (answer.status !== 200) throw new Error(`hub authentication answered ${answer.status}`);
      return authenticateResponseSchema.parse(answer.json).principal;
    },
    async checkPractitioner(hospitalId, practitionerId) {
      const answer = await signedJsonPost(`${await nodes.hubInternalApiUrl()}/internal/practitioner-check`, { hospitalId, practitionerId });
      if (answer.status !== 200) throw new UpstreamError(`the hub's practitioner check answered ${answer.status}; retry shortly`);
      return practitionerCheckResponseSchema.parse(answer.json);
    },
    async forward(method, pathAndQuery, headers, body) {
      return signedRequest(method, `${await nodes.hubInternalApiUrl()}/internal${pathAndQuery}`, headers, body);
    },
  };
}
