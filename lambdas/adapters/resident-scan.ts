/**
 * The Residents table read whole, and ResidentKeys asked which items it lacks (ports/mpi.ts
 * ResidentKeyScan): a Scan projecting the EMPI only, in pages and parallel segments, its
 * LastEvaluatedKey handed out as an opaque cursor; BatchGetItem of the (key, EMPI) items.
 */
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { InvalidScanCursorError, type ResidentKeyItem, type ResidentKeyScan } from "#ports/mpi.ts";
import { documentClient } from "#shared/aws.ts";
import { batchGetKeys } from "./batch-write.ts";

/** A Residents item's key (empi, revision) as base64url JSON, and back (undefined when it is not one) */
export const encodeCursor = (key: Record<string, unknown>): string => Buffer.from(JSON.stringify(key)).toString("base64url");
export function decodeCursor(cursor: string): Record<string, string> | undefined {
  try {
    const key = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown;
    if (typeof key !== "object" || key === null || Array.isArray(key)) return undefined;
    const { empi, revision, ...rest } = key as Record<string, unknown>;
    if (typeof empi !== "string" || typeof revision !== "string" || Object.keys(rest).length > 0) return undefined;
    return { empi, revision };
  } catch {
    return undefined;
  }
}

export function dynamoResidentScan(residentsTable: string, keysTable: string): ResidentKeyScan {
  const ddb = documentClient();
  return {
    async page({ cursor, segment, segments, limit }) {
      const start = cursor === undefined ? undefined : decodeCursor(cursor);
      if (cursor !== undefined && !start) throw new InvalidScanCursorError(cursor);
      const out = await ddb.send(
        new ScanCommand({
          TableName: residentsTable,
          ProjectionExpression: "empi",
          Limit: limit,
          ...(segments > 1 ? { Segment: segment, TotalSegments: segments } : {}),
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      const empis: string[] = [];
      for (const item of out.Items ?? []) if (empis.at(-1) !== item.empi) empis.push(String(item.empi));
      return { empis, ...(out.LastEvaluatedKey ? { cursor: encodeCursor(out.LastEvaluatedKey) } : {}) };
    },

    async absent(items) {
      const unique = [...new Map(items.map((i) => [`${i.key}\u0000${i.empi}`, i])).values()];
      const found = await batchGetKeys(
        keysTable,
        unique.map(({ key, empi }) => ({ key, empi })),
        { projection: "#k, empi", names: { "#k": "key" } },
      );
      const present = new Set(found.map((f) => `${String(f.key)}\u0000${String(f.empi)}`));
      return unique.filter((i): i is ResidentKeyItem => !present.has(`${i.key}\u0000${i.empi}`));
    },
  };
}
