/** Template assertions for HebeiHealth-Hub (synthesized for cn-north-1, account-agnostic). */
import { Match, type Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, test } from "vitest";
import { PROVINCE } from "#lib/config/province.ts";
import { HUB_DECLARATION } from "#lib/declaration/index.ts";
import { discoveryNames } from "#shared/discovery-names.ts";
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
import { synthProvince } from "./support/synth.ts";

let t: Template;
beforeAll(() => {
  const province = synthProvince("cn-north-1");
  t = province.template(province.stacks.hub);
});

const queueLogicalId = (name: string): string => {
  const found = Object.entries(resourcesOfType(t, "AWS::SQS::Queue")).find(([, q]) => q.Properties.QueueName === name);
  if (!found) throw new Error(`no queue ${name}`);
  return found[0];
};
const fnRoleId = (functionId: string): string =>
  (byTag(t, "AWS::Lambda::Function", "hhc:function", functionId)[1].Properties.Role as { "Fn::GetAtt": [string] })["Fn::GetAtt"][0];

describe("hub state", () => {
  test("tables: on-demand, PITR, customer-managed KMS, deletion protection, retained", () => {
    expectTables(t, HUB_DECLARATION);
    expect(Object.keys(resourcesOfType(t, "AWS::DynamoDB::Table"))).toHaveLength(HUB_DECLARATION.tables.length);
  });

  test("queues: KMS, DLQ redrive with maxReceiveCount, TLS-only policies", () => expectQueues(t, "hub", HUB_DECLARATION));

  test("settlement is FIFO without content-based deduplication, and so is its DLQ", () => {
    const settlement = resourcesOfType(t, "AWS::SQS::Queue")[queueLogicalId("hhc-hub-settlement.fifo")]!;
    const dlqId = queueLogicalId("hhc-hub-settlement-dlq.fifo");
    expect(settlement.Properties).toMatchObject({
      FifoQueue: true,
      ContentBasedDeduplication: false,
      RedrivePolicy: { deadLetterTargetArn: { "Fn::GetAtt": [dlqId, "Arn"] } },
    });
    expect(resourcesOfType(t, "AWS::SQS::Queue")[dlqId]?.Properties.FifoQueue).toBe(true);
    expect(resourcesOfType(t, "AWS::SQS::Queue")[queueLogicalId("hhc-hub-exchange")]?.Properties.FifoQueue).toBeUndefined();
  });

  test("the exchange queue and its key admit the cities' roles (by role path), the key only through SQS", () => {
    const exchangeId = queueLogicalId("hhc-hub-exchange");
    const cityRoles = { "Fn::Join": ["", ["arn:", { Ref: "AWS::Partition" }, ":iam::", { Ref: "AWS::AccountId" }, ":role/hhc/city/*"]] };
    t.hasResourceProperties("AWS::SQS::QueuePolicy", {
      Queues: [{ Ref: exchangeId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Allow", Action: "sqs:SendMessage", Condition: { ArnLike: { "aws:PrincipalArn": cityRoles } } }),
        ]),
      },
    });
    const keyId = (resourcesOfType(t, "AWS::SQS::Queue")[exchangeId]!.Properties.KmsMasterKeyId as { "Fn::GetAtt": [string] })[
      "Fn::GetAtt"
    ][0];
    const keyPolicy = JSON.stringify(resourcesOfType(t, "AWS::KMS::Key")[keyId]!.Properties.KeyPolicy);
    expect(keyPolicy).toContain(":role/hhc/city/*");
    expect(keyPolicy).toContain('"kms:ViaService"');
  });

  test("every key rotates, every log group is encrypted and expires", () => expectEncryptionEverywhere(t));
});

