/**
 * The document bucket (clinical documents: customer-managed KMS key, versioned, TLS 1.2+ only,
 * no public access, retained, the declared expiries as lifecycle rules) and the bucket that receives its S3 server access logs.
 */
import { Duration, aws_kms as kms, RemovalPolicy, aws_s3 as s3, Tags } from "aws-cdk-lib";
import type { Construct } from "constructs";
import type { BucketDeclaration } from "#lib/declaration/index.ts";
import { acknowledge } from "./nag.ts";

const REPLICATION_REASON =
  "No cross-region replication: health data stays in the deployment region (data residency); durability from S3's multi-AZ storage and versioning";

const secureDefaults = {
  enforceSSL: true,
  minimumTLSVersion: 1.2,
  versioned: true,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
  removalPolicy: RemovalPolicy.RETAIN,
} as const;

/** Target of server access logs: SSE-S3, because S3 cannot deliver access logs to an SSE-KMS bucket. */
export class AccessLogsBucket extends s3.Bucket {
  constructor(scope: Construct, id: string) {
    super(scope, id, {
      ...secureDefaults,
      encryption: s3.BucketEncryption.S3_MANAGED,
      lifecycleRules: [{ expiration: Duration.days(365), noncurrentVersionExpiration: Duration.days(30) }],
    });
    Tags.of(this).add("hhc:role", "access-logs");
    acknowledge(this, {
      "HIPAA.Security-S3DefaultEncryptionKMS":
        "S3 delivers server access logs only to SSE-S3 buckets; it holds request metadata, no documents",
      "HIPAA.Security-S3BucketReplicationEnabled": REPLICATION_REASON,
    });
  }
}

export interface DocumentBucketProps {
  declaration: BucketDeclaration;
  accessLogs: s3.IBucket;
}

export class DocumentBucket extends s3.Bucket {
  readonly declaration: BucketDeclaration;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, { declaration, accessLogs }: DocumentBucketProps) {
    const key = new kms.Key(scope, `${id}Key`, {
      description: `S3 bucket ${declaration.id}: ${declaration.description}`,
      enableKeyRotation: true,
    });
    super(scope, id, {
      ...secureDefaults,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      bucketKeyEnabled: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: `${declaration.id}/`,
      // the declaration's expiries (unpublished uploads): current and noncurrent versions, and unfinished multipart uploads
      lifecycleRules: [
        ...(declaration.expire ?? []).map(({ prefix, days }) => ({
          id: `expire-${prefix.replace(/[^A-Za-z0-9]/g, "")}`,
          prefix,
          expiration: Duration.days(days),
          noncurrentVersionExpiration: Duration.days(days),
          abortIncompleteMultipartUploadAfter: Duration.days(days),
        })),
        // published bytes by age and document class (lib/declaration/retention.ts): storage classes, then the record's legal period
        ...(declaration.archive ?? []).map(({ id, prefix, transitions, expireDays }) => ({
          id,
          prefix,
          transitions: transitions.map((t) => ({
            storageClass: new s3.StorageClass(t.storageClass),
            transitionAfter: Duration.days(t.days),
          })),
          noncurrentVersionTransitions: transitions.map((t) => ({
            storageClass: new s3.StorageClass(t.storageClass),
            transitionAfter: Duration.days(t.days),
          })),
          ...(expireDays ? { expiration: Duration.days(expireDays), noncurrentVersionExpiration: Duration.days(expireDays) } : {}),
        })),
      ],
    });
    this.declaration = declaration;
    this.key = key;
    Tags.of(this).add("hhc:bucket", declaration.id);
    acknowledge(this, { "HIPAA.Security-S3BucketReplicationEnabled": REPLICATION_REASON });
  }
}
