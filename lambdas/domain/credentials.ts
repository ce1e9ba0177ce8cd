/**
 * Credentials: `hhc.<credentialId>.<secret>`, a 256-bit random secret. Only a salted SHA-256 of
 * the secret is stored (docs/adr/0003: with a random 256-bit secret a slow KDF adds latency to
 * every request and no security; salting keeps equal secrets from sharing a hash).
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

export interface StoredCredential {
  credentialId: string;
  salt: string;
  hash: string;
}

export interface IssuedCredential {
  /** The plaintext, shown once to its holder and never stored */
  token: string;
  stored: StoredCredential;
}

const PREFIX = "hhc";
const TOKEN = /^hhc\.([a-z0-9-]{4,64})\.([A-Za-z0-9_-]{43})$/;

const digest = (salt: string, secret: string): string => createHash("sha256").update(salt).update(":").update(secret).digest("base64url");

export function issueCredential(credentialId: string): IssuedCredential {
  if (!/^[a-z0-9-]{4,64}$/.test(credentialId)) throw new Error(`credential id ${credentialId} must be 4-64 of [a-z0-9-]`);
  const secret = randomBytes(32).toString("base64url");
  const salt = randomBytes(16).toString("base64url");
  return { token: `${PREFIX}.${credentialId}.${secret}`, stored: { credentialId, salt, hash: digest(salt, secret) } };
}

/** Splits a token into id and secret, or undefined when it is not shaped like one of ours. */
export function parseToken(token: string): { credentialId: string; secret: string } | undefined {
  const m = TOKEN.exec(token.trim());
  return m ? { credentialId: m[1]!, secret: m[2]! } : undefined;
}

/** Extracts the token from an `Authorization: Bearer <token>` header value. */
export function bearerToken(header: string | undefined): string | undefined {
  const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return m?.[1];
}

export function secretMatches(stored: StoredCredential, secret: string): boolean {
  const expected = Buffer.from(stored.hash);
  const actual = Buffer.from(digest(stored.salt, secret));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
