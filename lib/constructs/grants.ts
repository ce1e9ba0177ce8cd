/**
 * Least-privilege grants, exactly per declaration, spelled out without wildcard actions
 * (CDK's grantReadData & co. add `kms:ReEncrypt*`, `s3:List*` …, which nag would rightly flag).
 */
import { aws_iam as iam, type aws_kms as kms } from "aws-cdk-lib";
import { bucketActions, QUEUE_SEND_ACTIONS, tableActions, writesWith } from "#lib/declaration/iam-actions.ts";
import type { Access } from "#lib/declaration/index.ts";
import type { DocumentBucket } from "./document-bucket.ts";
import type { NodeQueue } from "./secure-queue.ts";
import type { NodeTable } from "./secure-table.ts";

const KMS_DECRYPT = ["kms:Decrypt", "kms:DescribeKey"];
const KMS_ENCRYPT = ["kms:Encrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext"];

function keyStatement(key: kms.IKey, access: Access): iam.PolicyStatement {
  const actions = new Set([...KMS_DECRYPT, ...(writesWith(access) ? KMS_ENCRYPT : [])]);
  return new iam.PolicyStatement({ actions: [...actions], resources: [key.keyArn] });
}

export function tableStatements(table: NodeTable, access: Access): iam.PolicyStatement[] {
  return [new iam.PolicyStatement({ actions: tableActions(access), resources: [table.tableArn] }), keyStatement(table.key, access)];
}

/** The resource ARN is `<bucket>/*` (every object of the bucket): callers acknowledge the IAM5 finding. */
export function bucketStatements(bucket: DocumentBucket, access: Access): iam.PolicyStatement[] {
  const actions = bucketActions(access);
  // SSE-KMS: reading needs Decrypt; writing needs GenerateDataKey (and Decrypt for multipart uploads)
  const keyActions = ["kms:Decrypt", ...(writesWith(access) ? ["kms:GenerateDataKey"] : [])];
  return [
    new iam.PolicyStatement({ actions: actions.objects, resources: [bucket.arnForObjects("*")] }),
    new iam.PolicyStatement({ actions: keyActions, resources: [bucket.key.keyArn] }),
    ...(actions.bucket.length > 0 ? [new iam.PolicyStatement({ actions: actions.bucket, resources: [bucket.bucketArn] })] : []),
  ];
}

/** Sending to an SSE-KMS queue needs GenerateDataKey and Decrypt on its key. */
export function sendStatements(queue: NodeQueue): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({ actions: [...QUEUE_SEND_ACTIONS], resources: [queue.queue.queueArn] }),
    new iam.PolicyStatement({ actions: ["kms:GenerateDataKey", "kms:Decrypt"], resources: [queue.key.keyArn] }),
  ];
}
