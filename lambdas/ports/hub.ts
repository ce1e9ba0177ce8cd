/**
 * What a city node needs of the hub's internal API (SigV4, DESIGN.md decision 3): who a credential
 * names, the practitioner check, and forwarding a hospital's request. Implemented by shared/hub-client.ts.
 */
import type { Principal } from "#schemas/auth.ts";
import type { PractitionerCheckResponse } from "#schemas/internal.ts";

/**
 * The hub's answer to a city's request: its body as sent (text), or, where a port relays only 2xx
 * JSON answers and throws refusals as domain errors (the MPI's PatientHub), the parsed JSON object.
 */
export interface HubAnswer<Body = string> {
  status: number;
  contentType: string;
  body: Body;
  /** the answer's headers, where the port passes them on */
  headers?: Headers;
}

export interface CredentialCheck {
  /** The principal a credential names; undefined when the hub does not know it (its 401). */
  authenticate(credential: string): Promise<Principal | undefined>;
}

export interface PractitionerCheck {
  checkPractitioner(hospitalId: string, practitionerId: string): Promise<PractitionerCheckResponse>;
}

export interface HubForwarder {
  /** Forwards a request to `/internal<path>` (path and query as the hospital sent them); returns the hub's answer as is. */
  forward(method: string, pathAndQuery: string, headers: Record<string, string>, body?: string): Promise<HubAnswer>;
}

export interface HubClient extends CredentialCheck, PractitionerCheck, HubForwarder {}
