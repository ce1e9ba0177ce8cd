/** GET /fhir/metadata: the node's CapabilityStatement, derived from its declared routes. */
import { httpHandler } from "#shared/http.ts";
import { nodeCapabilityStatement } from "#wiring/metadata.ts";

const statement = nodeCapabilityStatement();

export const handler = httpHandler(async () => ({ statusCode: 200, body: statement }));
