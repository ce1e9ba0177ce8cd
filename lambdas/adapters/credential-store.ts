/** Credentials table (hub): salted hashes keyed by credential id. */
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { StoredCredential } from "#domain/credentials.ts";
import { documentClient } from "#shared/aws.ts";
import { scanAll } from "./scan.ts";

export interface CredentialRecord extends StoredCredential {
  kind: "hospital" | "operator";
  hospitalId?: string;
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

export const dynamoCredentialStore = (tableName: string): CredentialStore => ({
  async get(credentialId) {
    const out = await documentClient().send(new GetCommand({ TableName: tableName, Key: { credentialId }, ConsistentRead: true }));
    return out.Item as CredentialRecord | undefined;
  },
  async put(record) {
    await documentClient().send(new PutCommand({ TableName: tableName, Item: record }));
  },
  listByHospital: (hospitalId) =>
    scanAll<CredentialRecord>({
      TableName: tableName,
      FilterExpression: "hospitalId = :h",
      ExpressionAttributeValues: { ":h": hospitalId },
      ConsistentRead: true,
    }),
});
