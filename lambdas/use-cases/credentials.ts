/**
 * A hospital's credentials over its life: issue, rotate, revoke (operator actions).
 * Input: the hospital, the hub's clock. Output: a new plaintext credential (shown once) or the
 * revoked ids. Primary course: a rotation issues a new credential and lets the previous ones
 * keep working for a grace period (24 h by default); a revocation stops every credential of the
 * hospital at once (locally; within the authorizer cache's 60 s in AWS).
 * The hospital's API key (ADR 3) follows its credentials: issuing one makes sure the key exists and is
 * enabled in its city's usage plan; revoking disables it.
 */
import { randomBytes } from "node:crypto";
import { issueCredential } from "#domain/credentials.ts";
import type { ApiKeys } from "#ports/api-keys.ts";
import type { CredentialRecord, CredentialStore } from "#ports/credentials.ts";
import type { CityId } from "#schemas/city.ts";

export const DEFAULT_GRACE_HOURS = 24;

export interface CredentialDeps {
  credentials: CredentialStore;
  /** Per-hospital API keys; absent where no API meters hospitals (the domain tests) */
  apiKeys?: ApiKeys;
}

export interface IssuedHospitalCredential {
  hospitalId: string;
  credentialId: string;
  credential: string;
  issuedAt: string;
}

export async function issueHospitalCredential(
  deps: CredentialDeps,
  hospital: { hospitalId: string; cityId: CityId },
  now: Date,
): Promise<IssuedHospitalCredential> {
  const issued = issueCredential(`${hospital.hospitalId}-${randomBytes(4).toString("hex")}`);
  const record: CredentialRecord = {
    ...issued.stored,
    kind: "hospital",
    hospitalId: hospital.hospitalId,
    cityId: hospital.cityId,
    status: "active",
    issuedAt: now.toISOString(),
  };
  await deps.credentials.put(record);
  // the key follows the credential: a hospital onboarded before keys existed gets one at its next rotation
  await deps.apiKeys?.issue(hospital);
  return { hospitalId: hospital.hospitalId, credentialId: issued.stored.credentialId, credential: issued.token, issuedAt: record.issuedAt };
}

export interface Rotation extends IssuedHospitalCredential {
  previous: { credentialId: string; expiresAt: string }[];
}

/** Returns undefined when the hospital has no credential to rotate (never onboarded, or revoked). */
export async function rotateHospitalCredential(
  deps: CredentialDeps,
  hospitalId: string,
  graceHours: number,
  now: Date,
): Promise<Rotation | undefined> {
  const current = await activeCredentials(deps, hospitalId, now);
  const [first] = current;
  if (!first?.cityId) return undefined;
  // issue first: a failure half-way leaves the hospital with more working credentials, never fewer
  const issued = await issueHospitalCredential(deps, { hospitalId, cityId: first.cityId as CityId }, now);
  const graceEnd = new Date(now.getTime() + graceHours * 3_600_000).toISOString();
  const previous: Rotation["previous"] = [];
  for (const c of current) {
    const expiresAt = c.expiresAt && c.expiresAt < graceEnd ? c.expiresAt : graceEnd;
    await deps.credentials.put({ ...c, expiresAt });
    previous.push({ credentialId: c.credentialId, expiresAt });
  }
  return { ...issued, previous };
}

export async function revokeHospitalCredentials(deps: CredentialDeps, hospitalId: string, now: Date): Promise<string[]> {
  const revoked: string[] = [];
  for (const c of await deps.credentials.listByHospital(hospitalId)) {
    if (c.status === "revoked") continue;
    await deps.credentials.put({ ...c, status: "revoked", revokedAt: now.toISOString() });
    revoked.push(c.credentialId);
  }
  if (revoked.length > 0) await deps.apiKeys?.revoke(hospitalId);
  return revoked;
}

/** The hospital's credentials that still work at `now` (active, and not past a rotation's grace period). */
export async function activeCredentials(deps: CredentialDeps, hospitalId: string, now: Date): Promise<CredentialRecord[]> {
  return (await deps.credentials.listByHospital(hospitalId)).filter(
    (c) => c.status === "active" && (!c.expiresAt || Date.parse(c.expiresAt) > now.getTime()),
  );
}
