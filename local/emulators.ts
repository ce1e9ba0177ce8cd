/**
 * The AWS emulators of the local province, each speaking the AWS wire protocol: dynalite
 * (DynamoDB, on LevelDB in the data folder), fauxqs (SQS, in memory), s3rver (S3, objects in
 * the data folder) and the SSM emulator. All on 127.0.0.1, on free ports.
 */
import { mkdirSync } from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import dynalite from "dynalite";
import { interceptLocalhostDns, startFauxqs } from "fauxqs";
import S3rver from "s3rver";
import { startSsmEmulator } from "./ssm-emulator.ts";

export interface Emulators {
  endpoints: { dynamodb: string; sqs: string; s3: string; ssm: string };
  putParameter(name: string, value: string): void;
  stop(): Promise<void>;
}

/** s3rver admits only its own key pair; dynalite, fauxqs and the SSM emulator take any. */
/** The local province signs every request for this region (queue URLs carry it). */
export const LOCAL_REGION = "cn-north-1";

export const LOCAL_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

export async function startEmulators(dataDir: string): Promise<Emulators> {
  mkdirSync(path.join(dataDir, "s3"), { recursive: true });
  const ddb = dynalite({ path: path.join(dataDir, "dynamodb"), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => ddb.listen(0, "127.0.0.1", () => resolve()));
  // fauxqs names queues http://sqs.<region>.localhost:<port>/…; resolving *.localhost to the
  // loopback lets the SQS endpoint be that same origin, as the SDK expects of a queue URL
  const restoreDns = interceptLocalhostDns();
  const sqs = await startFauxqs({ port: 0, logger: false, defaultRegion: LOCAL_REGION });
  const s3 = new S3rver({ port: 0, address: "127.0.0.1", directory: path.join(dataDir, "s3"), silent: true });
  const { port: s3Port } = await s3.run();
  const ssm = await startSsmEmulator(path.join(dataDir, "ssm.json"));
  return {
    endpoints: {
      dynamodb: `http://127.0.0.1:${(ddb.address() as AddressInfo).port}`,
      sqs: `http://sqs.${LOCAL_REGION}.localhost:${sqs.port}`,
      s3: `http://127.0.0.1:${s3Port}`,
      ssm: ssm.url,
    },
    putParameter: ssm.put,
    async stop() {
      await Promise.allSettled([sqs.stop(), s3.close(), ssm.stop(), new Promise<void>((resolve) => ddb.close(() => resolve()))]);
      restoreDns();
    },
  };
}
