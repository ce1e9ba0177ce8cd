/**
 * The Evidence table (hub, pk/sk; docs/departments.md#evidence-log):
 *   `msg#<messageId>` / `<leg>`                       an entry (pending, then sealed: seq, prevHash, hash, batch)
 *   `pending` / `<requestAt>|<messageId>|<leg>`        a pending entry's place in the sealer's order (dropped once sealed)
 *   `batch` / `<firstSeq, 12 digits>`                  a sealed batch: head, signature, its entries' keys, complete
 *   `sealer` / `status`                                the last sealing run (the fail-closed rule reads it)
 * Single-item conditional writes only: an entry once per message and leg, a batch once per first sequence.
 */
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { EvidenceEntry, EvidenceStore, SealedEntry, SealerStatus, StoredBatch, StoredEntry } from "#ports/evidence.ts";
import { documentClient } from "#shared/aws.ts";
import { conditionalWrite } from "./conditional-write.ts";
import { dynamoEvidenceLog } from "./evidence-log.ts";

const seqKey = (seq: number): string => String(seq).padStart(12, "0");
const entryKey = (messageId: string, leg: string) => ({ pk: `msg#${messageId}`, sk: leg });
const pendingKey = (e: EvidenceEntry) => ({ pk: "pending", sk: `${e.requestAt}|${e.messageId}|${e.leg}` });
const batchKey = (firstSeq: number) => ({ pk: "batch", sk: seqKey(firstSeq) });
const STATUS_KEY = { pk: "sealer", sk: "status" };

function strip<T>(item: Record<string, unknown> | undefined): T | undefined {
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as T;
}

export function dynamoEvidenceStore(tableName: string): EvidenceStore {
  const doc = documentClient();
  const log = dynamoEvidenceLog(tableName);
  const get = async <T>(key: { pk: string; sk: string }): Promise<T | undefined> =>
    strip<T>((await doc.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item);
  const query = async (input: Omit<ConstructorParameters<typeof QueryCommand>[0], "TableName">, max: number) => {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await doc.send(new QueryCommand({ TableName: tableName, ConsistentRead: true, ...input, ExclusiveStartKey: start }));
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start && items.length < max);
    return items.slice(0, max);
  };
  const store: EvidenceStore = {
    putEntry: log.putEntry,
    async pending(limit) {
      const items = await query({ KeyConditionExpression: "pk = :p", ExpressionAttributeValues: { ":p": "pending" }, Limit: limit }, limit);
      return items.map((i) => ({ messageId: String(i.messageId), leg: String(i.leg) }));
    },
    entry: (messageId, leg) => get<StoredEntry>(entryKey(messageId, leg)),
    async entriesOf(messageId) {
      const items = await query(
        { KeyConditionExpression: "pk = :p", ExpressionAttributeValues: { ":p": `msg#${messageId}` } },
        Number.POSITIVE_INFINITY,
      );
      return items.map((i) => strip<StoredEntry>(i)!);
    },
    async latestBatch() {
      const out = await doc.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: "pk = :p",
          ExpressionAttributeValues: { ":p": "batch" },
          ScanIndexForward: false,
          Limit: 1,
          ConsistentRead: true,
        }),
      );
      return strip<StoredBatch>(out.Items?.[0]);
    },
    batch: (firstSeq) => get<StoredBatch>(batchKey(firstSeq)),
    async batches(afterSeq, from, limit) {
      const items = await query(
        {
          KeyConditionExpression: "pk = :p AND sk > :after",
          FilterExpression: "#head.#sealedAt >= :from",
          ExpressionAttributeNames: { "#head": "head", "#sealedAt": "sealedAt" },
          ExpressionAttributeValues: { ":p": "batch", ":after": seqKey(afterSeq), ":from": from },
        },
        limit,
      );
      return items.map((i) => strip<StoredBatch>(i)!);
    },
    putBatch: (batch) =>
      conditionalWrite(() =>
        doc.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...batchKey(batch.head.firstSeq), ...batch },
            ConditionExpression: "attribute_not_exists(pk)",
          }),
        ),
      ),
    async markSealed(entry: SealedEntry, batch) {
      await doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: entryKey(entry.messageId, entry.leg),
          UpdateExpression: "SET #seq = :seq, prevHash = :prev, #hash = :hash, #batch = :batch",
          ExpressionAttributeNames: { "#seq": "seq", "#hash": "hash", "#batch": "batch" },
          ExpressionAttributeValues: { ":seq": entry.seq, ":prev": entry.prevHash, ":hash": entry.hash, ":batch": batch },
        }),
      );
      await doc.send(new DeleteCommand({ TableName: tableName, Key: pendingKey(entry) }));
    },
    async completeBatch(firstSeq) {
      await doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: batchKey(firstSeq),
          UpdateExpression: "SET complete = :t",
          ExpressionAttributeValues: { ":t": true },
        }),
      );
    },
    status: () => get<SealerStatus>(STATUS_KEY),
    async putStatus(status) {
      await doc.send(new PutCommand({ TableName: tableName, Item: { ...STATUS_KEY, ...status } }));
    },
  };
  return store;
}
