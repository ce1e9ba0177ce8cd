/**
 * `npm run operator -- evidence-verify [--from <date>]` (docs/departments.md#evidence-log): reads the sealed
 * batches and their entries through the hub's operator API (`GET /xchg/evidence`, page by page), recomputes
 * every entry's hash along the chain and checks every batch head's signature with the evidence key's public
 * key (`--public-key <file>` pins one obtained out of band: KMS GetPublicKey, or the local province's key
 * file; otherwise the one the hub gives), and names the first entry or head that does not verify.
 */
import { createPublicKey } from "node:crypto";
import type { BatchHead, SealedEntry } from "#domain/evidence/chain.ts";
import { type VerifyFailure, verifyChain } from "#domain/evidence/chain.ts";
import { headVerifier } from "#domain/evidence/signature.ts";

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
  options: { from?: string; publicKey?: string } = {},
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
  const failure = publicKey ? verifyChain(all, headVerifier(publicKey)) : undefined;
  return {
    batches: all.length,
    entries: all.reduce((n, b) => n + b.entries.length, 0),
    ...(key ? { keyId: key.keyId } : {}),
    ...(failure ? { failure } : {}),
  };
}
