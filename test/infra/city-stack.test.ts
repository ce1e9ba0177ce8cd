/** Template assertions for every city stack (test.each over the 11 configured cities). */
import { Match, type Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, test } from "vitest";
import { type CityConfig, PROVINCE } from "#lib/config/province.ts";
import { CITY_DECLARATION } from "#lib/declaration/index.ts";
import { discoveryNames } from "#shared/discovery-names.ts";
import { ENV } from "#shared/env-names.ts";
import {
  expectApi,
  expectEncryptionEverywhere,
  expectFunctionDefaults,
  expectQueues,
  expectQueueTrigger,
  expectTableGrants,
  expectTables,
} from "./support/node-assertions.ts";
import { actionsOn, byTag, functionStatements, resourcesOfType } from "./support/queries.ts";
import { SHARED_SYNTH_TIMEOUT_MS, type SharedProvince, sharedProvince } from "./support/synth.ts";

let province: SharedProvince;
beforeAll(async () => {
  province = await sharedProvince("cn-north-1");
}, SHARED_SYNTH_TIMEOUT_MS);

const templateOf = (city: CityConfig): Template => {
  const stack = province.stacks.cities.find((s) => s.cityId === city.id);
  if (!stack) throw new Error(`no stack for ${city.id}`);
  return province.template(stack);
};
const cities = PROVINCE.cities.map((c) => [c.id, c] as const);
const fn = (id: string) => CITY_DECLARATION.functions.find((f) => f.id === id)!;
const names = discoveryNames(PROVINCE.ssmPrefix);
const queueId = (t: Template, name: string): string => {
  const found = Object.entries(resourcesOfType(t, "AWS::SQS::Queue")).find(([, q]) => q.Properties.QueueName === name);
  if (!found) throw new Error(`no queue ${name}`);
  return found[0];
};

