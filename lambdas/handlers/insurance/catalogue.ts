/**
 * The insurance platform's consumer of the hub's DrugCatalogueVersions queue: keeps each catalogue
 * version in its own copy, which adjudication reads (docs/drugs-devices.md#claims-and-the-catalogue).
 */
import { catalogueVersionMessageSchema } from "#schemas/drugs.ts";
import { sqsHandler } from "#shared/sqs.ts";
import { keepCatalogueVersion } from "#use-cases/settlement/catalogue-copy.ts";
import { insuranceCatalogue } from "#wiring/settlement.ts";

const copy = insuranceCatalogue();

// the queue admits the hub's DrugCatalogue function alone as sender (its policy); the hub has no
// Ed25519 key of its own to sign with (docs/node-identity.md)
export const handler = sqsHandler(catalogueVersionMessageSchema, async (message) => {
  await keepCatalogueVersion(copy, message);
});
