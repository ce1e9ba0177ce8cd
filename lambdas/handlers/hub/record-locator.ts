/**
 * Internal (IAM, for the city nodes): GET /internal/record-locator/{empi} → every document and
 * encounter of a resident the hub has indexed (record locator + EHR timeline), highest revisions.
 * The cities check the practitioner, filter, render and audit; the hub only answers.
 */
import { httpHandler } from "#shared/http.ts";
import { recordLocatorWiring } from "#wiring/documents.ts";

const { locator } = recordLocatorWiring();

export const handler = httpHandler(async (_event, request) => ({
  statusCode: 200,
  body: { entries: await locator.list(request.pathParameters.empi!) },
  headers: { "content-type": "application/json" },
}));
