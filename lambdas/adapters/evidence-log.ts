/**
 * The exchange's own use of the Evidence table (lambdas/adapters/evidence-store.ts has the whole of it): an
 * entry written once per message and leg with its place in the sealer's order, and the sealer's status (the
 * fail-closed rule). Apart, so the inbound and delivery functions carry only these two.
 */
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { EvidenceLog, SealerStatus, StoredEntry } from "#ports/evidence.ts";
import { documentClient } from "#shared/aws.ts";
import { conditionalWrite } from "./conditional-write.ts";

export function dynamoEvidenceLog(tableName: string): EvidenceLog {
  const doc = documentClient();
  const get = async <T>(pk: string, sk: string) =>
    (await doc.send(new GetCommand({ TableName: tableName, Key: { pk, sk }, ConsistentRead: true }))).Item as T | undefined;
  return {
    async putEntry(entry) {
      const key = { pk: `msg#${entry.messageId}`, sk: entry.leg };
      const written = await conditionalWrite(() =>
        doc.send(new PutCommand({ TableName: tableName, Item: { ...key, ...entry }, ConditionExpression: "attribute_not_exists(pk)" })),
      );
      // its place in the sealer's order: also when a previous attempt wrote the entry and stopped before this
      const stored: StoredEntry | undefined = written ? entry : await get<StoredEntry>(key.pk, key.sk);
      if (stored && (written || stored.seq === undefined))
        await doc.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              pk: "pending",
              sk: `${stored.requestAt}|${stored.messageId}|${stored.leg}`,
              messageId: stored.messageId,
              leg: stored.leg,
            },
          }),
        );
      return written;
    },
    status: () => get<SealerStatus>("sealer", "status"),
  };
}
