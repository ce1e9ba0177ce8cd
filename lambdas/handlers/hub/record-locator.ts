/**
 * Internal (IAM, for the city nodes): GET /internal/record-locator/{empi} → every document and
 * encounter of a resident the hub has indexed (record locator + EHR timeline), highest revisions.
 * The cities check the practitioner, filter, render and audit; the hub only answers.
 */
import { recordLocator } from "#adapters/record-locator.ts";
import { tableName } from "#shared/env.ts";
import { httpHandler } from "#shared/http.ts";

const locator = recordLocator(tableName("RecordLocator"));

export const handler = httpHandler(async (event) => ({
  statusCode: 200,
  body: { entries: await locator.list(event.pathParameters!.empi!) },
  headers: { "content-type": "application/json" },
}));
