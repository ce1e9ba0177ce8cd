/** Template assertions for the hub's stacks, HebeiHealth-Hub and the capability stacks (synthesized for cn-north-1, account-agnostic). */
import { Match, type Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, test } from "vitest";
import { PROVINCE } from "#lib/config/province.ts";
import { hubStackParameters } from "#lib/constructs/hub-stack-parameters.ts";
import { HUB_API_MOUNTS, HUB_DECLARATION, HUB_STACK_IDS, type HubStackId, hubStackDeclaration } from "#lib/declaration/index.ts";
import { hubStackName } from "#lib/stacks/hub-stack.ts";
import { discoveryNames, queuePhysicalName } from "#shared/discovery-names.ts";
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
import { actionsOn, byTag, functionStatements, methodsOf, resourcesOfType, routes } from "./support/queries.ts";
import { SHARED_SYNTH_TIMEOUT_MS, sharedProvince } from "./support/synth.ts";

/** The core stack's template */
let t: Template;
const templates = new Map<HubStackId, Template>();
beforeAll(async () => {
  const province = await sharedProvince("cn-north-1");
  for (const stack of province.stacks.hubStacks) templates.set(stack.hubStack, province.template(stack));
  t = templates.get("core")!;
}, SHARED_SYNTH_TIMEOUT_MS);
const templateOf = (s: HubStackId): Template => templates.get(s)!;
/** The hub stack whose declaration holds the function `id` */
const stackOfFunction = (id: string): HubStackId => HUB_STACK_IDS.find((s) => hubStackDeclaration(s).functions.some((f) => f.id === id))!;

const queueLogicalId = (t: Template, name: string): string => {
  const found = Object.entries(resourcesOfType(t, "AWS::SQS::Queue")).find(([, q]) => q.Properties.QueueName === name);
  if (!found) throw new Error(`no queue ${name}`);
  return found[0];
};
const fnRoleId = (t: Template, functionId: string): string =>
  (byTag(t, "AWS::Lambda::Function", "hhc:function", functionId)[1].Properties.Role as { "Fn::GetAtt": [string] })["Fn::GetAtt"][0];

describe.each(HUB_STACK_IDS.map((s) => [hubStackName(s), s] as const))("%s", (_name, hubStack) => {
  const decl = hubStackDeclaration(hubStack);

  test("tables: on-demand, PITR, customer-managed KMS, deletion protection, retained", () => {
    expectTables(templateOf(hubStack), decl);
    expect(Object.keys(resourcesOfType(templateOf(hubStack), "AWS::DynamoDB::Table"))).toHaveLength(decl.tables.length);
  });

  test("queues: KMS, DLQ redrive with maxReceiveCount, TLS-only policies", () => expectQueues(templateOf(hubStack), "hub", decl));

  test("every key rotates, every log group is encrypted and expires", () => expectEncryptionEverywhere(templateOf(hubStack)));

  test("functions: Node.js 24 on arm64, no X-Ray, env from env-names, encrypted log groups", () =>
    expectFunctionDefaults(templateOf(hubStack), "hub", decl));

  test.each(decl.functions.map((f) => [f.id, f] as const))("%s: table grants exactly per declaration", (_id, f) =>
    expectTableGrants(templateOf(hubStack), decl, f),
  );

  test("no inline IAM policies (HIPAA): every grant is in a customer-managed policy", () => {
    expect(Object.keys(resourcesOfType(templateOf(hubStack), "AWS::IAM::Policy"))).toEqual([]);
  });

  test("no export, no import: earlier hub stacks are read through SSM parameters only", () => {
    const json = JSON.stringify(templateOf(hubStack).toJSON());
    expect(json).not.toContain("Fn::ImportValue");
    expect(json).not.toContain('"Export"');
  });
});

