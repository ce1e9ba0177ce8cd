/**
 * The AWS emulators of the local province, each speaking the AWS wire protocol: dynalite
 * (DynamoDB, on LevelDB in the data folder), fauxqs (SQS, in memory), s3rver (S3, objects in
 * the data folder), the SSM emulator and the Secrets Manager emulator. All on 127.0.0.1, on free ports.
 * DynamoDB, SQS and S3 calls pass an IAM check first (local/iam.ts; SQS's and S3's hooks: emulator-guards.ts).
 */
import { EventEmitter } from "node:events";
import { mkdirSync } from "node:fs";
import type { IncomingMessage, RequestListener, Server, ServerResponse } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import dynalite from "dynalite";
import { interceptLocalhostDns } from "fauxqs";
import S3rver from "s3rver";
import { guardS3, type S3Authorizer, type SqsAuthorizer, type SqsCall, signedBy, startSqs } from "./emulator-guards.ts";
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

/** A request whose body was read, handed on to dynalite as if unread (it listens for data and end, reads headers, method and url) */
function replayed(req: IncomingMessage, body: Buffer): IncomingMessage {
  const again = Object.assign(new EventEmitter(), { headers: req.headers, method: req.method, url: req.url });
  process.nextTick(() => {
    if (body.length > 0) again.emit("data", body);
    again.emit("end");
  });
  return again as unknown as IncomingMessage;
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
  const sqs = await startSqs(LOCAL_REGION, (call) => {
    for (const listener of sqsListeners) listener(call);
    return sqsAuthorizer?.(call);
  });
  const s3 = new S3rver({ port: 0, address: "127.0.0.1", directory: path.join(dataDir, "s3"), silent: true });
  const { port: s3Port } = await s3.run();
  let s3Authorizer: S3Authorizer | undefined;
  guardS3((s3 as unknown as { httpServer: Server }).httpServer, LOCAL_CREDENTIALS.accessKeyId, (call) => s3Authorizer?.(call));
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
