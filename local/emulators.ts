/**
 * The AWS emulators of the local province, each speaking the AWS wire protocol: dynalite
 * (DynamoDB, on LevelDB in the data folder), fauxqs (SQS, in memory), s3rver (S3, objects in
 * the data folder), the SSM emulator and the Secrets Manager emulator. All on 127.0.0.1, on free ports.
 */
import { EventEmitter } from "node:events";
import { mkdirSync } from "node:fs";
import type { IncomingMessage, RequestListener, Server, ServerResponse } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import dynalite from "dynalite";
import { buildApp, interceptLocalhostDns } from "fauxqs";
import S3rver from "s3rver";
import { LOCAL_ACCOUNT } from "./identities.ts";
import { startSecretsManagerEmulator } from "./secrets-manager-emulator.ts";
import { startSsmEmulator } from "./ssm-emulator.ts";

/** A DynamoDB write dynalite applied (answered 200): its operation, the tables it wrote, and whose key signed it */
export interface DynamoWrite {
  operation: string;
  tables: string[];
  request: string;
  accessKeyId?: string;
}

/** A DynamoDB call as its signature and body name it */
export interface DynamoCall {
  accessKeyId?: string;
  operation: string;
  tables: string[];
}

/** Why the call is refused (answered as DynamoDB's AccessDeniedException), or undefined to let it through */
export type DynamoAuthorizer = (call: DynamoCall) => string | undefined;

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

export interface Emulators {
  endpoints: { dynamodb: string; sqs: string; s3: string; ssm: string; secretsManager: string };
  putParameter(name: string, value: string): void;
  /** Calls `listener` with every write DynamoDB applies until the returned function is called (the fuzzing's "no partial write") */
  watchDynamoWrites(listener: (write: DynamoWrite) => void): () => void;
  /** From now on, every DynamoDB call is first put to `authorizer` (IAM, locally: local/iam.ts) */
  authorizeDynamo(authorizer: DynamoAuthorizer): void;
  /** From now on, every SQS call is first put to `authorizer` (IAM, locally: local/iam.ts) */
  authorizeSqs(authorizer: SqsAuthorizer): void;
  /** Calls `listener` with every SQS call (who signed it, its action, its queue), admitted or not, until the returned function is called */
  watchSqsCalls(listener: (call: SqsCall) => void): () => void;
  /** From now on, every S3 call is first put to `authorizer` (IAM, locally: local/iam.ts) */
  authorizeS3(authorizer: S3Authorizer): void;
  /**
   * Puts items straight into the DynamoDB emulator's store (LevelDB batches, each item's key checked
   * as a PutItem checks it), without a request or a read per item: the first start's seed, 70,000
   * items that take most of a minute through BatchWriteItem. Items stored as the PutItem of the same
   * marshalled item stores them; the table must have no secondary index (none is kept up to date).
   */
  loadItems(table: string, items: Record<string, AttributeValue>[]): Promise<void>;
  stop(): Promise<void>;
}

/** The parts of dynalite's store (dynalite/db) that loadItems uses */
interface DynaliteTable {
  KeySchema: unknown[];
  GlobalSecondaryIndexes?: unknown[];
  LocalSecondaryIndexes?: unknown[];
}
interface DynaliteStore {
  getTable(name: string, cb: (err: Error | null, table: DynaliteTable) => void): void;
  getItemDb(name: string): { batch(ops: { type: "put"; key: string; value: unknown }[], cb: (err?: Error | null) => void): void };
}
interface DynaliteDb {
  create(options: unknown): DynaliteStore;
  createKey(item: Record<string, AttributeValue>, table: DynaliteTable): string;
  validateItem(item: Record<string, AttributeValue>, table: DynaliteTable): { message?: string } | null | undefined;
}
const dynaliteDb = createRequire(import.meta.url)("dynalite/db") as DynaliteDb;

/** A dynalite server and its store: dynalite keeps the store to itself, so its creation is watched */
function dynaliteWithStore(options: Record<string, unknown>): { server: ReturnType<typeof dynalite>; store: DynaliteStore } {
  const create = dynaliteDb.create;
  let store: DynaliteStore | undefined;
  dynaliteDb.create = (o) => (store = create(o));
  try {
    const server = dynalite(options);
    if (!store) throw new Error("dynalite did not create its store through dynalite/db");
    return { server, store };
  } finally {
    dynaliteDb.create = create;
  }
}

const LOAD_BATCH = 5000;

