/**
 * KMS Verify of an evidence batch head (the SM2 heads of the China regions; lib/ops/evidence-verify.ts):
 * the head's canonical bytes, RAW, with the head's signing algorithm. An invalid signature is KMS's
 * KMSInvalidSignatureException, answered here as false; anything else (no credentials, no such key,
 * access denied) is thrown, so the operator sees why nothing was checked.
 */
import { KMSClient, KMSInvalidSignatureException, VerifyCommand } from "@aws-sdk/client-kms";
import { headBytes } from "#domain/evidence/chain.ts";
import type { HeadCheck } from "./evidence-verify.ts";

export function kmsHeadCheck(kms: Pick<KMSClient, "send"> = new KMSClient({})): HeadCheck {
  return async (keyId, head, signature) => {
    try {
      const out = await kms.send(
        new VerifyCommand({
          KeyId: keyId,
          Message: headBytes(head),
          MessageType: "RAW",
          Signature: Buffer.from(signature, "base64"),
          SigningAlgorithm: head.algorithm as "SM2DSA",
        }),
      );
      return out.SignatureValid === true;
    } catch (err) {
      if (err instanceof KMSInvalidSignatureException) return false;
      throw err;
    }
  };
}