describe("hub state", () => {
  test("settlement is FIFO without content-based deduplication, and so is its DLQ", () => {
    const st = templateOf("settlement");
    const settlement = resourcesOfType(st, "AWS::SQS::Queue")[queueLogicalId(st, "hhc-hub-settlement.fifo")]!;
    const dlqId = queueLogicalId(st, "hhc-hub-settlement-dlq.fifo");
    expect(settlement.Properties).toMatchObject({
      FifoQueue: true,
      ContentBasedDeduplication: false,
      RedrivePolicy: { deadLetterTargetArn: { "Fn::GetAtt": [dlqId, "Arn"] } },
    });
    expect(resourcesOfType(st, "AWS::SQS::Queue")[dlqId]?.Properties.FifoQueue).toBe(true);
    const et = templateOf("exchange");
    expect(resourcesOfType(et, "AWS::SQS::Queue")[queueLogicalId(et, "hhc-hub-exchange")]?.Properties.FifoQueue).toBeUndefined();
  });

  test.each([
    ["exchange", "hhc-hub-exchange"],
    ["core", "hhc-hub-audit"],
    ["settlement", "hhc-hub-settlement.fifo"],
  ] as const)("%s: %s and its key admit the cities' roles (by role path), the key only through SQS", (hubStack, name) => {
    const st = templateOf(hubStack);
    const queueId = queueLogicalId(st, name);
    const cityRoles = { "Fn::Join": ["", ["arn:", { Ref: "AWS::Partition" }, ":iam::", { Ref: "AWS::AccountId" }, ":role/hhc/city/*"]] };
    st.hasResourceProperties("AWS::SQS::QueuePolicy", {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Allow", Action: "sqs:SendMessage", Condition: { ArnLike: { "aws:PrincipalArn": cityRoles } } }),
        ]),
      },
    });
    const keyId = (resourcesOfType(st, "AWS::SQS::Queue")[queueId]!.Properties.KmsMasterKeyId as { "Fn::GetAtt": [string] })[
      "Fn::GetAtt"
    ][0];
    const keyPolicy = JSON.stringify(resourcesOfType(st, "AWS::KMS::Key")[keyId]!.Properties.KeyPolicy);
    expect(keyPolicy).toContain(":role/hhc/city/*");
    expect(keyPolicy).toContain('"kms:ViaService"');
  });
});

