/**
 * `npm run operator -- evidence-verify [--from <date>]` (docs/departments.md#evidence-log): reads the sealed
 * batches and their entries through the hub's operator API (`GET /xchg/evidence`, page by page), recomputes
 * every entry's hash along the chain and checks every batch head's signature with the evidence key's public
 * key (`--public-key <file>` pins one obtained out of band: KMS GetPublicKey, or the local province's key
 * file; otherwise the one the hub gives), and names the first entry or head that does not verify.
 *
 * SM2 heads (the China regions' KMS key, SM2DSA) are checked by KMS Verify on the key the hub names
 * (`--kms-key-id` pins one): node:crypto signs and verifies the SM2 curve only as ECDSA, without SM2's
 * signature scheme (SM3 over the signer's Z value), so it cannot check what KMS signed. The operator runs
 * the command with AWS credentials of the hub's account that may kms:Verify.
 */
import { createPublicKey } from "node:crypto";
import type { BatchHead, SealedEntry } from "#domain/evidence/chain.ts";
import { type VerifyFailure, verifyChain } from "#domain/evidence/chain.ts";
import { headVerifier, SM2 } from "#domain/evidence/signature.ts";

/** Checks one head's signature by the key `keyId` (KMS Verify for SM2 heads) */
export type HeadCheck = (keyId: string, head: BatchHead, signature: string) => Promise<boolean>;

interface Page {
  key: { keyId: string; algorithm: string; publicKey: string };
  batches: { head: BatchHead; signature: string; entries: SealedEntry[] }[];
  next?: string;
}

export interface VerifyReport {
  batches: number;
  entries: number;
  keyId?: string;
  failure?: VerifyFailure;
}

/** The public key as base64 SPKI DER, from a PEM (public or private) or base64 DER text */
export function publicKeyOf(text: string): string {
  const trimmed = text.trim();
  const key = trimmed.startsWith("-----")
    ? createPublicKey(trimmed)
    : createPublicKey({ key: Buffer.from(trimmed, "base64"), format: "der", type: "spki" });
  return key.export({ format: "der", type: "spki" }).toString("base64");
}

export async function verifyEvidence(
  get: (path: string) => Promise<unknown>,
  options: { from?: string; publicKey?: string; kmsKeyId?: string; kmsVerify?: HeadCheck } = {},
): Promise<VerifyReport> {
  const all: Page["batches"] = [];
  let after = "0";
  let key: Page["key"] | undefined;
  for (;;) {
    const query = new URLSearchParams({ after, limit: "50", ...(options.from ? { from: options.from } : {}) });
    const page = (await get(`/xchg/evidence?${query}`)) as Page;
    key ??= page.key;
    all.push(...page.batches);
    if (!page.next) break;
    after = page.next;
  }
  const publicKey = options.publicKey ?? key?.publicKey;
  // SM2 heads: each checked by KMS first (asynchronously), the chain walk then reads the answers
  const sm2Verified = new Map<number, boolean>();
  const sm2Key = options.kmsKeyId ?? key?.keyId;
  for (const { head, signature } of all) {
    if (head.algorithm !== SM2) continue;
    if (!options.kmsVerify || !sm2Key) throw new Error(`batch ${head.firstSeq} is signed with SM2DSA: checking it needs KMS Verify`);
    sm2Verified.set(head.firstSeq, await options.kmsVerify(sm2Key, head, signature));
  }
  const p256 = publicKey ? headVerifier(publicKey) : () => false;
  const verify = (head: BatchHead, signature: string) =>
    head.algorithm === SM2 ? sm2Verified.get(head.firstSeq) === true : p256(head, signature);
  const failure = publicKey || sm2Verified.size > 0 ? verifyChain(all, verify) : undefined;
  return {
    batches: all.length,
    entries: all.reduce((n, b) => n + b.entries.length, 0),
    ...(key ? { keyId: key.keyId } : {}),
    ...(failure ? { failure } : {}),
  };
}
