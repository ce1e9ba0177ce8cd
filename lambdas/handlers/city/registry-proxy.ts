/**
 * A city's registry routes: a hospital's searches and reads of the registry, and its own staff
 * (Practitioner, PractitionerRole), forwarded to the hub's internal API on behalf of the hospital
 * the authorizer admitted. Answers pass through unchanged (their links are relative to the FHIR base).
 * A present X-Practitioner-Id must name an active practitioner of that hospital (403 otherwise).
 */

import { UpstreamError } from "#domain/errors.ts";
import { FHIR_JSON } from "#schemas/fhir.ts";
import { ACTING_HOSPITAL_HEADER } from "#schemas/internal.ts";
import { nodeEnv } from "#shared/env.ts";
import { callingHospital, httpHandler } from "#shared/http.ts";
import { hubClient } from "#shared/hub-client.ts";
import { actingPractitioner } from "#shared/practitioner-guard.ts";

const hub = hubClient(nodeEnv().ssmPrefix);
const FORWARDED_HEADERS = ["content-type", "if-match"];

export const handler = httpHandler(async (event, http) => {
  const hospital = callingHospital(event);
  if (!hospital) throw new Error("the authorizer admitted no hospital"); // unreachable behind the authorizer
  await actingPractitioner(hub, http.headers, hospital.hospitalId, false);
  const query = new URLSearchParams(
    Object.entries(event.multiValueQueryStringParameters ?? {}).flatMap(([k, values]) =>
      (values ?? []).map((v): [string, string] => [k, v]),
    ),
  ).toString();
  const headers: Record<string, string> = { accept: FHIR_JSON, [ACTING_HOSPITAL_HEADER]: hospital.hospitalId };
  for (const [k, v] of Object.entries(event.headers ?? {}))
    if (v && FORWARDED_HEADERS.includes(k.toLowerCase())) headers[k.toLowerCase()] = v;
  const body = event.body && event.isBase64Encoded ? Buffer.from(event.body, "base64").toString("utf8") : (event.body ?? undefined);
  const answer = await hub.forward(event.httpMethod, `${event.path}${query ? `?${query}` : ""}`, headers, body);
  let json: unknown;
  try {
    json = answer.body ? JSON.parse(answer.body) : undefined;
  } catch {
    throw new UpstreamError(`The hub answered ${answer.status} without JSON; retry shortly`);
  }
  return { statusCode: answer.status, ...(json === undefined ? {} : { body: json }) };
});
