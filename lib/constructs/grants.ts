/**
 * Least-privilege grants, exactly per declaration, spelled out without wildcard actions
 * (CDK's grantReadData & co. add `kms:ReEncrypt*`, `s3:List*` …, which nag would rightly flag).
 */
import { aws_iam as iam, type aws_kms as kms } from "aws-cdk-lib";
import { QUEUE_SEND_ACTIONS, readsWith, tableActions, writesWith } from "#lib/declaration/iam-actions.ts";
import type { Access } from "#lib/declaration/index.ts";
import type { DocumentBucket } from "./document-bucket.ts";
import type { NodeQueue } from "./secure-queue.ts";
import type { NodeTable } from "./secure-table.ts";

const KMS_DECRYPT = ["kms:Decrypt", "kms:DescribeKey"];
const KMS_ENCRYPT = ["kms:Encrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext"];

/** Object reads and writes only: no listing (kept out of the request path), no deletes (documents are kept). */
const OBJECT_READ = ["s3:GetObject", "s3:GetObjectVersion"];
const OBJECT_WRITE = ["s3:PutObject", "s3:AbortMultipartUpload"];

function keyStatement(key: kms.IKey, access: Access): iam.PolicyStatement {
  const actions = new Set([...KMS_DECRYPT, ...(writesWith(access) ? KMS_ENCRYPT : [])]);
  return new iam.PolicyStatement({ actions: [...actions], resources: [key.keyArn] });
}

export function tableStatements(table: NodeTable, access: Access): iam.PolicyStatement[] {
  return [new iam.PolicyStatement({ actions: tableActions(access), resources: [table.tableArn] }), keyStatement(table.key, access)];
}

/** The resource ARN is `<bucket>/*` (every object of the bucket): callers acknowledge the IAM5 finding. */
export function bucketStatements(bucket: DocumentBucket, access: Access): iam.PolicyStatement[] {
  const actions = [...(readsWith(access) ? OBJECT_READ : []), ...(writesWith(access) ? OBJECT_WRITE : [])];
  // SSE-KMS: reading needs Decrypt; writing needs GenerateDataKey (and Decrypt for multipart uploads)
  const keyActions = ["kms:Decrypt", ...(writesWith(access) ? ["kms:GenerateDataKey"] : [])];
  return [
    new iam.PolicyStatement({ actions, resources: [bucket.arnForObjects("*")] }),
    new iam.PolicyStatement({ actions: keyActions, resources: [bucket.key.keyArn] }),
    // a writer tells a missing object (404 NoSuchKey: nothing uploaded yet) from a forbidden one (403)
    ...(writesWith(access) ? [new iam.PolicyStatement({ actions: ["s3:ListBucket"], resources: [bucket.bucketArn] })] : []),
  ];
}

/** Sending to an SSE-KMS queue needs GenerateDataKey and Decrypt on its key. */
export function sendStatements(queue: NodeQueue): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({ actions: [...QUEUE_SEND_ACTIONS], resources: [queue.queue.queueArn] }),
    new iam.PolicyStatement({ actions: ["kms:GenerateDataKey", "kms:Decrypt"], resources: [queue.key.keyArn] }),
  ];
}
