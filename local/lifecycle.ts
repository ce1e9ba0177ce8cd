/**
 * The buckets' lifecycle rules, locally (the S3 emulator has none): a declared expiry (a bucket's
 * `expire`, lib/declaration/types.ts) removes the objects under its prefix once the province clock is
 * `days` past the time they were written. In AWS the bucket's lifecycle rule does it (it acts on days
 * rounded to midnight UTC, so there "after a day" means one to two days); here a schedule of the
 * province (local/schedules.ts) sweeps every hour of province time, so advancing the clock a day
 * (`POST /local/clock`) removes at once what a day of waiting would.
 * Tables' TTL likewise (the DynamoDB emulator has none): an item whose declared `timeToLiveAttribute`
 * (unix seconds) is past the province clock goes at the next sweep, at most an hour of province time
 * late, as DynamoDB's own deletion is late (never early).
 */
import { DeleteObjectCommand, ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { DeleteCommand, type DynamoDBDocumentClient, paginateScan } from "@aws-sdk/lib-dynamodb";
import type { BucketDeclaration, TableDeclaration } from "#lib/declaration/types.ts";
import { provinceTimeOf } from "./clock.ts";

const DAY_MS = 24 * 3600 * 1000;
/** How often, in minutes of province time, the sweeper looks */
export const LIFECYCLE_EVERY_MINUTES = 60;

/**
 * The province time an object was written. S3 reports LastModified in whole seconds: an object written
 * in the same second as a clock advance, after it, must not be judged by the time before the advance
 * (it would expire a day early), so the write is taken at the end of its second: an expiry is at most
 * a second late, never early.
 */
const writtenAt = (lastModified: Date): number => provinceTimeOf(lastModified.getTime() + 999);

/** Deletes the objects of `bucket` that its expiries name and that are old enough at `nowMs` (province time); the keys deleted */
export async function expireObjects(
  s3: S3Client,
  bucket: string,
  expire: NonNullable<BucketDeclaration["expire"]>,
  nowMs: number,
): Promise<string[]> {
  const due: string[] = [];
  for (const rule of expire) {
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: rule.prefix, ContinuationToken: token }));
      for (const object of page.Contents ?? [])
        if (object.Key && object.LastModified && nowMs - writtenAt(object.LastModified) >= rule.days * DAY_MS) due.push(object.Key);
      token = page.NextContinuationToken;
    } while (token);
  }
  for (const key of due) await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  return due;
}

/** Deletes the items of `table` whose TTL attribute (unix seconds) is before `nowMs` (province time); how many */
export async function expireItems(
  doc: DynamoDBDocumentClient,
  tableName: string,
  table: Required<Pick<TableDeclaration, "partitionKey" | "timeToLiveAttribute">> & Pick<TableDeclaration, "sortKey">,
  nowMs: number,
): Promise<number> {
  const due: Record<string, unknown>[] = [];
  const names: Record<string, string> = { "#ttl": table.timeToLiveAttribute, "#pk": table.partitionKey };
  if (table.sortKey) names["#sk"] = table.sortKey;
  for await (const page of paginateScan(
    { client: doc },
    {
      TableName: tableName,
      FilterExpression: "#ttl < :now",
      ProjectionExpression: table.sortKey ? "#pk, #sk" : "#pk",
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: { ":now": Math.floor(nowMs / 1000) },
    },
  ))
    due.push(...(page.Items ?? []));
  for (const key of due) await doc.send(new DeleteCommand({ TableName: tableName, Key: key }));
  return due.length;
}
