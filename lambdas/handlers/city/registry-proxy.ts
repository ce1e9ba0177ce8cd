/**
 * A city's registry routes: a hospital's searches and reads of the registry, and its own staff
 * (Practitioner, PractitionerRole), forwarded to the hub's internal API on behalf of the hospital
 * the authorizer admitted. Answers pass through unchanged (their links are relative to the FHIR base).
 * A present X-Practitioner-Id must name an active practitioner of that hospital (403 otherwise).
 */
import { httpHandler } from "#shared/http.ts";
import { actingPractitioner } from "#shared/practitioner-guard.ts";
import { forwardRegistryRequest } from "#use-cases/registry/forward.ts";
import { cityNode } from "#wiring/city.ts";

const { hub } = cityNode();

export const handler = httpHandler(async (_event, request) => {
  const hospital = request.caller;
  if (!hospital) throw new Error("the authorizer admitted no hospital"); // unreachable behind the authorizer
  await actingPractitioner(hub, request.headers, hospital.hospitalId, false);
  return forwardRegistryRequest(hub, hospital.hospitalId, request);
});
