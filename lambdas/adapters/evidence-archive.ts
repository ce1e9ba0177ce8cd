/**
 * The evidence archive: each sealed batch as one JSON object. In AWS the bucket has Object Lock in
 * compliance mode with a default retention (lib/constructs/evidence-archive.ts), so every object version
 * is kept unchangeable for the retention whatever the caller; locally the S3 emulator's bucket, without
 * Object Lock (the emulator has none). Content-MD5: S3 requires an integrity header on writes to an Object Lock bucket.
 */
import { createHash } from "node:crypto";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import type { EvidenceArchive } from "#ports/evidence.ts";
import { s3Client } from "#shared/aws.ts";

export function s3EvidenceArchive(bucket: string): EvidenceArchive {
  return async (key, body) => {
    await s3Client().send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: body,
        ContentType: "application/json",
        ContentMD5: createHash("md5").update(body).digest("base64"),
      }),
    );
  };
}
