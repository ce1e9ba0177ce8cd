/**
 * The city's document index (DocumentIndex table) and its Documents bucket. Per document or
 * encounter one record (`<type>/<id>`, `record`), versioned by `revision` and changed only by
 * compare-and-set; per resident a listing (`patient/<empi>`, `<type>/<id>`) of the latest entries,
 * so that the city answers its own writes at once; per upload URL its grant (`upload/<id>`).
 */

import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { CopyObjectCommand, GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { createPresignedPost } from "@aws-sdk/s3-presigned-post";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import type { Digest } from "#domain/documents/publish.ts";
import type { DocumentIndex, StoredRecord, UploadGrant } from "#ports/documents.ts";
import type { LocatorEntry } from "#schemas/documents.ts";
import { documentClient, s3Client } from "#shared/aws.ts";
import { queryAll } from "./scan.ts";

const isConditionFailure = (error: unknown) => error instanceof ConditionalCheckFailedException;

export function documentIndex(tableName: string, bucket: string): DocumentIndex {
  const db = documentClient();
  const recordKey = (resourceType: string, id: string) => ({ pk: `${resourceType}/${id}`, sk: "record" });
  return {
    async get(resourceType: LocatorEntry["resourceType"], id: string): Promise<StoredRecord | undefined> {
      const out = await db.send(new GetCommand({ TableName: tableName, Key: recordKey(resourceType, id), ConsistentRead: true }));
      return out.Item ? ({ entry: out.Item.entry, content: out.Item.content, key: out.Item.key } as StoredRecord) : undefined;
    },
    /** Writes the first revision unless the record exists; false when it does. */
    async create(record: StoredRecord): Promise<boolean> {
      try {
        await db.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...recordKey(record.entry.resourceType, record.entry.id), ...record, revision: record.entry.revision },
            ConditionExpression: "attribute_not_exists(pk)",
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
    /** Replaces the record if it is still at `previousRevision`; false when another change got there first. */
    async update(record: StoredRecord, previousRevision: number): Promise<boolean> {
      try {
        await db.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...recordKey(record.entry.resourceType, record.entry.id), ...record, revision: record.entry.revision },
            ConditionExpression: "revision = :prev",
            ExpressionAttributeValues: { ":prev": previousRevision },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
    /** The resident's listing keeps the highest revision of each entry (idempotent). */
    async list(entry: LocatorEntry): Promise<void> {
      try {
        await db.send(
          new PutCommand({
            TableName: tableName,
            Item: { pk: `patient/${entry.empi}`, sk: `${entry.resourceType}/${entry.id}`, revision: entry.revision, entry },
            ConditionExpression: "attribute_not_exists(pk) OR revision < :rev",
            ExpressionAttributeValues: { ":rev": entry.revision },
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    },
    async listing(empi: string): Promise<LocatorEntry[]> {
      const items = await queryAll<{ entry: LocatorEntry }>({
        TableName: tableName,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": `patient/${empi}` },
        ConsistentRead: true,
      });
      return items.map((item) => item.entry);
    },
    async grantUpload(grant: UploadGrant): Promise<void> {
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: { pk: `upload/${grant.uploadId}`, sk: "grant", ...grant },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
    },
    async upload(uploadId: string): Promise<UploadGrant | undefined> {
      const out = await db.send(
        new GetCommand({ TableName: tableName, Key: { pk: `upload/${uploadId}`, sk: "grant" }, ConsistentRead: true }),
      );
      return out.Item as UploadGrant | undefined;
    },

    // ——— bytes (the Documents bucket; no listings: keys come from the index) ———

    async putBytes(s3Key: string, bytes: Buffer, contentType: string): Promise<void> {
      await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: s3Key, Body: bytes, ContentType: contentType }));
    },
    async getBytes(s3Key: string): Promise<Buffer> {
      const out = await s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: s3Key }));
      return Buffer.from(await out.Body!.transformToByteArray());
    },
    /** Streams an object through SHA-256 and SHA-1; undefined when it is not there, "too-large" past `max` bytes. */
    async digestObject(s3Key: string, max: number): Promise<Digest | "too-large" | undefined> {
      let body: Readable;
      try {
        body = (await s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: s3Key }))).Body as Readable;
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
      const sha256 = createHash("sha256");
      const sha1 = createHash("sha1");
      let size = 0;
      for await (const chunk of body) {
        size += (chunk as Buffer).length;
        if (size > max) {
          body.destroy();
          return "too-large";
        }
        sha256.update(chunk as Buffer);
        sha1.update(chunk as Buffer);
      }
      return { size, sha256: sha256.digest("hex"), sha1: sha1.digest("base64") };
    },
    /** A server-side copy (the bytes never pass through the function); false when `from` is not there. */
    async copyObject(from: string, to: string): Promise<boolean> {
      try {
        await s3Client().send(
          new CopyObjectCommand({ Bucket: bucket, Key: to, CopySource: `${bucket}/${from.split("/").map(encodeURIComponent).join("/")}` }),
        );
        return true;
      } catch (error) {
        if (isMissing(error)) return false;
        throw error;
      }
    },
    /** Answers the bytes as an attachment of a content type the caller chose (docs/documents.md: serving bytes). */
    presignGet: (s3Key: string, seconds: number, contentType: string) =>
      getSignedUrl(
        s3Client(),
        new GetObjectCommand({ Bucket: bucket, Key: s3Key, ResponseContentType: contentType, ResponseContentDisposition: "attachment" }),
        { expiresIn: seconds },
      ),
    /** A POST policy admitting exactly `size` bytes of `contentType`, at exactly `s3Key`. */
    presignPost: (s3Key: string, seconds: number, upload: { size: number; contentType: string }) =>
      createPresignedPost(s3Client(), {
        Bucket: bucket,
        Key: s3Key,
        Conditions: [
          ["content-length-range", upload.size, upload.size],
          ["eq", "$Content-Type", upload.contentType],
        ],
        Fields: { "Content-Type": upload.contentType },
        Expires: seconds,
      }),
  };
}

/** S3 answers a missing key (or copy source) with NoSuchKey, or NotFound without a body */
const isMissing = (error: unknown): boolean => {
  const name = (error as { name?: string }).name;
  return name === "NoSuchKey" || name === "NotFound";
};
