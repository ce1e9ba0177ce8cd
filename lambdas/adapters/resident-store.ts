/**
 * The master patient index in DynamoDB, with conditional single-item writes only (no transactions;
 * docs/adr/0008-mpi-consistency.md).
 *
 * Residents (pk empi, sk revision): every version of every resident, append-only. Version n is the
 *   item (empi, revision n, zero-padded); it is written only if absent, so two writers who both read
 *   version n-1 cannot both write version n: the second gets ResidentVersionConflictError. The current
 *   resident is the highest revision (a consistent Query, newest first, limit 1).
 * ResidentKeys (pk key, sk empi):
 *   <blocking key>            one item per resident indexed under it (nm:, bd:, ad:, ph:, hc:)
 *   id:<number>   / #claim    the single claim of a resident ID number: which EMPI holds it, written
 *                             only if absent or already ours (or taken over, compare-and-set)
 *   queue:review  / <empi>    the stewards' review queue
 *   sequence:empi / #         the EMPI sequence (atomic counter) that once numbered EMPIs
 *   empi:<empi>   / <empi>    an EMPI drawn at random, reserved only if absent (a collision draws again)
 */

import { randomInt } from "node:crypto";
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { RANDOM_EMPI_DIGITS, randomEmpi } from "#domain/mpi/empi.ts";
import { ResidentVersionConflictError } from "#domain/mpi/engine.ts";
import type { MatchRecord } from "#domain/mpi/record.ts";
import type { ResidentChange, ResidentEntry, ResidentStore } from "#ports/mpi.ts";
import { documentClient } from "#shared/aws.ts";
import { batchWriteAll } from "./batch-write.ts";

interface ResidentItem {
  empi: string;
  revision: string;
  version: number;
  records: string;
  residentId?: string;
  reviewCandidates?: string[];
  mergedInto?: string;
  mergedFrom?: string[];
  change?: ResidentChange;
}

const revision = (version: number): string => String(version).padStart(10, "0");
const CLAIM = "#claim";
export const REVIEW_QUEUE = "queue:review";

const isConditionFailure = (error: unknown): boolean =>
  error instanceof ConditionalCheckFailedException || (error as Error).name === "ConditionalCheckFailedException";

const toEntry = (item: ResidentItem): ResidentEntry => ({
  empi: item.empi,
  version: item.version,
  records: JSON.parse(item.records) as MatchRecord[],
  ...(item.residentId ? { residentId: item.residentId } : {}),
  ...(item.reviewCandidates?.length ? { reviewCandidates: item.reviewCandidates } : {}),
  ...(item.mergedInto ? { mergedInto: item.mergedInto } : {}),
  ...(item.mergedFrom?.length ? { mergedFrom: item.mergedFrom } : {}),
  ...(item.change ? { change: item.change } : {}),
});

