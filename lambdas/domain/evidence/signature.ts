/**
 * Checking an evidence batch head's signature with the evidence key's public key (SPKI DER, base64, as
 * KMS GetPublicKey gives it and as the local province derives it from its key): ECDSA over SHA-256 on
 * P-256, the DER signature KMS and node:crypto both produce. SM2 heads (the China regions) are checked
 * with KMS Verify instead (lib/ops/kms-verify.ts: node:crypto treats an SM2-curve key as ECDSA).
 */
import { createPublicKey, verify } from "node:crypto";
import { type BatchHead, headBytes } from "./chain.ts";

export const ECDSA_P256 = "ECDSA_SHA_256";
export const SM2 = "SM2DSA";

/** A verifier of heads signed by the key whose public half is `publicKey` (base64 SPKI DER) */
export function headVerifier(publicKey: string): (head: BatchHead, signature: string) => boolean {
  const key = createPublicKey({ key: Buffer.from(publicKey, "base64"), format: "der", type: "spki" });
  return (head, signature) => {
    if (head.algorithm !== ECDSA_P256) return false;
    try {
      return verify("sha256", headBytes(head), key, Buffer.from(signature, "base64"));
    } catch {
      return false;
    }
  };
}
