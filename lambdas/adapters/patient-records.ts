/**
 * Hospitals' patient records at the hub.
 *
 * PatientRecords (pk sourceKey = "<mrn system>|<value>"): the Patient as the hospital fed it, the
 *   record as the index matched it, and `empi`: the resident item that holds the record. It is the
 *   authority on where a hospital's record belongs: written last, conditionally on its `version`,
 *   so a conditional update (PUT ?identifier=) replaces it and two feeds of one MRN cannot interleave.
 * PatientSearch (pk term, sk sourceKey): PDQm search entries (identifier, telecom, full name,
 *   family name with birth date), written before the record's answer. Entries are hints: every hit
 *   is checked against the current record, so an entry left behind by an update finds nothing.
 */
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { BatchGetCommand, GetCommand, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { MatchRecord } from "#domain/mpi/record.ts";
import { type PatientRecord, PatientRecordConflictError, type PatientRecordStore } from "#ports/mpi.ts";
import { documentClient } from "#shared/aws.ts";
import { batchWriteAll, type WriteRequest } from "./batch-write.ts";

interface Item extends Omit<PatientRecord, "patient" | "record"> {
  patient: string;
  record: string;
}

const toRecord = (item: Item): PatientRecord => ({
  ...item,
  patient: JSON.parse(item.patient) as Record<string, unknown>,
  record: JSON.parse(item.record) as MatchRecord,
  flags: item.flags ?? [],
  terms: item.terms ?? [],
});

export function dynamoPatientRecordStore(recordsTable: string, searchTable: string): PatientRecordStore {
  const ddb = documentClient();
  const batchWrite = (requests: WriteRequest[]) => batchWriteAll(searchTable, requests, ddb);

  return {
    async get(sourceKey) {
      const out = await ddb.send(new GetCommand({ TableName: recordsTable, Key: { sourceKey }, ConsistentRead: true }));
      return out.Item ? toRecord(out.Item as Item) : undefined;
    },

    async getMany(sourceKeys) {
      const found = new Map<string, PatientRecord>();
      const unique = [...new Set(sourceKeys)];
      for (let i = 0; i < unique.length; i += 100) {
        let keys: Record<string, unknown>[] = unique.slice(i, i + 100).map((sourceKey) => ({ sourceKey }));
        for (let attempt = 0; keys.length > 0; attempt++) {
          if (attempt > 6) throw new Error(`patient records: ${keys.length} not read`);
          const out = await ddb.send(new BatchGetCommand({ RequestItems: { [recordsTable]: { Keys: keys, ConsistentRead: true } } }));
          for (const item of out.Responses?.[recordsTable] ?? []) found.set(String(item.sourceKey), toRecord(item as Item));
          keys = out.UnprocessedKeys?.[recordsTable]?.Keys ?? [];
          if (keys.length) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
        }
      }
      return found;
    },

    async put(record) {
      const item: Item = { ...record, patient: JSON.stringify(record.patient), record: JSON.stringify(record.record) };
      try {
        await ddb.send(
          new PutCommand({
            TableName: recordsTable,
            Item: item,
            ...(record.version === 1
              ? { ConditionExpression: "attribute_not_exists(sourceKey)" }
              : {
                  ConditionExpression: "#v = :previous",
                  ExpressionAttributeNames: { "#v": "version" },
                  ExpressionAttributeValues: { ":previous": record.version - 1 },
                }),
          }),
        );
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException || (error as Error).name === "ConditionalCheckFailedException") {
          throw new PatientRecordConflictError(record.sourceKey);
        }
        throw error;
      }
    },

    async addTerms(sourceKey, terms) {
      await batchWrite(terms.map((term) => ({ PutRequest: { Item: { term, sourceKey } } })));
    },

    async removeTerms(sourceKey, terms) {
      await batchWrite(terms.map((term) => ({ DeleteRequest: { Key: { term, sourceKey } } })));
    },

    async search(term, limit) {
      const out = await ddb.send(
        new QueryCommand({
          TableName: searchTable,
          KeyConditionExpression: "#t = :t",
          ExpressionAttributeNames: { "#t": "term" },
          ExpressionAttributeValues: { ":t": term },
          ConsistentRead: true,
          Limit: limit,
        }),
      );
      return (out.Items ?? []).map((i) => String(i.sourceKey));
    },
  };
}
