/** Credentials table (hub): salted hashes keyed by credential id. */
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { CredentialRecord, CredentialStore } from "#ports/credentials.ts";
import { documentClient } from "#shared/aws.ts";
import { scanAll } from "./scan.ts";

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