describe("hub services", () => {
  test("the exchange consumer is triggered by the exchange queue with partial batch failures", () => {
    expectQueueTrigger(
      templateOf("exchange"),
      "hub",
      hubStackDeclaration("exchange"),
      HUB_DECLARATION.functions.find((f) => f.id === "ExchangeConsumer")!,
    );
  });

  test("a function using a table of an earlier hub stack gets its name and key from that stack's SSM parameters", () => {
    const et = templateOf("exchange");
    const parameters = et.toJSON().Parameters as Record<string, { Type: string; Default: string }>;
    const [connections] = Object.entries(parameters).find(([, p]) => p.Default === hubStackParameters.table("Connections"))!;
    const [coreKey] = Object.entries(parameters).find(([, p]) => p.Default === hubStackParameters.tablesKeyArn("core"))!;
    expect(parameters[connections]?.Type).toBe("AWS::SSM::Parameter::Value<String>");
    const [, fn] = byTag(et, "AWS::Lambda::Function", "hhc:function", "ExchangeConsumer");
    expect((fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables.HHC_TABLE_CONNECTIONS).toEqual({
      Ref: connections,
    });
    const statements = functionStatements(et, "ExchangeConsumer");
    expect(JSON.stringify(statements)).toContain(`{"Ref":"${coreKey}"}`);
    expect(JSON.stringify(statements)).toContain(`":table/",{"Ref":"${connections}"}`);
    // and the core publishes them
    t.hasResourceProperties("AWS::SSM::Parameter", { Name: hubStackParameters.table("Connections"), Type: "String" });
    t.hasResourceProperties("AWS::SSM::Parameter", { Name: hubStackParameters.tablesKeyArn("core"), Type: "String" });
  });

  test("a function consuming a queue of an earlier hub stack: the queue by its fixed name, its key from that stack's SSM parameter", () => {
    const et = templateOf("exchange");
    expect(stackOfFunction("DepartmentDelivery")).toBe("exchange");
    // the queue stays core's: no queue of that name in the Exchange stack
    const name = queuePhysicalName("hub", "DepartmentDelivery", { fifo: false });
    expect(() => queueLogicalId(et, name)).toThrow();
    queueLogicalId(t, name);
    const parameters = et.toJSON().Parameters as Record<string, { Type: string; Default: string }>;
    const [queueKey] = Object.entries(parameters).find(([, p]) => p.Default === hubStackParameters.queueKeyArn("DepartmentDelivery"))!;
    const [, fn] = byTag(et, "AWS::Lambda::Function", "hhc:function", "DepartmentDelivery");
    const mappings = Object.values(resourcesOfType(et, "AWS::Lambda::EventSourceMapping")).filter((m) =>
      JSON.stringify(m.Properties.FunctionName).includes(byTag(et, "AWS::Lambda::Function", "hhc:function", "DepartmentDelivery")[0]),
    );
    expect(mappings).toHaveLength(1);
    expect(JSON.stringify(mappings[0]!.Properties.EventSourceArn)).toContain(`:${name}"`);
    const statements = JSON.stringify(functionStatements(et, "DepartmentDelivery"));
    expect(statements).toContain("sqs:ReceiveMessage");
    expect(statements).toContain(`{"Ref":"${queueKey}"}`);
    expect(fn.Properties.ReservedConcurrentExecutions).toBeGreaterThan(0);
    // and the core publishes the key
    t.hasResourceProperties("AWS::SSM::Parameter", { Name: hubStackParameters.queueKeyArn("DepartmentDelivery"), Type: "String" });
  });

  test("the health cards' province secret: a generated, retained Secrets Manager secret under a key of its own, read by the HealthCard function alone", () => {
    const stack = stackOfFunction("HealthCard");
    const secrets = Object.entries(resourcesOfType(templateOf(stack), "AWS::SecretsManager::Secret"));
    expect(secrets).toHaveLength(1);
    const [secretId, secret] = secrets[0]!;
    expect(secret.Properties).toMatchObject({
      Name: "hhc/health-card",
      GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true },
      KmsKeyId: { "Fn::GetAtt": [expect.any(String), "Arn"] },
    });
    expect([secret.DeletionPolicy, secret.UpdateReplacePolicy]).toEqual(["Retain", "Retain"]);
    expect(actionsOn(functionStatements(templateOf(stack), "HealthCard"), { Ref: secretId })).toEqual([
      "secretsmanager:DescribeSecret",
      "secretsmanager:GetSecretValue",
    ]);
    // no other function of any hub stack may read it, and no function writes it
    for (const s of HUB_STACK_IDS)
      for (const f of hubStackDeclaration(s).functions) {
        const granted = JSON.stringify(functionStatements(templateOf(s), f.id));
        expect(granted.includes("secretsmanager:GetSecretValue"), f.id).toBe(f.id === "HealthCard");
        expect(granted, f.id).not.toMatch(/secretsmanager:(PutSecretValue|CreateSecret|UpdateSecret)|keys\/health-card/);
      }
  });

  test("the push sender may send to any city push queue, use queue keys only via SQS, and read city discovery parameters", () => {
    const et = templateOf("exchange");
    const statements = functionStatements(et, "ExchangeConsumer");
    const arn = (service: string, resource: string) => ({
      "Fn::Join": ["", [`arn:aws-cn:${service}:cn-north-1:`, { Ref: "AWS::AccountId" }, resource]],
    });
    expect(actionsOn(statements, arn("sqs", ":hhc-city-*-push"))).toEqual(["sqs:SendMessage"]);
    expect(actionsOn(statements, arn("ssm", ":parameter/hhc/cities/*"))).toEqual(["ssm:GetParameter"]);
    const keyStatement = statements.find((s) => JSON.stringify(s.Resource) === JSON.stringify([arn("kms", ":key/*")]));
    expect(keyStatement?.Action.sort()).toEqual(["kms:Decrypt", "kms:GenerateDataKey"]);
    expect(JSON.stringify(keyStatement?.Condition)).toContain('"sqs.",{"Ref":"AWS::Region"},".",{"Ref":"AWS::URLSuffix"}');
    expect(resourcesOfType(et, "AWS::IAM::Role")[fnRoleId(et, "ExchangeConsumer")]?.Properties.Path).toBe("/hhc/hub/push-sender/");
    expect(resourcesOfType(t, "AWS::IAM::Role")[fnRoleId(t, "AuditConsumer")]?.Properties.Path).toBe("/hhc/hub/push-sender/");
    expect(resourcesOfType(t, "AWS::IAM::Role")[fnRoleId(t, "Connections")]?.Properties.Path).toBe("/hhc/hub/");
  });

  test("onboarding may manage API keys and add them to usage plans, nothing else of API Gateway", () => {
    const statements = functionStatements(t, "HospitalOnboarding");
    const apigw = statements.filter((s) => s.Action.some((a) => a.startsWith("apigateway:")));
    expect(apigw.flatMap((s) => s.Action).sort()).toEqual([
      "apigateway:GET",
      "apigateway:GET",
      "apigateway:PATCH",
      "apigateway:POST",
      "apigateway:POST",
    ]);
    expect(JSON.stringify(apigw.map((s) => s.Resource))).not.toContain("/restapis");
    expect(stackOfFunction("HospitalOnboarding")).toBe("core");
  });

  test.each(hubStackDeclaration("core").apis.map((a) => [a.id, a] as const))(
    "%s API (core): routes, auth, gateway responses, throttled logged stage, usage plan, WAF",
    (_id, api) => expectApi(t, api, "hub"),
  );

  test("the internal API's resource policy admits the cities' function roles by path, and denies every other principal", () => {
    const [, api] = byTag(t, "AWS::ApiGateway::RestApi", "hhc:api", "Internal");
    const cityRoles = {
      "Fn::Join": ["", ["arn:", { Ref: "AWS::Partition" }, ":iam::", { Ref: "AWS::AccountId" }, ":role/hhc/city/*"]],
    };
    const policy = api.Properties.Policy as { Statement: Record<string, unknown>[] };
    expect(policy.Statement).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Effect: "Allow",
          Action: "execute-api:Invoke",
          Resource: "execute-api:/*",
          Condition: { ArnLike: { "aws:PrincipalArn": cityRoles } },
        }),
        expect.objectContaining({
          Effect: "Deny",
          Action: "execute-api:Invoke",
          Principal: { AWS: "*" },
          Resource: "execute-api:/*",
          Condition: { ArnNotLike: { "aws:PrincipalArn": cityRoles } },
        }),
      ]),
    );
    // the operator API has none: its callers are hospitals' and the operator's credentials
    expect(byTag(t, "AWS::ApiGateway::RestApi", "hhc:api", "Operator")[1].Properties.Policy).toBeUndefined();
  });

  test("the hub's consumers of the cities' queues and its push senders use every city's signing key, by path", () => {
    const cityKeys = { "Fn::Join": ["", ["arn:aws-cn:ssm:cn-north-1:", { Ref: "AWS::AccountId" }, ":parameter/hhc/keys/city/*"]] };
    expect(actionsOn(functionStatements(templateOf("exchange"), "ExchangeConsumer"), cityKeys)).toEqual([
      "ssm:GetParameter",
      "ssm:PutParameter",
    ]);
    expect(actionsOn(functionStatements(t, "AuditConsumer"), cityKeys)).toContain("ssm:GetParameter");
    expect(actionsOn(functionStatements(t, "RegistrySearch"), cityKeys)).toEqual([]);
  });

  test("the registry, audit and subscription searches read and create the hub's page-token secret; others do not", () => {
    const secret = { "Fn::Join": ["", ["arn:aws-cn:ssm:cn-north-1:", { Ref: "AWS::AccountId" }, ":parameter/hhc/keys/hub/page-tokens"]] };
    for (const fn of ["RegistrySearch", "AuditSearch"])
      expect(actionsOn(functionStatements(t, fn), secret), fn).toEqual(["ssm:GetParameter", "ssm:PutParameter"]);
    expect(actionsOn(functionStatements(templateOf("exchange"), "Subscriptions"), secret)).toEqual([
      "ssm:GetParameter",
      "ssm:PutParameter",
    ]);
    expect(actionsOn(functionStatements(t, "RegistryWrite"), secret)).toEqual([]);
    expect(actionsOn(functionStatements(templateOf("exchange"), "SubscriptionMatcher"), secret)).toEqual([]);
  });

  test("its consumers of queues check SQS's SenderId in AWS (the env var the local province leaves unset)", () => {
    const env = (s: HubStackId, id: string) =>
      (
        byTag(templateOf(s), "AWS::Lambda::Function", "hhc:function", id)[1].Properties.Environment as {
          Variables: Record<string, unknown>;
        }
      ).Variables;
    expect(env("exchange", "ExchangeConsumer")[ENV.checkSenderId]).toBe("1");
    expect(env("core", "AuditConsumer")[ENV.checkSenderId]).toBe("1");
    expect(env("core", "RegistrySearch")[ENV.checkSenderId]).toBeUndefined();
  });

  test("settlement results are verified under the insurance platform's public key, and the insurance platform's secrets are no hub's", () => {
    const key = (path: string) => ({
      "Fn::Join": ["", ["arn:aws-cn:ssm:cn-north-1:", { Ref: "AWS::AccountId" }, `:parameter/hhc/keys/${path}`]],
    });
    const results = functionStatements(templateOf("settlement"), "SettlementResults");
    expect(actionsOn(results, key("public/insurance"))).toEqual(["ssm:GetParameter"]);
    for (const s of HUB_STACK_IDS) expect(JSON.stringify(templateOf(s).toJSON()), s).not.toMatch(/keys\/(private|insurance)/);
    // no insurance account given: the same account, no key directory role
    expect(JSON.stringify(templateOf("settlement").toJSON())).not.toContain("hhc-insurance-key-directory");
  });

  test("the internal API is IAM-authorized; the operator API's authorizer is the OperatorAuthorizer", () => {
    const internal = methodsOf(t, "Internal");
    expect(internal).toHaveLength(hubStackDeclaration("core").apis.find((a) => a.id === "Internal")!.routes.length);
    expect(new Set(internal.map((m) => m.method.Properties.AuthorizationType))).toEqual(new Set(["AWS_IAM"]));
    const [authorizerFnId] = byTag(t, "AWS::Lambda::Function", "hhc:function", "OperatorAuthorizer");
    // and the department exchange's member authorizer, on its routes (docs/departments.md)
    const [memberFnId] = byTag(t, "AWS::Lambda::Function", "hhc:function", "MemberAuthorizer");
    const authorizers = Object.values(resourcesOfType(t, "AWS::ApiGateway::Authorizer")).map((a) =>
      JSON.stringify(a.Properties.AuthorizerUri),
    );
    expect(authorizers).toHaveLength(2);
    expect(authorizers.filter((uri) => uri.includes(`"${authorizerFnId}"`))).toHaveLength(1);
    expect(authorizers.filter((uri) => uri.includes(`"${memberFnId}"`))).toHaveLength(1);
  });
});

