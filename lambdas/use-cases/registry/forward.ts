/**
 * A hospital's registry request at its city, forwarded to the hub's internal API.
 * Input: the admitted hospital and the request as received (method, path, query, headers, body).
 * Output: the hub's status and FHIR answer, unchanged.
 * Primary course: name the hospital in x-hhc-hospital, pass on content-type and If-Match, send it to
 * `/internal<path>?<query>` (the path is the declared route with its checked ids); an answer that is
 * not a FHIR resource (no JSON, or JSON without a `resourceType`) is a 502, never relayed.
 */
import { UpstreamError } from "#domain/errors.ts";
import type { HubForwarder } from "#ports/hub.ts";
import { FHIR_JSON } from "#schemas/fhir.ts";
import { ACTING_HOSPITAL_HEADER } from "#schemas/internal.ts";

const FORWARDED_HEADERS = ["content-type", "if-match"];

export interface RegistryRequest {
  method: string;
  path: string;
  query: Record<string, string[]>;
  /** Names lower-cased */
  headers: Record<string, string>;
  rawBody: string | undefined;
}

export async function forwardRegistryRequest(
  hub: HubForwarder,
  hospitalId: string,
  request: RegistryRequest,
): Promise<{ statusCode: number; body?: unknown }> {
  const query = new URLSearchParams(
    Object.entries(request.query).flatMap(([k, values]) => values.map((v): [string, string] => [k, v])),
  ).toString();
  const headers: Record<string, string> = { accept: FHIR_JSON, [ACTING_HOSPITAL_HEADER]: hospitalId };
  for (const name of FORWARDED_HEADERS) {
    const value = request.headers[name];
    if (value) headers[name] = value;
  }
  // a read carries no body (HTTP gives a GET's body no meaning, and fetch cannot send one)
  const body = request.method === "GET" ? undefined : request.rawBody;
  const answer = await hub.forward(request.method, `${request.path}${query ? `?${query}` : ""}`, headers, body);
  let json: unknown;
  try {
    json = answer.body ? JSON.parse(answer.body) : undefined;
  } catch {
    throw new UpstreamError(`The hub answered ${answer.status} without JSON; retry shortly`);
  }
  if (json !== undefined && !isFhirResource(json))
    throw new UpstreamError(`The hub answered ${answer.status} with something other than a FHIR resource; retry shortly`);
  return { statusCode: answer.status, ...(json === undefined ? {} : { body: json }) };
}

const isFhirResource = (json: unknown): boolean =>
  typeof json === "object" && json !== null && typeof (json as { resourceType?: unknown }).resourceType === "string";
