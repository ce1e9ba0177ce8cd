/**
 * Authenticate a caller.
 * Input: the bearer token of a request. Output: the principal it names, or undefined.
 * Primary course: parse the token, load the credential by id, compare the salted hash,
 * refuse revoked credentials and rotated ones past their grace period, and name the hospital
 * (with its city) or the operator.
 */

import { parseToken, secretMatches } from "#domain/credentials.ts";
import type { CredentialStore } from "#ports/credentials.ts";
import type { Principal } from "#schemas/auth.ts";
import { cityIdSchema } from "#schemas/city.ts";
import { clock } from "#shared/clock.ts";

export async function authenticate(store: CredentialStore, token: string | undefined, now = clock.now()): Promise<Principal | undefined> {
  const parsed = token ? parseToken(token) : undefined;
  if (!parsed) return undefined;
  const record = await store.get(parsed.credentialId);
  if (record?.status !== "active" || !secretMatches(record, parsed.secret)) return undefined;
  if (record.expiresAt && Date.parse(record.expiresAt) <= now.getTime()) return undefined;
  if (record.kind === "operator") return { kind: "operator" };
  if (record.kind === "member") return record.memberId ? { kind: "member", memberId: record.memberId } : undefined;
  const cityId = cityIdSchema.safeParse(record.cityId);
  if (!record.hospitalId || !cityId.success) return undefined;
  return { kind: "hospital", hospitalId: record.hospitalId, cityId: cityId.data };
}
