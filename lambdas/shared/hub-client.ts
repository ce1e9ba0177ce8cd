/**
 * A city's calls to the hub's internal API (SigV4, DESIGN.md decision 3), for handlers:
 * who a credential names, the practitioner check, and forwarding a hospital's request.
 */
import { authenticateResponseSchema, type Principal } from "#schemas/auth.ts";
import { type PractitionerCheckResponse, practitionerCheckResponseSchema } from "#schemas/internal.ts";
import { discovery } from "./discovery.ts";
import { signedJsonPost, signedRequest } from "./signed-fetch.ts";

export function hubClient(ssmPrefix: string) {
  const nodes = discovery(ssmPrefix);
  return {
    /** The principal a credential names; undefined when the hub does not know it (its 401). */
    async authenticate(credential: string): Promise<Principal | undefined> {
      const answer = await signedJsonPost(`${await nodes.hubInternalApiUrl()}/internal/authenticate`, { credential });
      if (answer.status === 401) return undefined;
      if (answer.status !== 200) throw new Error(`hub authentication answered ${answer.status}`);
      return authenticateResponseSchema.parse(answer.json).principal;
    },
    async checkPractitioner(hospitalId: string, practitionerId: string): Promise<PractitionerCheckResponse> {
      const answer = await signedJsonPost(`${await nodes.hubInternalApiUrl()}/internal/practitioner-check`, { hospitalId, practitionerId });
      if (answer.status !== 200) throw new Error(`hub practitioner check answered ${answer.status}`);
      return practitionerCheckResponseSchema.parse(answer.json);
    },
    /** Forwards a request to `/internal<path>` (path and query as the hospital sent them); returns the hub's answer as is. */
    async forward(method: string, pathAndQuery: string, headers: Record<string, string>, body?: string) {
      return signedRequest(method, `${await nodes.hubInternalApiUrl()}/internal${pathAndQuery}`, headers, body);
    },
  };
}
export type HubClient = ReturnType<typeof hubClient>;
