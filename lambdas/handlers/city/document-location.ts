/**
 * Internal (IAM, between city nodes): GET /internal/fhir/Binary/{id} → where this city keeps a
 * document's bytes, as a short-lived presigned GET URL (DESIGN.md decision 3). The asking city checks
 * the practitioner and audits the retrieval; this city only answers.
 */
import { httpHandler } from "#shared/http.ts";
import { storedBinaryLocation } from "#use-cases/documents/records.ts";
import { documentLocationWiring } from "#wiring/documents.ts";

const { index } = documentLocationWiring();

export const handler = httpHandler(async (_event, request) => ({
  statusCode: 200,
  body: await storedBinaryLocation(index, request.pathParameters.id!),
  headers: { "content-type": "application/json" },
}));
