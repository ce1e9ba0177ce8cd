/**
 * The department exchange's evidence log in the hub's core stack (lib/constructs/evidence-archive.ts): the
 * Object Lock archive bucket, the asymmetric signing key (SM2 in the China partition, P-256 elsewhere),
 * least-privilege grants (the sealer signs and puts, the reader reads the public key), and the sealer's alarm.
 */
import type { Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, test } from "vitest";
import { PROVINCE } from "#lib/config/province.ts";
import { ENV } from "#shared/env-names.ts";
import { actionsOn, byTag, functionStatements, resourcesOfType } from "./support/queries.ts";
import { SHARED_SYNTH_TIMEOUT_MS, sharedProvince } from "./support/synth.ts";

let t: Template;
/** The Exchange stack: the delivery consumer lives there, beside the capabilities it answers (docs/departments.md) */
let exchange: Template;
beforeAll(async () => {
  const province = await sharedProvince("cn-north-1");
  t = province.template(province.stacks.hubStacks.find((s) => s.hubStack === "core")!);
  exchange = province.template(province.stacks.hubStacks.find((s) => s.hubStack === "exchange")!);
}, SHARED_SYNTH_TIMEOUT_MS);

const keyId = () => {
  const keys = Object.entries(resourcesOfType(t, "AWS::KMS::Key")).filter(([, k]) => k.Properties.KeyUsage === "SIGN_VERIFY");
  expect(keys).toHaveLength(1);
  return keys[0]!;
};

describe("the evidence archive", () => {
  test("has Object Lock in compliance mode with the configured retention, versioning, its own KMS key and access logs", () => {
    const [, bucket] = byTag(t, "AWS::S3::Bucket", "hhc:bucket", "Evidence");
    expect(PROVINCE.evidenceRetentionDays).toBe(3650);
    expect(bucket.Properties.ObjectLockEnabled).toBe(true);
    expect(bucket.Properties.ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: "Enabled",
      Rule: { DefaultRetention: { Mode: "COMPLIANCE", Days: PROVINCE.evidenceRetentionDays } },
    });
    expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: "Enabled" });
    const encryption = JSON.stringify(bucket.Properties.BucketEncryption);
    expect(encryption).toContain("aws:kms");
    expect(encryption).toContain("KMSMasterKeyID");
    expect((bucket.Properties.LoggingConfiguration as { LogFilePrefix: string }).LogFilePrefix).toBe("Evidence/");
    expect(bucket.DeletionPolicy).toBe("Retain");
  });

  test("is signed by an asymmetric key: SM2 in the China partition, ECC P-256 elsewhere, retained", () => {
    const [, key] = keyId();
    expect(JSON.stringify(key.Properties.KeySpec)).toMatch(/Fn::If.*"SM2","ECC_NIST_P256"/);
    expect(key.DeletionPolicy).toBe("Retain");
  });

  test("grants the sealer Sign and object puts only, and the reader the public key and Verify only", () => {
    const [id] = keyId();
    const keyArn = { "Fn::GetAtt": [id, "Arn"] };
    expect(actionsOn(functionStatements(t, "EvidenceSealer"), keyArn)).toEqual(["kms:Sign"]);
    expect(actionsOn(functionStatements(t, "EvidenceReader"), keyArn)).toEqual(["kms:GetPublicKey", "kms:Verify"]);
    expect(actionsOn(functionStatements(t, "DepartmentMessages"), keyArn)).toEqual([]);
    // the delivery consumer writes entries and signs nothing
    expect(
      functionStatements(exchange, "DepartmentDelivery")
        .flatMap((s) => s.Action)
        .filter((a) => a.startsWith("kms:Sign")),
    ).toEqual([]);
    const sealerActions = functionStatements(t, "EvidenceSealer").flatMap((s) => s.Action);
    expect(sealerActions).toContain("s3:PutObject");
    expect(sealerActions.filter((a) => a.startsWith("s3:"))).toEqual(["s3:PutObject"]);
    const [, sealer] = byTag(t, "AWS::Lambda::Function", "hhc:function", "EvidenceSealer");
    const env = (sealer.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(env[ENV.evidenceKeyId]).toEqual(keyArn);
    expect(JSON.stringify(env[ENV.evidenceAlgorithm])).toMatch(/"SM2DSA","ECDSA_SHA_256"/);
  });

  test("alarms when the sealer reports nothing or seals late (before the 4-hour fail-closed rule)", () => {
    const alarm = Object.values(resourcesOfType(t, "AWS::CloudWatch::Alarm")).find(
      (a) => a.Properties.MetricName === "EvidenceSealAgeSeconds",
    );
    expect(alarm?.Properties).toMatchObject({ TreatMissingData: "breaching", Threshold: 300, ComparisonOperator: "GreaterThanThreshold" });
  });
});