async function loadItems(store: DynaliteStore, name: string, items: Record<string, AttributeValue>[]): Promise<void> {
  const table = await new Promise<DynaliteTable>((resolve, reject) => store.getTable(name, (err, t) => (err ? reject(err) : resolve(t))));
  if (table.GlobalSecondaryIndexes?.length || table.LocalSecondaryIndexes?.length)
    throw new Error(`${name} has indexes: load it through PutItem`);
  const db = store.getItemDb(name);
  for (let i = 0; i < items.length; i += LOAD_BATCH) {
    const ops = items.slice(i, i + LOAD_BATCH).map((item) => {
      const invalid = dynaliteDb.validateItem(item, table);
      if (invalid) throw new Error(`${name}: ${invalid.message ?? "an invalid item"}`);
      return { type: "put" as const, key: dynaliteDb.createKey(item, table), value: item };
    });
    await new Promise<void>((resolve, reject) => db.batch(ops, (err) => (err ? reject(err) : resolve())));
  }
}

/** The gateway's loopback route naming the emulators' endpoints (the load test measures their raw ceilings) */
export const EMULATORS_PATH = "/local/emulators";

/** The local province signs every request for this region (queue URLs carry it). */
export const LOCAL_REGION = "cn-north-1";

/**
 * The province's own key, s3rver's only key pair. The SSM emulator takes any key; dynalite, fauxqs
 * and s3rver sit behind authorizers (authorizeDynamo, authorizeSqs, authorizeS3: local/iam.ts) that
 * let this one do anything and a function's own key only what its declaration grants.
 */
export const LOCAL_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

const WRITE_OPERATIONS = new Set(["PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"]);

/**
 * The tables a request names (a batch's, a transaction's items'), whatever it does with them, and
 * those it writes (a transaction's condition checks and reads write nothing); none for a body that is
 * not JSON (dynalite refuses it).
 */
function requestTables(operation: string, request: string): { named: string[]; written: string[] } {
  type Part = { TableName?: unknown } | undefined;
  let body: { TableName?: unknown; RequestItems?: Record<string, unknown>; TransactItems?: Record<string, Part>[] };
  try {
    body = JSON.parse(request) ?? {};
  } catch {
    return { named: [], written: [] };
  }
  if (typeof body !== "object") return { named: [], written: [] };
  const name = (part: Part): string[] => (typeof part?.TableName === "string" ? [part.TableName] : []);
  const transact = Array.isArray(body.TransactItems) ? body.TransactItems : [];
  const named = [
    ...new Set([...name(body), ...Object.keys(body.RequestItems ?? {}), ...transact.flatMap((t) => Object.values(t ?? {}).flatMap(name))]),
  ];
  if (!WRITE_OPERATIONS.has(operation)) return { named, written: [] };
  const written =
    operation === "BatchWriteItem"
      ? Object.keys(body.RequestItems ?? {})
      : operation === "TransactWriteItems"
        ? [...new Set(transact.flatMap((t) => [t?.Put, t?.Update, t?.Delete].flatMap(name)))]
        : name(body);
  return { named, written };
}

/** The access key a SigV4 Authorization header names (`Credential=<key>/<date>/…`) */
const signedBy = (req: IncomingMessage): string | undefined => /Credential=([^/,\s]+)\//.exec(String(req.headers.authorization ?? ""))?.[1];

/** A request whose body was read, handed on to dynalite as if unread (it listens for data and end, reads headers, method and url) */
function replayed(req: IncomingMessage, body: Buffer): IncomingMessage {
  const again = Object.assign(new EventEmitter(), { headers: req.headers, method: req.method, url: req.url });
  process.nextTick(() => {
    if (body.length > 0) again.emit("data", body);
    again.emit("end");
  });
  return again as unknown as IncomingMessage;
}

/**
 * fauxqs's SQS (its JSON protocol; its S3 and SNS are unused), as startFauxqs builds it without
 * message spies, with one hook more: each SQS call goes to `authorize` first, by the key that signed
 * it, its action and the queue its URL (or GetQueueUrl's name) names, and a refusal is answered as
 * SQS answers one (403 AccessDenied) before fauxqs sees it.
 */
