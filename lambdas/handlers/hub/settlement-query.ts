/**
 * Settlement reads at the hub:
 *   GET /internal/fhir/ClaimResponse?request.identifier=<system>|<value>   (a city, for its hospital) searchset Bundle
 *   GET /internal/fhir/ClaimResponse/{id}                                   (a city, for its hospital) one of its ClaimResponses
 *   GET /settlement/reconciliation?date=YYYY-MM-DD[&hospital=<id>]        (operator) the day's net figures
 */
import { actingHospital } from "#domain/acting-hospital.ts";
import { httpRouter } from "#shared/http.ts";
import { actingFor } from "#use-cases/node-identity.ts";
import { claimResponseRead, claimResponseSearch, reconciliation } from "#use-cases/settlement/settlement-results.ts";
import { nodeIdentityDeps } from "#wiring/node-identity.ts";
import { hubSettlement } from "#wiring/settlement.ts";

const { store } = hubSettlement();
const identity = nodeIdentityDeps();

export const handler = httpRouter({
  "GET /settlement/reconciliation": async (request) => ({
    statusCode: 200,
    body: await reconciliation(store, request.query.date?.[0], request.query.hospital?.[0]),
    headers: { "content-type": "application/json" },
  }),
  "GET /internal/fhir/ClaimResponse": async (request) => ({
    statusCode: 200,
    body: await claimResponseSearch(
      store,
      (await actingFor(identity, request, actingHospital(request.headers))).hospitalId,
      request.query["request.identifier"]?.[0],
    ),
  }),
  "GET /internal/fhir/ClaimResponse/{id}": async (request) => ({
    statusCode: 200,
    body: await claimResponseRead(
      store,
      (await actingFor(identity, request, actingHospital(request.headers))).hospitalId,
      request.pathParameters.id!,
    ),
  }),
});