export function dynamoResidentStore(residentsTable: string, keysTable: string): ResidentStore {
  const ddb = documentClient();
  const query = async (empi: string, limit: number) =>
    (
      await ddb.send(
        new QueryCommand({
          TableName: residentsTable,
          KeyConditionExpression: "empi = :e",
          ExpressionAttributeValues: { ":e": empi },
          ScanIndexForward: false,
          Limit: limit,
          ConsistentRead: true,
        }),
      )
    ).Items as ResidentItem[] | undefined;
  const conditional = async (write: () => Promise<unknown>): Promise<boolean> => {
    try {
      await write();
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  };

  return {
    async next() {
      // random, not sequential: an EMPI cannot be guessed from another (issue 12); reserved only if absent
      for (;;) {
        const empi = randomEmpi(randomInt(RANDOM_EMPI_DIGITS.min, RANDOM_EMPI_DIGITS.max + 1));
        const reserved = await conditional(() =>
          ddb.send(
            new PutCommand({
              TableName: keysTable,
              Item: { key: `empi:${empi}`, empi },
              ConditionExpression: "attribute_not_exists(empi)",
            }),
          ),
        );
        if (reserved) return empi;
      }
    },

    async latest(empi) {
      const item = (await query(empi, 1))?.[0];
      return item ? toEntry(item) : undefined;
    },

    async history(empi, limit) {
      return ((await query(empi, limit)) ?? []).map(toEntry);
    },

    async put(entry) {
      const item: ResidentItem = {
        empi: entry.empi,
        revision: revision(entry.version),
        version: entry.version,
        records: JSON.stringify(entry.records),
        ...(entry.residentId ? { residentId: entry.residentId } : {}),
        ...(entry.reviewCandidates?.length ? { reviewCandidates: entry.reviewCandidates } : {}),
        ...(entry.mergedInto ? { mergedInto: entry.mergedInto } : {}),
        ...(entry.mergedFrom?.length ? { mergedFrom: entry.mergedFrom } : {}),
        ...(entry.change ? { change: entry.change } : {}),
      };
      const written = await conditional(() =>
        ddb.send(new PutCommand({ TableName: residentsTable, Item: item, ConditionExpression: "attribute_not_exists(empi)" })),
      );
      if (!written) throw new ResidentVersionConflictError(entry.empi);
    },

    async partition(key, limit) {
      const empis: string[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const out = await ddb.send(
          new QueryCommand({
            TableName: keysTable,
            KeyConditionExpression: "#k = :k",
            ExpressionAttributeNames: { "#k": "key" },
            ExpressionAttributeValues: { ":k": key },
            ConsistentRead: true,
            Limit: limit - empis.length,
            ExclusiveStartKey: start,
          }),
        );
        for (const item of out.Items ?? []) empis.push(item.empi === CLAIM ? String(item.owner) : String(item.empi));
        start = out.LastEvaluatedKey;
      } while (start && empis.length < limit);
      return empis;
    },

    async addKeys(empi, keys) {
      const items = keys.filter((k) => !k.startsWith("id:")).map((key) => ({ PutRequest: { Item: { key, empi } } }));
      await batchWriteAll(keysTable, items, ddb);
    },

    async getClaim(residentId) {
      const out = await ddb.send(
        new GetCommand({ TableName: keysTable, Key: { key: `id:${residentId}`, empi: CLAIM }, ConsistentRead: true }),
      );
      return out.Item ? { owner: String(out.Item.owner), claimedAt: Number(out.Item.claimedAt) } : undefined;
    },

    claim(residentId, empi, now) {
      return conditional(() =>
        ddb.send(
          new PutCommand({
            TableName: keysTable,
            Item: { key: `id:${residentId}`, empi: CLAIM, owner: empi, claimedAt: now },
            ConditionExpression: "attribute_not_exists(#k) OR #o = :me",
            ExpressionAttributeNames: { "#k": "key", "#o": "owner" },
            ExpressionAttributeValues: { ":me": empi },
          }),
        ),
      );
    },

    takeOver(residentId, empi, previous, now) {
      return conditional(() =>
        ddb.send(
          new PutCommand({
            TableName: keysTable,
            Item: { key: `id:${residentId}`, empi: CLAIM, owner: empi, claimedAt: now },
            ConditionExpression: "#o = :old AND claimedAt = :at",
            ExpressionAttributeNames: { "#o": "owner" },
            ExpressionAttributeValues: { ":old": previous.owner, ":at": previous.claimedAt },
          }),
        ),
      );
    },

    async release(residentId, empi) {
      await conditional(() =>
        ddb.send(
          new DeleteCommand({
            TableName: keysTable,
            Key: { key: `id:${residentId}`, empi: CLAIM },
            ConditionExpression: "#o = :me",
            ExpressionAttributeNames: { "#o": "owner" },
            ExpressionAttributeValues: { ":me": empi },
          }),
        ),
      );
    },

    async enqueueReview(empi, queuedAt) {
      await ddb.send(new PutCommand({ TableName: keysTable, Item: { key: REVIEW_QUEUE, empi, queuedAt } }));
    },

    async dequeueReview(empi) {
      await ddb.send(new DeleteCommand({ TableName: keysTable, Key: { key: REVIEW_QUEUE, empi } }));
    },

    async listReview(limit) {
      const out = await ddb.send(
        new QueryCommand({
          TableName: keysTable,
          KeyConditionExpression: "#k = :k",
          ExpressionAttributeNames: { "#k": "key" },
          ExpressionAttributeValues: { ":k": REVIEW_QUEUE },
          ConsistentRead: true,
          Limit: limit,
        }),
      );
      return (out.Items ?? []).map((i) => ({ empi: String(i.empi), queuedAt: String(i.queuedAt) }));
    },
  };
}
