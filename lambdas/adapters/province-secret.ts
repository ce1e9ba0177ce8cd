/**
 * The province secret the health cards derive from (docs/health-card.md): the Secrets Manager secret
 * `<prefix>/health-card` (`hhc/health-card`), whose string's UTF-8 bytes are the HMAC-SM3 key. Read once
 * per function instance (a cold start); a failed read is tried again at the next call. The function
 * only reads it: the hub's stack creates it in AWS, the local province at its start.
 */
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { ProvinceSecret } from "#ports/health-card.ts";
import { healthCardSecretName } from "#shared/discovery-names.ts";

/** At least this many characters (the stack generates 64; the local province 64 hex digits of 32 random bytes) */
const MIN_LENGTH = 32;

export function provinceSecret(ssmPrefix: string): ProvinceSecret {
  let held: Promise<Uint8Array> | undefined;
  const read = async (): Promise<Uint8Array> => {
    const out = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: healthCardSecretName(ssmPrefix) }));
    const value = out.SecretString ?? "";
    if (value.length < MIN_LENGTH) throw new Error(`the health card secret holds ${value.length} characters, fewer than ${MIN_LENGTH}`);
    return Buffer.from(value, "utf8");
  };
  return () => {
    if (!held) {
      held = read();
      held.catch(() => {
        held = undefined;
      });
    }
    return held;
  };
}