describe.each(cities)("city %s", (cityId, city) => {
  test("stack id and description derive from the city config", () => {
    const stack = province.stacks.cities.find((s) => s.cityId === cityId)!;
    expect(stack.stackName).toBe(`HebeiHealth-City-${city.stackName}`);
    expect(stack.description).toContain(city.adminCode);
  });

  test("outbox table: PITR, KMS, retained", () => expectTables(templateOf(city), CITY_DECLARATION));

  test("push queue and DLQ: named for the city, KMS, redrive, TLS only", () => {
    const t = templateOf(city);
    expectQueues(t, cityId, CITY_DECLARATION);
    expect(queueId(t, `hhc-city-${cityId}-push`)).toBeDefined();
    expect(queueId(t, `hhc-city-${cityId}-push-dlq`)).toBeDefined();
  });

  test("push queue and key admit the hub's push sender role by path, the key only through SQS", () => {
    const t = templateOf(city);
    const pushId = queueId(t, `hhc-city-${cityId}-push`);
    const hubSender = {
      "Fn::Join": ["", ["arn:", { Ref: "AWS::Partition" }, ":iam::", { Ref: "AWS::AccountId" }, ":role/hhc/hub/push-sender/*"]],
    };
    t.hasResourceProperties("AWS::SQS::QueuePolicy", {
      Queues: [{ Ref: pushId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Allow", Action: "sqs:SendMessage", Condition: { ArnLike: { "aws:PrincipalArn": hubSender } } }),
        ]),
      },
    });
    const keyId = (resourcesOfType(t, "AWS::SQS::Queue")[pushId]!.Properties.KmsMasterKeyId as { "Fn::GetAtt": [string] })["Fn::GetAtt"][0];
    t.hasResource("AWS::KMS::Key", {
      Properties: Match.objectLike({
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Action: ["kms:Decrypt", "kms:GenerateDataKey"],
              Condition: { ArnLike: { "aws:PrincipalArn": hubSender }, StringEquals: { "kms:ViaService": Match.anyValue() } },
            }),
          ]),
        },
      }),
    });
    expect(JSON.stringify(resourcesOfType(t, "AWS::KMS::Key")[keyId]?.Properties.KeyPolicy)).toContain("push-sender");
  });

  test("documents bucket: KMS, versioned, no public access, TLS-only policy, access logs, retained", () => {
    const t = templateOf(city);
    const [bucketId, bucket] = byTag(t, "AWS::S3::Bucket", "hhc:bucket", "Documents");
    const [logsId] = byTag(t, "AWS::S3::Bucket", "hhc:role", "access-logs");
    expect(bucket.DeletionPolicy).toBe("Retain");
    expect(bucket.Properties).toMatchObject({
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: { "Fn::GetAtt": [expect.any(String), "Arn"] } } },
        ],
      },
      VersioningConfiguration: { Status: "Enabled" },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LoggingConfiguration: { DestinationBucketName: { Ref: logsId } },
    });
    t.hasResourceProperties("AWS::S3::BucketPolicy", {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Deny", Action: "s3:*", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
        ]),
      },
    });
  });

  test("documents bucket: unpublished uploads expire after a day (every version); published bytes age into cheaper storage and expire by their record's legal period", () => {
    const t = templateOf(city);
    const [, bucket] = byTag(t, "AWS::S3::Bucket", "hhc:bucket", "Documents");
    const rules = (bucket.Properties.LifecycleConfiguration as { Rules: Record<string, unknown>[] }).Rules;
    const rule = (id: string) => rules.find((r) => r.Id === id);
    expect(rule("expire-incoming")).toEqual({
      Id: "expire-incoming",
      Prefix: "incoming/",
      Status: "Enabled",
      ExpirationInDays: 1,
      NoncurrentVersionExpiration: { NoncurrentDays: 1 },
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
    });
    const transitions = [
      { StorageClass: "STANDARD_IA", TransitionInDays: 30 },
      { StorageClass: "GLACIER_IR", TransitionInDays: 365 },
    ];
    // every published document moves by age; a class nobody gave a period is never expired
    expect(rule("published")).toMatchObject({ Prefix: "docs/", Status: "Enabled", Transitions: transitions });
    expect(rule("published")).not.toHaveProperty("ExpirationInDays");
    // a discharge summary belongs to the inpatient record: 30 years (and the leap days)
    expect(rule("inpatient-18842-5")).toMatchObject({
      Prefix: "docs/18842-5/",
      Transitions: transitions,
      ExpirationInDays: 30 * 365 + 8,
      NoncurrentVersionExpiration: { NoncurrentDays: 30 * 365 + 8 },
    });
    // an outpatient summary: 15 years; a laboratory report may belong to either record: the longer
    expect(rule("outpatient-34133-9")).toMatchObject({ Prefix: "docs/34133-9/", ExpirationInDays: 15 * 365 + 4 });
    expect(rule("inpatient-11502-2")).toMatchObject({ ExpirationInDays: 30 * 365 + 8 });
    expect(
      rules
        .filter((r) => r.ExpirationInDays !== undefined && String(r.Prefix).startsWith("docs/"))
        .every((r) => (r.ExpirationInDays as number) >= 15 * 365),
    ).toBe(true);
  });

  test("every key rotates, every log group is encrypted and expires; no inline policies", () => {
    const t = templateOf(city);
    expectEncryptionEverywhere(t);
    expect(Object.keys(resourcesOfType(t, "AWS::IAM::Policy"))).toEqual([]);
  });

  test("functions: Node.js 24 arm64, env names the city, encrypted logs", () => {
    const t = templateOf(city);
    expectFunctionDefaults(t, cityId, CITY_DECLARATION);
    const [, heartbeat] = byTag(t, "AWS::Lambda::Function", "hhc:function", "FepHeartbeat");
    expect((heartbeat.Properties.Environment as { Variables: Record<string, unknown> }).Variables[ENV.nodeId]).toBe(cityId);
  });

  test("every city function keeps the hub's positive practitioner check as the province config says (60 s), as the authorizer's answer is kept", () => {
    // the declaration's functions (they name the city), not CDK's own helpers
    const variables = Object.values(resourcesOfType(templateOf(city), "AWS::Lambda::Function"))
      .map((f) => (f.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {})
      .filter((v) => v[ENV.nodeId] === cityId);
    expect(variables).toHaveLength(CITY_DECLARATION.functions.length);
    const ttls = variables.map((v) => v[ENV.practitionerCacheSeconds]);
    expect(new Set(ttls)).toEqual(new Set([String(PROVINCE.practitionerCacheSeconds)]));
    expect(PROVINCE.practitionerCacheSeconds).toBe(60);
  });

  test("table grants exactly per declaration", () => {
    for (const f of CITY_DECLARATION.functions) expectTableGrants(templateOf(city), CITY_DECLARATION, f);
  });

  test("push consumer: SQS trigger with ReportBatchItemFailures", () =>
    expectQueueTrigger(templateOf(city), cityId, CITY_DECLARATION, fn("PushConsumer")));

  test("outbox sweeper runs every minute", () => {
    const t = templateOf(city);
    const [sweeperId] = byTag(t, "AWS::Lambda::Function", "hhc:function", "OutboxSweeper");
    t.hasResourceProperties("AWS::Events::Rule", {
      ScheduleExpression: "rate(1 minute)",
      State: "ENABLED",
      Targets: [Match.objectLike({ Arn: { "Fn::GetAtt": [sweeperId, "Arn"] } })],
    });
  });

  test("hospital API: authorizer on FEP routes, public health and metadata", () => {
    const t = templateOf(city);
    expectApi(t, CITY_DECLARATION.apis[0]!, city.id);
    expect(Object.keys(resourcesOfType(t, "AWS::ApiGateway::Authorizer"))).toHaveLength(1);
    // documents' bytes are answered as bytes, whatever their content type
    expect(byTag(t, "AWS::ApiGateway::RestApi", "hhc:api", "Hospital")[1].Properties.BinaryMediaTypes).toEqual(["*/*"]);
  });

  test("senders to the hub exchange: the fixed hub queue name, any queue key through SQS only, hub parameters", () => {
    const t = templateOf(city);
    const arn = (service: string, resource: string) => ({
      "Fn::Join": ["", [`arn:aws-cn:${service}:cn-north-1:`, { Ref: "AWS::AccountId" }, resource]],
    });
    for (const f of CITY_DECLARATION.functions) {
      const statements = functionStatements(t, f.id);
      const sends = f.discovery?.includes("send-hub-exchange") ?? false;
      expect(actionsOn(statements, arn("sqs", ":hhc-hub-exchange")), f.id).toEqual(sends ? ["sqs:SendMessage"] : []);
      const reads = f.discovery?.some((d) => d === "send-hub-exchange" || d === "invoke-hub-internal-api") ?? false;
      expect(actionsOn(statements, arn("ssm", ":parameter/hhc/hub/*")), f.id).toEqual(reads ? ["ssm:GetParameter"] : []);
    }
  });

  test("the hospital authorizer may invoke the hub's internal routes; a function without that need may not", () => {
    const t = templateOf(city);
    const invoke = {
      "Fn::Join": ["", ["arn:aws-cn:execute-api:cn-north-1:", { Ref: "AWS::AccountId" }, ":*/*/POST/internal/authenticate"]],
    };
    expect(actionsOn(functionStatements(t, "HospitalAuthorizer"), invoke)).toEqual(["execute-api:Invoke"]);
    expect(actionsOn(functionStatements(t, "PushConsumer"), invoke)).toEqual([]);
    const [, role] =
      Object.entries(resourcesOfType(t, "AWS::IAM::Role")).find(([, r]) => r.Properties.Path === `/hhc/city/${cityId}/`) ?? [];
    expect(role, "function roles carry the city's role path").toBeDefined();
  });

  test("each function may invoke exactly the internal routes its declaration calls, and its role is named for its city", () => {
    const t = templateOf(city);
    const invokable = (f: string) =>
      functionStatements(t, f)
        .filter((s) => s.Action.includes("execute-api:Invoke"))
        .flatMap((s) =>
          s.Resource.map((r) =>
            JSON.stringify(r)
              .match(/:\*\/\*\/([A-Z]+)(\/[^"]*)/)
              ?.slice(1)
              .join(" "),
          ),
        )
        .sort();
    const declared = (calls: string[] = []) => calls.map((c) => c.replace(/\{[^}]+\}/g, "*")).sort();
    for (const f of CITY_DECLARATION.functions) expect(invokable(f.id), f.id).toEqual(declared(f.calls));
    // e.g. the heartbeat function checks practitioners, and may not feed the MPI
    expect(invokable("FepHeartbeat")).toEqual(["POST /internal/practitioner-check"]);
    for (const f of CITY_DECLARATION.functions) {
      const roleId = (byTag(t, "AWS::Lambda::Function", "hhc:function", f.id)[1].Properties.Role as { "Fn::GetAtt": [string] })[
        "Fn::GetAtt"
      ][0];
      const role = resourcesOfType(t, "AWS::IAM::Role")[roleId]!;
      expect(role.Properties.RoleName, f.id).toBe(`hhc-city-${cityId}-${f.id}`);
    }
  });

  test("queue message signing: senders read and create their city's key only, consumers read it", () => {
    const t = templateOf(city);
    const key = { "Fn::Join": ["", ["arn:aws-cn:ssm:cn-north-1:", { Ref: "AWS::AccountId" }, `:parameter/hhc/keys/city/${cityId}`]] };
    expect(actionsOn(functionStatements(t, "FepHeartbeat"), key)).toEqual(["ssm:GetParameter", "ssm:PutParameter"]);
    expect(actionsOn(functionStatements(t, "PushConsumer"), key)).toEqual(["ssm:GetParameter"]);
    expect(JSON.stringify(t.toJSON())).not.toContain("parameter/hhc/keys/city/*");
  });

  test("settlement signing: the claim senders create their city's Ed25519 key pair and publish its public key; nobody else touches them", () => {
    const t = templateOf(city);
    const key = (path: string) => ({
      "Fn::Join": ["", ["arn:aws-cn:ssm:cn-north-1:", { Ref: "AWS::AccountId" }, `:parameter/hhc/keys/${path}`]],
    });
    for (const sender of ["Claims", "ClaimSweeper"]) {
      expect(actionsOn(functionStatements(t, sender), key(`private/city/${cityId}`)), sender).toEqual([
        "ssm:GetParameter",
        "ssm:PutParameter",
      ]);
      expect(actionsOn(functionStatements(t, sender), key(`public/city/${cityId}`)), sender).toEqual([
        "ssm:GetParameter",
        "ssm:PutParameter",
      ]);
    }
    expect(actionsOn(functionStatements(t, "FepHeartbeat"), key(`private/city/${cityId}`))).toEqual([]);
    expect(JSON.stringify(t.toJSON())).not.toContain("parameter/hhc/keys/private/city/*");
  });

  test("publishes the unique ids of the roles that send to the hub's queues (SenderId), and leaves the SenderId check to the hub", () => {
    const t = templateOf(city);
    const roleIds = resourcesOfType(t, "AWS::SSM::Parameter");
    const published = Object.values(roleIds).find((p) => p.Properties.Name === names.citySenderRoleIds(cityId));
    expect(published).toBeDefined();
    const joined = published!.Properties.Value as { "Fn::Join": [string, { "Fn::GetAtt": [string, string] }[]] };
    expect(joined["Fn::Join"][0]).toBe(",");
    const senders = CITY_DECLARATION.functions.filter((f) => (f.discovery ?? []).some((d) => d.startsWith("send-hub-")));
    const roleOf = (id: string) =>
      (byTag(t, "AWS::Lambda::Function", "hhc:function", id)[1].Properties.Role as { "Fn::GetAtt": [string] })["Fn::GetAtt"][0];
    expect(joined["Fn::Join"][1]).toEqual(senders.map((f) => ({ "Fn::GetAtt": [roleOf(f.id), "RoleId"] })));
    expect(senders.map((f) => f.id)).toEqual(expect.arrayContaining(["FepHeartbeat", "OutboxSweeper", "Claims"]));
    // a city's push consumer checks the hub's signature only (the hub publishes no role ids)
    const [, push] = byTag(t, "AWS::Lambda::Function", "hhc:function", "PushConsumer");
    expect((push.Properties.Environment as { Variables: Record<string, unknown> }).Variables[ENV.checkSenderId]).toBeUndefined();
  });

  test("discovery parameters for this city", () => {
    const t = templateOf(city);
    const pushId = queueId(t, `hhc-city-${cityId}-push`);
    const push = resourcesOfType(t, "AWS::SQS::Queue")[pushId]!;
    t.hasResourceProperties("AWS::SSM::Parameter", { Name: names.cityPushQueueUrl(cityId), Value: { Ref: pushId } });
    t.hasResourceProperties("AWS::SSM::Parameter", { Name: names.cityPushQueueArn(cityId), Value: { "Fn::GetAtt": [pushId, "Arn"] } });
    t.hasResourceProperties("AWS::SSM::Parameter", {
      Name: names.cityPushKeyArn(cityId),
      Value: push.Properties.KmsMasterKeyId as Record<string, unknown>,
    });
    const [apiId] = byTag(t, "AWS::ApiGateway::RestApi", "hhc:api", "Hospital");
    const apiUrl = Object.values(resourcesOfType(t, "AWS::SSM::Parameter")).find((p) => p.Properties.Name === names.cityApiUrl(cityId));
    expect(JSON.stringify(apiUrl?.Properties.Value)).toContain(`{"Ref":"${apiId}"}`);
    expect(
      Object.values(resourcesOfType(t, "AWS::SSM::Parameter")).every((p) =>
        (p.Properties.Name as string).startsWith(`/hhc/cities/${cityId}/`),
      ),
    ).toBe(true);
  });
});
