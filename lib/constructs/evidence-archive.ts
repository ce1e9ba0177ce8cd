/**
 * The department exchange's evidence log in AWS (docs/departments.md#evidence-log), in the hub's core stack
 * beside the exchange:
 * - the evidence key: a KMS asymmetric signing key, ECC_NIST_P256 (ECDSA_SHA_256), SM2 (SM2DSA) in the
 *   China partition (a CloudFormation condition on the partition), retained; the sealer may Sign, the
 *   evidence reader GetPublicKey and Verify, nothing else;
 * - the archive: an S3 bucket with Object Lock in compliance mode (default retention PROVINCE.evidenceRetentionDays),
 *   versioned, encrypted with a key of its own, TLS only, no public access, server access logs to a log bucket,
 *   retained; the sealer may only put objects;
 * - an alarm on the sealer's EvidenceSealAgeSeconds: missing for 15 minutes (no successful run) or over 5
 *   minutes between runs, well before the exchange fails closed at 4 hours.
 */
import {
  Aws,
  aws_cloudwatch_actions as actions,
  CfnCondition,
  aws_cloudwatch as cloudwatch,
  Duration,
  Fn,
  aws_iam as iam,
  aws_kms as kms,
  RemovalPolicy,
  aws_s3 as s3,
  Tags,
} from "aws-cdk-lib";
import { Construct } from "constructs";
import { PROVINCE } from "#lib/config/province.ts";
import { EVIDENCE_ARCHIVE_ACTIONS } from "#lib/declaration/iam-actions.ts";
import { ENV } from "#shared/env-names.ts";
import { AccessLogsBucket } from "./document-bucket.ts";
import { acknowledge, acknowledgeWildcards } from "./nag.ts";
import type { NodeFunction } from "./node-function.ts";
import type { OpsAlarms } from "./ops-alarms.ts";

export interface EvidenceArchiveProps {
  sealer: NodeFunction;
  reader: NodeFunction;
  alarms: OpsAlarms;
  /** Days of Object Lock retention (compliance mode) */
  retentionDays?: number;
}

const REPLICATION_REASON =
  "No cross-region replication: the evidence stays in the deployment region (data residency); durability from S3's multi-AZ storage, versioning and Object Lock";

export class EvidenceArchive extends Construct {
  readonly bucket: s3.Bucket;
  readonly signingKey: kms.CfnKey;
  readonly alarm: cloudwatch.Alarm;

  constructor(
    scope: Construct,
    id: string,
    { sealer, reader, alarms, retentionDays = PROVINCE.evidenceRetentionDays }: EvidenceArchiveProps,
  ) {
    super(scope, id);
    const china = new CfnCondition(this, "ChinaPartition", { expression: Fn.conditionEquals(Aws.PARTITION, "aws-cn") });
    this.signingKey = new kms.CfnKey(this, "SigningKey", {
      description: "Signs the department exchange's evidence batch heads (docs/departments.md#evidence-log)",
      keySpec: Fn.conditionIf(china.logicalId, "SM2", "ECC_NIST_P256").toString(),
      keyUsage: "SIGN_VERIFY",
      keyPolicy: {
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "AccountAdministers",
            Effect: "Allow",
            Principal: { AWS: `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:root` },
            Action: "kms:*",
            Resource: "*",
          },
        ],
      },
    });
    this.signingKey.applyRemovalPolicy(RemovalPolicy.RETAIN);
    const algorithm = Fn.conditionIf(china.logicalId, "SM2DSA", "ECDSA_SHA_256").toString();
    const signingKeyArn = this.signingKey.attrArn;

    const bucketKey = new kms.Key(this, "BucketKey", {
      description: "The department exchange's evidence archive (S3, Object Lock)",
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const accessLogs = new AccessLogsBucket(this, "AccessLogs");
    this.bucket = new s3.Bucket(this, "Bucket", {
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      objectLockEnabled: true,
      objectLockDefaultRetention: s3.ObjectLockRetention.compliance(Duration.days(retentionDays)),
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: bucketKey,
      bucketKeyEnabled: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: "Evidence/",
    });
    Tags.of(this.bucket).add("hhc:bucket", "Evidence");
    acknowledge(this.bucket, { "HIPAA.Security-S3BucketReplicationEnabled": REPLICATION_REASON });

    // the sealer: Sign with the evidence key, put objects in the archive (never delete: Object Lock refuses it anyway)
    const objects = this.bucket.arnForObjects("*");
    sealer.addToRolePolicy(new iam.PolicyStatement({ actions: ["kms:Sign"], resources: [signingKeyArn] }));
    sealer.addToRolePolicy(new iam.PolicyStatement({ actions: [...EVIDENCE_ARCHIVE_ACTIONS], resources: [objects] }));
    sealer.addToRolePolicy(new iam.PolicyStatement({ actions: ["kms:GenerateDataKey", "kms:Decrypt"], resources: [bucketKey.keyArn] }));
    acknowledgeWildcards(sealer.role!, [
      { resource: objects, reason: "One object per sealed batch, named at run time; objects of this one bucket only, put only" },
    ]);
    sealer.addEnvironment(ENV.evidenceBucket, this.bucket.bucketName);
    // the reader: the evidence key's public half (and Verify, for SM2 heads that node:crypto cannot check)
    reader.addToRolePolicy(new iam.PolicyStatement({ actions: ["kms:GetPublicKey", "kms:Verify"], resources: [signingKeyArn] }));
    for (const fn of [sealer, reader]) {
      fn.addEnvironment(ENV.evidenceKeyId, signingKeyArn);
      fn.addEnvironment(ENV.evidenceAlgorithm, algorithm);
    }

    const age = new cloudwatch.Metric({
      namespace: "HebeiHealthCloud",
      metricName: "EvidenceSealAgeSeconds",
      dimensionsMap: { node: "hub" },
      statistic: "Maximum",
      period: Duration.minutes(5),
    });
    this.alarm = age.createAlarm(this, "SealAge", {
      alarmDescription:
        "The evidence sealer has not sealed for over 5 minutes (or reported nothing for 15): at 4 hours the department exchange refuses messages and holds deliveries (fail closed)",
      threshold: 300,
      evaluationPeriods: 3,
      datapointsToAlarm: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    this.alarm.addAlarmAction(new actions.SnsAction(alarms.topic));
  }
}
