/**
 * A small Secrets Manager emulator speaking the AWS JSON 1.1 protocol (local/json-1-1.ts) for the
 * actions the province uses: CreateSecret, GetSecretValue, PutSecretValue, so the functions' real
 * SDK client (@aws-sdk/client-secrets-manager) runs locally as in AWS. Secrets (their current value
 * only, AWSCURRENT) persist in a JSON file of the data folder.
 */
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { clock } from "#shared/clock.ts";
import { type Json11Action, serveJson11 } from "./json-1-1.ts";

interface Secret {
  ARN: string;
  Name: string;
  Description?: string;
  SecretString: string;
  VersionId: string;
  CreatedDate: number;
}

/** `arnPrefix`: `arn:<partition>:secretsmanager:<region>:<account>:secret:` */
export async function startSecretsManagerEmulator(file: string, arnPrefix: string): Promise<{ url: string; stop(): Promise<void> }> {
  const secrets = new Map<string, Secret>(existsSync(file) ? Object.entries(JSON.parse(readFileSync(file, "utf8"))) : []);
  const save = () => {
    writeFileSync(`${file}.tmp`, JSON.stringify(Object.fromEntries(secrets), null, 1));
    renameSync(`${file}.tmp`, file);
  };
  // a secret is named by its name or its ARN (AWS adds six random characters to the name in the ARN)
  const find = (id: unknown) => secrets.get(String(id)) ?? [...secrets.values()].find((s) => s.ARN === id);
  const notFound = (id: unknown) => ({
    status: 400,
    body: { __type: "ResourceNotFoundException", message: "Secrets Manager can't find the specified secret.", SecretId: id },
  });
  const text = (value: unknown, field: string): string => {
    if (typeof value !== "string" || value.length === 0 || value.length > 65_536)
      throw new Error(`${field}: a string of 1 to 65536 characters`);
    return value;
  };
  const actions: Record<string, Json11Action> = {
    CreateSecret: ({ Name, SecretString, Description }) => {
      const name = text(Name, "Name");
      if (!/^[A-Za-z0-9/_+=.@-]{1,512}$/.test(name)) throw new Error("Name: 1 to 512 of A-Z, a-z, 0-9 and /_+=.@-");
      if (secrets.has(name))
        return {
          status: 400,
          body: { __type: "ResourceExistsException", message: `The operation failed because the secret ${name} already exists.` },
        };
      const suffix = randomUUID().replace(/-/g, "").slice(0, 6);
      const secret: Secret = {
        ARN: `${arnPrefix}${name}-${suffix}`,
        Name: name,
        ...(typeof Description === "string" ? { Description } : {}),
        SecretString: text(SecretString, "SecretString"),
        VersionId: randomUUID(),
        CreatedDate: clock.nowMs() / 1000,
      };
      secrets.set(name, secret);
      save();
      return { status: 200, body: { ARN: secret.ARN, Name: name, VersionId: secret.VersionId } };
    },
    GetSecretValue: ({ SecretId }) => {
      const s = find(SecretId);
      if (!s) return notFound(SecretId);
      const { ARN, Name, SecretString, VersionId, CreatedDate } = s;
      return { status: 200, body: { ARN, Name, SecretString, VersionId, VersionStages: ["AWSCURRENT"], CreatedDate } };
    },
    PutSecretValue: ({ SecretId, SecretString }) => {
      const s = find(SecretId);
      if (!s) return notFound(SecretId);
      const next = { ...s, SecretString: text(SecretString, "SecretString"), VersionId: randomUUID() };
      secrets.set(s.Name, next);
      save();
      return { status: 200, body: { ARN: next.ARN, Name: next.Name, VersionId: next.VersionId, VersionStages: ["AWSCURRENT"] } };
    },
  };
  return serveJson11("secretsmanager", "secretsmanager", actions);
}