async function startSqs(authorize: SqsAuthorizer): Promise<{ port: number; stop(): Promise<void> }> {
  const app = buildApp({ logger: false, defaultRegion: LOCAL_REGION });
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
  if (rest.length > 0 && rest.join("/") !== "") {
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
function guardS3(server: Server, authorize: (call: S3Call) => true | string | undefined): void {
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
      const own = LOCAL_CREDENTIALS.accessKeyId;
      if (req.headers.authorization)
        req.headers.authorization = req.headers.authorization.replace(`Credential=${accessKeyId}/`, `Credential=${own}/`);
      req.url = req.url?.replace(`X-Amz-Credential=${accessKeyId}`, `X-Amz-Credential=${own}`);
    }
    s3rverHandler.call(server, req, res);
  });
}

export async function startEmulators(dataDir: string): Promise<Emulators> {
  mkdirSync(path.join(dataDir, "s3"), { recursive: true });
  const { server: ddb, store } = dynaliteWithStore({
    path: path.join(dataDir, "dynamodb"),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  const writeListeners = new Set<(write: DynamoWrite) => void>();
  let authorizer: DynamoAuthorizer | undefined;
  // dynalite's own listener runs after the call is authorized, on the body read here
  const dynaliteHandler = ddb.listeners("request")[0] as RequestListener;
  ddb.removeAllListeners("request");
  ddb.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const operation = String(req.headers["x-amz-target"] ?? "").split(".")[1] ?? "";
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const request = body.toString("utf8");
      const tables = requestTables(operation, request);
      const accessKeyId = signedBy(req);
      const refused = authorizer?.({ ...(accessKeyId ? { accessKeyId } : {}), operation, tables: tables.named });
      if (refused) {
        res.writeHead(400, { "content-type": "application/x-amz-json-1.0" });
        res.end(JSON.stringify({ __type: "com.amazon.coral.service#AccessDeniedException", message: refused }));
        return;
      }
      if (writeListeners.size > 0 && WRITE_OPERATIONS.has(operation))
        res.on("finish", () => {
          if (res.statusCode !== 200) return;
          const write = { operation, tables: tables.written, request, ...(accessKeyId ? { accessKeyId } : {}) };
          for (const listener of writeListeners) listener(write);
        });
      dynaliteHandler.call(ddb, replayed(req, body), res);
    });
  });
  await new Promise<void>((resolve) => ddb.listen(0, "127.0.0.1", () => resolve()));
  // fauxqs names queues http://sqs.<region>.localhost:<port>/…; resolving *.localhost to the
  // loopback lets the SQS endpoint be that same origin, as the SDK expects of a queue URL
  const restoreDns = interceptLocalhostDns();
  let sqsAuthorizer: SqsAuthorizer | undefined;
  const sqsListeners = new Set<(call: SqsCall) => void>();
  const sqs = await startSqs((call) => {
    for (const listener of sqsListeners) listener(call);
    return sqsAuthorizer?.(call);
  });
  const s3 = new S3rver({ port: 0, address: "127.0.0.1", directory: path.join(dataDir, "s3"), silent: true });
  const { port: s3Port } = await s3.run();
  let s3Authorizer: S3Authorizer | undefined;
  guardS3((s3 as unknown as { httpServer: Server }).httpServer, (call) => s3Authorizer?.(call));
  const ssm = await startSsmEmulator(path.join(dataDir, "ssm.json"));
  const secrets = await startSecretsManagerEmulator(
    path.join(dataDir, "secrets-manager.json"),
    `arn:aws-cn:secretsmanager:${LOCAL_REGION}:${LOCAL_ACCOUNT}:secret:`,
  );
  return {
    endpoints: {
      dynamodb: `http://127.0.0.1:${(ddb.address() as AddressInfo).port}`,
      sqs: `http://sqs.${LOCAL_REGION}.localhost:${sqs.port}`,
      s3: `http://127.0.0.1:${s3Port}`,
      ssm: ssm.url,
      secretsManager: secrets.url,
    },
    putParameter: ssm.put,
    watchDynamoWrites(listener) {
      writeListeners.add(listener);
      return () => writeListeners.delete(listener);
    },
    authorizeDynamo(next) {
      authorizer = next;
    },
    authorizeSqs(next) {
      sqsAuthorizer = next;
    },
    watchSqsCalls(listener) {
      sqsListeners.add(listener);
      return () => sqsListeners.delete(listener);
    },
    authorizeS3(next) {
      s3Authorizer = next;
    },
    loadItems: (table, items) => loadItems(store, table, items),
    async stop() {
      await Promise.allSettled([
        sqs.stop(),
        s3.close(),
        ssm.stop(),
        secrets.stop(),
        new Promise<void>((resolve) => ddb.close(() => resolve())),
      ]);
      restoreDns();
    },
  };
}
