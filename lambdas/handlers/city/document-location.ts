/**
 * Internal (IAM, between city nodes): GET /internal/fhir/Binary/{id} → where this city keeps a
 * document's bytes, as a short-lived presigned GET URL (DESIGN.md decision 3). The asking city checks
 * the practitioner and audits the retrieval; this city only answers.
 */
import { documentIndex } from "#adapters/document-index.ts";
import { NotFoundError } from "#domain/errors.ts";
import { bucketName, tableName } from "#shared/env.ts";
import { httpHandler } from "#shared/http.ts";
import { binaryLocation } from "#use-cases/documents/records.ts";

const index = documentIndex(tableName("DocumentIndex"), bucketName("Documents"));

export const handler = httpHandler(async (event) => {
  const id = event.pathParameters!.id!;
  const location = await binaryLocation(index, id);
  if (!location) throw new NotFoundError(`Binary/${id} is not a document of this city`);
  return { statusCode: 200, body: location, headers: { "content-type": "application/json" } };
});
