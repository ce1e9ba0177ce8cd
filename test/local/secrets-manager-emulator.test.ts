/**
 * The local Secrets Manager emulator (local/secrets-manager-emulator.ts) through the real SDK client, as
 * the hub's HealthCard function reads the province secret: create, read, put, persist, refuse.
 */
import path from "node:path";
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { afterEach, describe, expect, it } from "vitest";
import { startSecretsManagerEmulator } from "#local/secrets-manager-emulator.ts";
import { scratchFolders } from "../support/scratch.ts";

const ARN = "arn:aws-cn:secretsmanager:cn-north-1:000000000000:secret:";
const credentials = { accessKeyId: "local", secretAccessKey: "local" };
const tempDir = scratchFolders();
let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});
const start = async (file: string) => {
  const emulator = await startSecretsManagerEmulator(file, ARN);
  stop = emulator.stop;
  return { url: emulator.url, client: new SecretsManagerClient({ endpoint: emulator.url, region: "cn-north-1", credentials }) };
};

describe("the Secrets Manager emulator", () => {
  it("creates, reads by name or ARN, puts a new value, keeps secrets in its file, and refuses what AWS refuses", async () => {
    const file = path.join(tempDir("hhc-sm-"), "secrets-manager.json");
    const { client } = await start(file);
    const created = await client.send(new CreateSecretCommand({ Name: "hhc/health-card", SecretString: "a".repeat(64) }));
    expect(created.ARN).toMatch(new RegExp(`^${ARN}hhc/health-card-[0-9a-f]{6}$`));
    await expect(client.send(new CreateSecretCommand({ Name: "hhc/health-card", SecretString: "b".repeat(64) }))).rejects.toBeInstanceOf(
      ResourceExistsException,
    );
    expect((await client.send(new GetSecretValueCommand({ SecretId: "hhc/health-card" }))).SecretString).toBe("a".repeat(64));
    const put = await client.send(new PutSecretValueCommand({ SecretId: created.ARN, SecretString: "c".repeat(64) }));
    expect(put.VersionId).not.toBe(created.VersionId);
    const read = await client.send(new GetSecretValueCommand({ SecretId: created.ARN }));
    expect([read.SecretString, read.VersionId, read.VersionStages]).toEqual(["c".repeat(64), put.VersionId, ["AWSCURRENT"]]);
    await expect(client.send(new GetSecretValueCommand({ SecretId: "hhc/other" }))).rejects.toBeInstanceOf(ResourceNotFoundException);

    // not signed for secretsmanager: refused
    const unsigned = await fetch((await start(`${file}.2`)).url, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "secretsmanager.GetSecretValue" },
      body: JSON.stringify({ SecretId: "hhc/health-card" }),
    });
    expect(unsigned.status).toBe(403);
    await stop?.();

    // a restart reads the data folder's file
    const again = await start(file);
    expect((await again.client.send(new GetSecretValueCommand({ SecretId: "hhc/health-card" }))).SecretString).toBe("c".repeat(64));
  });
});
