/**
 * The evidence key (docs/departments.md#evidence-log). In AWS a KMS asymmetric signing key (ECC_NIST_P256
 * with ECDSA_SHA_256; SM2 with SM2DSA in the China regions): the sealer may Sign, the evidence reader
 * GetPublicKey. Locally an ECDSA P-256 key the local province generated once in its data folder (a PEM
 * file the functions are told of; there is no KMS emulator).
 */
import { createPrivateKey, createPublicKey, sign } from "node:crypto";
import { readFileSync } from "node:fs";
import { GetPublicKeyCommand, KMSClient, SignCommand } from "@aws-sdk/client-kms";
import { ECDSA_P256 } from "#domain/evidence/signature.ts";
import type { EvidenceKey } from "#ports/evidence.ts";

export function kmsEvidenceKey(keyId: string, algorithm: string): EvidenceKey {
  const kms = new KMSClient({});
  let publicKey: Promise<string> | undefined;
  return {
    keyId,
    algorithm,
    async sign(bytes) {
      const out = await kms.send(
        new SignCommand({ KeyId: keyId, Message: bytes, MessageType: "RAW", SigningAlgorithm: algorithm as "ECDSA_SHA_256" }),
      );
      return Buffer.from(out.Signature!).toString("base64");
    },
    publicKey: () => {
      publicKey ??= kms.send(new GetPublicKeyCommand({ KeyId: keyId })).then((out) => Buffer.from(out.PublicKey!).toString("base64"));
      return publicKey;
    },
  };
}

/** The local province's key: `file` holds its PKCS#8 PEM; its id is `local:<file name>` */
export function localEvidenceKey(file: string): EvidenceKey {
  const privateKey = createPrivateKey(readFileSync(file, "utf8"));
  const spki = createPublicKey(privateKey).export({ format: "der", type: "spki" }).toString("base64");
  return {
    keyId: `local:${file.split(/[\\/]/).at(-1)}`,
    algorithm: ECDSA_P256,
    sign: async (bytes) => sign("sha256", bytes, privateKey).toString("base64"),
    publicKey: async () => spki,
  };
}
