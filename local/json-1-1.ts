/**
 * An AWS JSON 1.1 service on 127.0.0.1, as the local province's small emulators speak it (SSM,
 * Secrets Manager): the action from `X-Amz-Target` (`<targetPrefix>.<Action>`), a JSON body, and only
 * requests that are, like the SDK's, SigV4-signed for the service and sent as JSON 1.1, so a drift of
 * the callers' path fails locally too. An action answers a status and a JSON body (an error's `__type`).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export const JSON_1_1 = "application/x-amz-json-1.1";

export type Json11Action = (input: Record<string, unknown>) => { status: number; body: unknown };

export async function serveJson11(
  service: string,
  targetPrefix: string,
  actions: Record<string, Json11Action>,
): Promise<{ url: string; stop(): Promise<void> }> {
  const signed = new RegExp(
    `^AWS4-HMAC-SHA256 Credential=[^/]+/\\d{8}/[a-z0-9-]+/${service}/aws4_request, SignedHeaders=[^,]+, Signature=[0-9a-f]{64}$`,
  );
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const action = String(req.headers["x-amz-target"] ?? "").replace(new RegExp(`^${targetPrefix}\\.`), "");
      const run = actions[action];
      let answer: { status: number; body: unknown };
      try {
        answer = !signed.test(String(req.headers.authorization ?? ""))
          ? { status: 403, body: { __type: "InvalidSignatureException", message: `not SigV4-signed for ${service}` } }
          : req.headers["content-type"] !== JSON_1_1
            ? { status: 400, body: { __type: "SerializationException", message: `content-type must be ${JSON_1_1}` } }
            : run
              ? run(JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}"))
              : { status: 400, body: { __type: "InvalidAction", message: `${action} is not supported by the local ${service} emulator` } };
      } catch (error) {
        answer = { status: 400, body: { __type: "ValidationException", message: (error as Error).message } };
      }
      res.writeHead(answer.status, { "content-type": JSON_1_1 }).end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}