describe.each(HUB_STACK_IDS.filter((s) => s !== "core").map((s) => [hubStackName(s), s] as const))("%s routes", (_name, hubStack) => {
  const decl = hubStackDeclaration(hubStack);

  test("its routes, and only those, on the core's APIs (found through SSM); it creates no API, stage or usage plan", () => {
    const st = templateOf(hubStack);
    expect(routes(st)).toEqual(decl.apis.flatMap((a) => a.routes.map((r) => `${a.id} ${r.method} ${r.path}`)).sort());
    for (const type of ["AWS::ApiGateway::RestApi", "AWS::ApiGateway::Stage", "AWS::ApiGateway::UsagePlan", "AWS::ApiGateway::Authorizer"])
      expect(Object.keys(resourcesOfType(st, type)), type).toEqual([]);
  });

  test("auth as declared: the core's authorizer by its published id, IAM, or none", () => {
    const st = templateOf(hubStack);
    const parameters = st.toJSON().Parameters as Record<string, { Default: string }>;
    for (const api of decl.apis)
      for (const { route, method } of methodsOf(st, api.id)) {
        const declared = api.routes.find((r) => `${r.method} ${r.path}` === route)!;
        const auth = declared.auth ?? api.defaultAuth;
        const label = `${api.id} ${route}`;
        if (auth.kind === "iam") expect(method.Properties.AuthorizationType, label).toBe("AWS_IAM");
        if (auth.kind === "none") expect(method.Properties.AuthorizationType, label).toBe("NONE");
        if (auth.kind === "lambda") {
          expect(method.Properties.AuthorizationType, label).toBe("CUSTOM");
          const ref = (method.Properties.AuthorizerId as { Ref: string }).Ref;
          expect(parameters[ref]?.Default, label).toBe(hubStackParameters.apiAuthorizer(api.id, auth.authorizer));
        }
        const [fnId] = byTag(st, "AWS::Lambda::Function", "hhc:function", declared.function);
        expect(JSON.stringify(method.Properties.Integration), label).toContain(`"${fnId}"`);
      }
  });

  test("a deployment of each API it adds routes to, to the core's stage v1, after its methods, retained", () => {
    const st = templateOf(hubStack);
    const deployments = Object.values(st.findResources("AWS::ApiGateway::Deployment")) as {
      Properties: { StageName: string };
      DependsOn: string[];
      DeletionPolicy: string;
    }[];
    expect(deployments).toHaveLength(decl.apis.filter((a) => a.routes.length > 0).length);
    const methods = Object.keys(resourcesOfType(st, "AWS::ApiGateway::Method"));
    for (const d of deployments) {
      expect(d.Properties.StageName).toBe("v1");
      expect(d.DeletionPolicy).toBe("Retain");
      expect(d.DependsOn.filter((x) => methods.includes(x)).length).toBeGreaterThan(0);
    }
  });
});

