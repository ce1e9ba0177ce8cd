/**
 * Internal (IAM, between city nodes), DESIGN.md decision 3:
 *   GET /internal/fhir/Binary/{id}      where this city keeps a document's bytes, as a short-lived presigned GET URL
 *   GET /internal/fhir/Encounter/{id}   the resident of an encounter this city stores (another city reads it by id)
 * The asking city checks the practitioner and audits the read; this city only answers.
 */
import { httpRouter } from "#shared/http.ts";
import { storedBinaryLocation, storedEncounterSubject } from "#use-cases/documents/records.ts";
import { documentLocationWiring } from "#wiring/documents.ts";

const { index } = documentLocationWiring();

export const handler = httpRouter({
  "GET /internal/fhir/Binary/{id}": async (request) => ({
    statusCode: 200,
    body: await storedBinaryLocation(index, request.pathParameters.id!),
    headers: { "content-type": "application/json" },
  }),
  "GET /internal/fhir/Encounter/{id}": async (request) => ({
    statusCode: 200,
    body: await storedEncounterSubject(index, request.pathParameters.id!),
    headers: { "content-type": "application/json" },
  }),
});