describe("hub services", () => {
  test("functions: Node.js 24 on arm64, no X-Ray, env from env-names, encrypted log groups", () =>
    expectFunctionDefaults(t, "hub", HUB_DECLARATION));

  test.each(HUB_DECLARATION.functions.map((f) => [f.id, f] as const))("%s: table grants exactly per declaration", (_id, f) =>
    expectTableGrants(t, HUB_DECLARATION, f),
  );

  test("the exchange consumer is triggered by the exchange queue with partial batch failures", () => {
    expectQueueTrigger(t, "hub", HUB_DECLARATION, HUB_DECLARATION.functions.find((f) => f.id === "ExchangeConsumer")!);
  });

  test("the push sender may send to any city push queue, use queue keys only via SQS, and read city discovery parameters", () => {
    const statements = functionStatements(t, "ExchangeConsumer");
    const arn = (service: string, resource: string) => ({
      "Fn::Join": ["", [`arn:aws-cn:${service}:cn-north-1:`, { Ref: "AWS::AccountId" }, resource]],
    });
    expect(actionsOn(statements, arn("sqs", ":hhc-city-*-push"))).toEqual(["sqs:SendMessage"]);
    expect(actionsOn(statements, arn("ssm", ":parameter/hhc/cities/*"))).toEqual(["ssm:GetParameter"]);
    const keyStatement = statements.find((s) => JSON.stringify(s.Resource) === JSON.stringify([arn("kms", ":key/*")]));
    expect(keyStatement?.Action.sort()).toEqual(["kms:Decrypt", "kms:GenerateDataKey"]);
    expect(JSON.stringify(keyStatement?.Condition)).toContain('"sqs.",{"Ref":"AWS::Region"},".",{"Ref":"AWS::URLSuffix"}');
    t.hasResourceProperties("AWS::IAM::Role", { Path: "/hhc/hub/push-sender/" });
    expect(resourcesOfType(t, "AWS::IAM::Role")[fnRoleId("ExchangeConsumer")]?.Properties.Path).toBe("/hhc/hub/push-sender/");
    expect(resourcesOfType(t, "AWS::IAM::Role")[fnRoleId("Connections")]?.Properties.Path).toBe("/hhc/hub/");
  });

  test("no inline IAM policies (HIPAA): every grant is in a customer-managed policy", () => {
    expect(Object.keys(resourcesOfType(t, "AWS::IAM::Policy"))).toEqual([]);
  });

  test.each(HUB_DECLARATION.apis.map((a) => [a.id, a] as const))(
    "%s API: routes, auth, gateway responses, throttled logged stage, usage plan, WAF",
    (_id, api) => expectApi(t, api),
  );

  test("the internal API is IAM-authorized; the operator API's authorizer is the OperatorAuthorizer", () => {
    const methods = Object.values(resourcesOfType(t, "AWS::ApiGateway::Method"));
    const [internalId] = byTag(t, "AWS::ApiGateway::RestApi", "hhc:api", "Internal");
    const internal = methods.filter((m) => (m.Properties.RestApiId as { Ref: string }).Ref === internalId);
    const internalRoutes = HUB_DECLARATION.apis.find((a) => a.id === "Internal")!.routes;
    expect(internal).toHaveLength(internalRoutes.length);
    expect(new Set(internal.map((m) => m.Properties.AuthorizationType))).toEqual(new Set(["AWS_IAM"]));
    const [authorizerFnId] = byTag(t, "AWS::Lambda::Function", "hhc:function", "OperatorAuthorizer");
    const authorizers = Object.values(resourcesOfType(t, "AWS::ApiGateway::Authorizer"));
    expect(authorizers).toHaveLength(1);
    expect(JSON.stringify(authorizers[0]?.Properties.AuthorizerUri)).toContain(`"${authorizerFnId}"`);
  });
});

describe("hub discovery parameters (SSM, no CloudFormation exports)", () => {
  const names = discoveryNames(PROVINCE.ssmPrefix);

  test.each([
    [names.hubExchangeQueueUrl, () => ({ Ref: queueLogicalId("hhc-hub-exchange") })],
    [names.hubExchangeQueueArn, () => ({ "Fn::GetAtt": [queueLogicalId("hhc-hub-exchange"), "Arn"] })],
    [
      names.hubExchangeKeyArn,
      () => resourcesOfType(t, "AWS::SQS::Queue")[queueLogicalId("hhc-hub-exchange")]!.Properties.KmsMasterKeyId as Record<string, unknown>,
    ],
    [names.hubAuditQueueUrl, () => ({ Ref: queueLogicalId("hhc-hub-audit") })],
    [names.hubAuditQueueArn, () => ({ "Fn::GetAtt": [queueLogicalId("hhc-hub-audit"), "Arn"] })],
    [names.hubInternalApiId, () => ({ Ref: byTag(t, "AWS::ApiGateway::RestApi", "hhc:api", "Internal")[0] })],
  ])("%s", (name, value) => {
    t.hasResourceProperties("AWS::SSM::Parameter", { Name: name, Type: "String", Value: value() });
  });

  test(`${names.hubInternalApiUrl} is the internal API's stage URL`, () => {
    const [internalId] = byTag(t, "AWS::ApiGateway::RestApi", "hhc:api", "Internal");
    const param = Object.values(resourcesOfType(t, "AWS::SSM::Parameter")).find((p) => p.Properties.Name === names.hubInternalApiUrl);
    expect(JSON.stringify(param?.Properties.Value)).toContain(`{"Ref":"${internalId}"}`);
    expect(JSON.stringify(param?.Properties.Value)).toContain("execute-api");
  });
});
