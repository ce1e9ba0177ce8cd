/**
 * IAM in front of the local SQS and S3 emulators (local/iam.ts decides): which key signed a call,
 * what it asks, and the answer AWS gives a refusal. fauxqs built as startFauxqs builds it, with one
 * hook more; s3rver's request listener wrapped, as dynalite's is in emulators.ts.
 */
import type { IncomingMessage, RequestListener, Server, ServerResponse } from "node:http";
import { buildApp } from "fauxqs";

/** The access key a SigV4 Authorization header names (`Credential=<key>/<date>/…`) */
export const signedBy = (req: IncomingMessage): string | undefined =>
  /Credential=([^/,\s]+)\//.exec(String(req.headers.authorization ?? ""))?.[1];

/** An SQS call as its signature and body name it: the queue by its name (the last part of its URL) */
export interface SqsCall {
  accessKeyId?: string;
  operation: string;
  queue?: string;
}

/** Why the call is refused (answered as SQS's AccessDenied), or undefined to let it through */
export type SqsAuthorizer = (call: SqsCall) => string | undefined;

/** An S3 call as its signature and URL name it: each action it needs, on which bucket (a copy reads its source as well) */
export interface S3Call {
  accessKeyId?: string;
  needs: { action: string; bucket: string }[];
}

/**
 * A function's key admitted (true: the call goes on to s3rver under the province's key, the only one
 * s3rver knows), or why it is refused (S3's 403 AccessDenied), or undefined for a key no function
 * holds (s3rver's own check applies: its own key pair, or anonymous)
 */
export type S3Authorizer = (call: S3Call) => true | string | undefined;

/**
 * fauxqs's SQS (its JSON protocol; its S3 and SNS are unused), as startFauxqs builds it without
 * message spies, with one hook more: each SQS call goes to `authorize` first, by the key that signed
 * it, its action and the queue its URL (or GetQueueUrl's name) names, and a refusal is answered as
 * SQS answers one (403 AccessDenied) before fauxqs sees it.
 */
export async function startSqs(region: string, authorize: SqsAuthorizer): Promise<{ port: number; stop(): Promise<void> }> {
  const app = buildApp({ logger: false, defaultRegion: region });
  app.addHook("preHandler", async (request, reply) => {
    const target = request.headers["x-amz-target"];
    if (typeof target !== "string" || !target.startsWith("AmazonSQS.")) return;
    const body = (request.body ?? {}) as { QueueUrl?: unknown; QueueName?: unknown };
    const queue =
      typeof body.QueueUrl === "string" ? body.QueueUrl.split("/").pop() : typeof body.QueueName === "string" ? body.QueueName : undefined;
    const accessKeyId = signedBy(request.raw);
    const refused = authorize({
      ...(accessKeyId ? { accessKeyId } : {}),
      operation: target.slice("AmazonSQS.".length),
      ...(queue ? { queue } : {}),
    });
    if (!refused) return;
    await reply
      .code(403)
      .header("content-type", "application/x-amz-json-1.0")
      .header("x-amzn-query-error", "AccessDenied;Sender")
      .send(JSON.stringify({ __type: "com.amazon.coral.service#AccessDeniedException", message: refused }));
  });
  const address = await app.listen({ port: 0, host: "127.0.0.1" });
  return { port: Number(new URL(address).port), stop: () => app.close() };
}

/**
 * S3's sub-resources that make a call another action than the plain one (an object's ACL, a bucket's
 * policy…); other query parameters (x-id, list and response parameters, a presigned URL's) do not
 */
const SUBRESOURCES = new Set([
  "acl",
  "tagging",
  "versions",
  "versioning",
  "location",
  "policy",
  "cors",
  "lifecycle",
  "website",
  "logging",
  "notification",
  "replication",
  "encryption",
  "restore",
  "select",
  "retention",
  "legal-hold",
  "object-lock",
  "accelerate",
  "analytics",
  "inventory",
  "metrics",
  "requestPayment",
  "ownershipControls",
  "publicAccessBlock",
  "intelligent-tiering",
  "torrent",
  "attributes",
]);
const capitalized = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/**
 * The IAM actions an S3 REST call (path-style, as the local province's clients send them) needs, on
 * which bucket: GetObject, PutObject (a copy GetObject on its source too), ListBucket… An action no
 * grant gives (a delete, a bucket's configuration) is named all the same, to be refused.
 */
