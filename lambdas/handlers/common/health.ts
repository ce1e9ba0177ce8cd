/** GET /health: answers once the node's function can run; the local gateway holds 503 until seeded. */
import { nodeEnv } from "#shared/env.ts";
import { httpHandler } from "#shared/http.ts";

const node = nodeEnv();

export const handler = httpHandler(async () => ({
  statusCode: 200,
  body: { status: "pass", node: node.nodeId, kind: node.kind },
  headers: { "content-type": "application/json" },
}));
