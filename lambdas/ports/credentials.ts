/**
 * What the credential use cases (authenticate, issue, rotate, revoke, onboard) need of storage.
 * Implemented by adapters/credential-store.ts (the hub's Credentials table).
 */
import type { StoredCredential } from "#domain/credentials.ts";

export interface CredentialRecord extends StoredCredential {
  /** "member": a provincial department of the exchange (issue 16, docs/departments.md) */
  kind: "hospital" | "operator" | "member";
  hospitalId?: string;
  memberId?: string;
  cityId?: string;
  status: "active" | "revoked";
  issuedAt: string;
  /** Set when the credential was rotated: it keeps working until then (the grace period) */
  expiresAt?: string;
  revokedAt?: string;
}

export interface CredentialStore {
  get(credentialId: string): Promise<CredentialRecord | undefined>;
  put(record: CredentialRecord): Promise<void>;
  /** All credentials of a hospital (a registry-sized scan: a few per hospital, rare operator action) */
  listByHospital(hospitalId: string): Promise<CredentialRecord[]>;
}