export function s3Needs(method: string, url: URL, copySource: string | undefined): S3Call["needs"] {
  const [first = "", ...rest] = url.pathname.slice(1).split("/");
  const bucket = decodeURIComponent(first);
  const q = url.searchParams;
  // legal-hold → LegalHold (s3:PutObjectLegalHold)
  const subresource = [...q.keys()].find((k) => SUBRESOURCES.has(k))?.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
  const on = (action: string, b = bucket) => ({ action: `s3:${action}`, bucket: b });
  if (!bucket) return [on("ListAllMyBuckets", "*")];
  if (rest.join("/") !== "") {
    switch (method) {
      case "GET":
      case "HEAD":
        return [on(q.has("versionId") ? "GetObjectVersion" : subresource ? `GetObject${capitalized(subresource)}` : "GetObject")];
      case "PUT": {
        if (q.has("uploadId")) return [on("PutObject")];
        if (subresource) return [on(`PutObject${capitalized(subresource)}`)];
        const source = copySource && decodeURIComponent(copySource.replace(/^\//, "").split("/")[0] ?? "");
        return source ? [on("PutObject"), on("GetObject", source)] : [on("PutObject")];
      }
      case "POST":
        return [on(q.has("uploads") || q.has("uploadId") ? "PutObject" : "RestoreObject")];
      default:
        return [on(q.has("uploadId") ? "AbortMultipartUpload" : "DeleteObject")];
    }
  }
  switch (method) {
    case "GET":
    case "HEAD":
      return [on(!subresource ? "ListBucket" : subresource === "versions" ? "ListBucketVersions" : `GetBucket${capitalized(subresource)}`)];
    case "PUT":
      return [on(subresource ? `PutBucket${capitalized(subresource)}` : "CreateBucket")];
    case "POST":
      // a multi-object delete, or a browser's POST-policy upload (anonymous: the policy is in the form)
      return [on(q.has("delete") ? "DeleteObject" : "PutObject")];
    default:
      return [on(subresource ? `DeleteBucket${capitalized(subresource)}` : "DeleteBucket")];
  }
}

const xmlText = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * Puts every S3 call to `authorize` before s3rver sees it: a function's key, admitted, goes on under
 * the province's key (in the Authorization header or a presigned URL's X-Amz-Credential), since s3rver
 * knows only that one and checks no V4 signature; refused, it is S3's 403 AccessDenied.
 */
export function guardS3(server: Server, provinceKeyId: string, authorize: (call: S3Call) => true | string | undefined): void {
  const s3rverHandler = server.listeners("request")[0] as RequestListener;
  server.removeAllListeners("request");
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://s3.local");
    const accessKeyId = signedBy(req) ?? url.searchParams.get("X-Amz-Credential")?.split("/")[0];
    const copySource = req.headers["x-amz-copy-source"];
    const verdict = accessKeyId
      ? authorize({ accessKeyId, needs: s3Needs(req.method ?? "GET", url, typeof copySource === "string" ? copySource : undefined) })
      : undefined;
    if (typeof verdict === "string") {
      res.writeHead(403, { "content-type": "application/xml" });
      res.end(
        req.method === "HEAD"
          ? undefined
          : `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>${xmlText(verdict)}</Message></Error>`,
      );
      return;
    }
    if (verdict === true && accessKeyId) {
      if (req.headers.authorization)
        req.headers.authorization = req.headers.authorization.replace(`Credential=${accessKeyId}/`, `Credential=${provinceKeyId}/`);
      req.url = req.url?.replace(`X-Amz-Credential=${accessKeyId}`, `X-Amz-Credential=${provinceKeyId}`);
    }
    s3rverHandler.call(server, req, res);
  });
}