test("the core publishes each hub API's id, its mounts and its authorizer for the other hub stacks", () => {
  for (const [apiId, mounts] of Object.entries(HUB_API_MOUNTS)) {
    const [apiLogicalId] = byTag(t, "AWS::ApiGateway::RestApi", "hhc:api", apiId);
    t.hasResourceProperties("AWS::SSM::Parameter", { Name: hubStackParameters.apiId(apiId), Value: { Ref: apiLogicalId } });
    for (const mount of mounts) t.hasResourceProperties("AWS::SSM::Parameter", { Name: hubStackParameters.apiResource(apiId, mount) });
  }
  t.hasResourceProperties("AWS::SSM::Parameter", { Name: hubStackParameters.apiAuthorizer("Operator", "OperatorAuthorizer") });
});

describe("hub discovery parameters (SSM, no CloudFormation exports)", () => {
  const names = discoveryNames(PROVINCE.ssmPrefix);
  const kmsKeyOf = (st: Template, name: string) =>
    resourcesOfType(st, "AWS::SQS::Queue")[queueLogicalId(st, name)]!.Properties.KmsMasterKeyId as Record<string, unknown>;

  test.each([
    ["exchange", names.hubExchangeQueueUrl, (st: Template) => ({ Ref: queueLogicalId(st, "hhc-hub-exchange") })],
    ["exchange", names.hubExchangeQueueArn, (st: Template) => ({ "Fn::GetAtt": [queueLogicalId(st, "hhc-hub-exchange"), "Arn"] })],
    ["exchange", names.hubExchangeKeyArn, (st: Template) => kmsKeyOf(st, "hhc-hub-exchange")],
    ["core", names.hubAuditQueueUrl, (st: Template) => ({ Ref: queueLogicalId(st, "hhc-hub-audit") })],
    ["core", names.hubAuditQueueArn, (st: Template) => ({ "Fn::GetAtt": [queueLogicalId(st, "hhc-hub-audit"), "Arn"] })],
    ["core", names.hubInternalApiId, (st: Template) => ({ Ref: byTag(st, "AWS::ApiGateway::RestApi", "hhc:api", "Internal")[0] })],
    ["settlement", names.hubSettlementQueueUrl, (st: Template) => ({ Ref: queueLogicalId(st, "hhc-hub-settlement.fifo") })],
  ] as const)("%s: %s", (hubStack, name, value) => {
    const st = templateOf(hubStack);
    st.hasResourceProperties("AWS::SSM::Parameter", { Name: name, Type: "String", Value: value(st) });
  });

  test(`${names.hubInternalApiUrl} is the internal API's stage URL`, () => {
    const [internalId] = byTag(t, "AWS::ApiGateway::RestApi", "hhc:api", "Internal");
    const param = Object.values(resourcesOfType(t, "AWS::SSM::Parameter")).find((p) => p.Properties.Name === names.hubInternalApiUrl);
    expect(JSON.stringify(param?.Properties.Value)).toContain(`{"Ref":"${internalId}"}`);
    expect(JSON.stringify(param?.Properties.Value)).toContain("execute-api");
  });
});
