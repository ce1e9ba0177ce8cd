/**
 * The hub's secrets and keys that its stacks create in AWS, in the local province: the health cards'
 * province secret (Secrets Manager emulator), and the evidence log's key and bucket.
 *
 * The evidence log in the local province (docs/departments.md#evidence-log): the evidence key, an ECDSA
 * P-256 key generated once into the data folder (`evidence-signing-key.pem`; in AWS a KMS key, and there
 * is no KMS emulator), the archive bucket on the S3 emulator (which has no Object Lock: the batches are
 * written there without retention), what the sealer and the reader are told of them, and the sealer's
 * switch for tests, loopback only:
 *   POST /local/evidence-sealer {"enabled": false|true}   stops or restarts the sealer's schedule (GET: its state)
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, writeFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { CreateBucketCommand, HeadBucketCommand, type S3Client } from "@aws-sdk/client-s3";
import { CreateSecretCommand, ResourceExistsException, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { PROVINCE } from "#lib/config/province.ts";
import { EVIDENCE_READER, EVIDENCE_SEALER } from "#lib/declaration/departments.ts";
import { healthCardSecretName } from "#shared/discovery-names.ts";
import { ENV } from "#shared/env-names.ts";
import { isLoopback } from "./clock.ts";
import type { LocalSchedules } from "./schedules.ts";

/**
 * The health cards' province secret, as the hub's stack creates it in AWS (lib/constructs/health-card-secret.ts):
 * 64 hex digits of 32 random bytes, in the Secrets Manager emulator's file of the data folder; kept across restarts.
 */
export async function createHealthCardSecret(): Promise<void> {
  const client = new SecretsManagerClient({});
  try {
    await client.send(
      new CreateSecretCommand({
        Name: healthCardSecretName(PROVINCE.ssmPrefix),
        SecretString: randomBytes(32).toString("hex"),
        Description: "The province secret health card ids and keys derive from (docs/health-card.md)",
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceExistsException)) throw error;
  } finally {
    client.destroy();
  }
}

export const EVIDENCE_KEY_FILE = "evidence-signing-key.pem";
export const EVIDENCE_BUCKET = "hhc-hub-evidence";
export const EVIDENCE_SEALER_PATH = "/local/evidence-sealer";

/** Creates the key (once) and the bucket; returns the extra environment of a hub function (the sealer's and the reader's) */
export async function localEvidence(dataDir: string, s3: S3Client): Promise<(functionId: string) => Record<string, string>> {
  const file = path.join(dataDir, EVIDENCE_KEY_FILE);
  if (!existsSync(file)) {
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    writeFileSync(file, privateKey.export({ format: "pem", type: "pkcs8" }), { mode: 0o600 });
  }
  const exists = await s3.send(new HeadBucketCommand({ Bucket: EVIDENCE_BUCKET })).then(
    () => true,
    () => false,
  );
  if (!exists) await s3.send(new CreateBucketCommand({ Bucket: EVIDENCE_BUCKET }));
  const env: Record<string, string> = { [ENV.evidenceLocalKeyFile]: file, [ENV.evidenceBucket]: EVIDENCE_BUCKET };
  return (functionId) => (functionId === EVIDENCE_SEALER || functionId === EVIDENCE_READER ? env : {});
}

/** The sealer's switch (its schedule is `hub-EvidenceSealer`) */
export const evidenceSealerRoute = (schedules: LocalSchedules) => (req: IncomingMessage, res: ServerResponse) => {
  const answer = (status: number, body: unknown) =>
    res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" }).end(JSON.stringify(body));
  if (!isLoopback(req.socket.remoteAddress))
    return answer(403, { message: "The evidence sealer's switch answers only on the loopback address" });
  const name = `hub-${EVIDENCE_SEALER}`;
  if (req.method === "GET") return answer(200, { enabled: schedules.enabled(name) });
  if (req.method !== "POST") return answer(405, { message: "GET or POST" });
  let text = "";
  req.on("data", (chunk: Buffer) => {
    text += chunk.toString("utf8");
  });
  req.on("end", () => {
    let enabled: unknown;
    try {
      enabled = (JSON.parse(text) as { enabled?: unknown }).enabled;
    } catch {}
    if (typeof enabled !== "boolean") return answer(400, { message: 'send {"enabled": true|false}' });
    schedules.setEnabled(name, enabled);
    answer(200, { enabled });
  });
};
