/**
 * Assertions shared by the hub and city template tests, driven by the node declaration: whatever
 * the declaration says (tables, queues, grants, routes, triggers) must be in the template, with the
 * house defaults (KMS, PITR, retention, DLQs, …).
 */
import { Match, type Template } from "aws-cdk-lib/assertions";
import { expect } from "vitest";
import { PROVINCE } from "#lib/config/province.ts";
import { stageThrottle } from "#lib/constructs/node-api.ts";
import { type ApiDeclaration, type FunctionDeclaration, GATEWAY_RESPONSES, type NodeDeclaration } from "#lib/declaration/index.ts";
import { queuePhysicalName } from "#shared/discovery-names.ts";
import { bucketEnvName, ENV, queueUrlEnvName, tableEnvName } from "#shared/env-names.ts";
import { actionsOn, byTag, type CfnResource, functionStatements, method, resourcesOfType } from "./queries.ts";

const getAtt = (logicalId: string, attr = "Arn") => ({ "Fn::GetAtt": [logicalId, attr] });

export function expectTables(t: Template, decl: NodeDeclaration): void {
  for (const table of decl.tables) {
    const [, r] = byTag(t, "AWS::DynamoDB::Table", "hhc:table", table.id);
    expect(r.DeletionPolicy, table.id).toBe("Retain");
    expect(r.UpdateReplacePolicy, table.id).toBe("Retain");
    expect(r.Properties).toMatchObject({
      BillingMode: "PAY_PER_REQUEST",
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: "KMS", KMSMasterKeyId: { "Fn::GetAtt": [expect.any(String), "Arn"] } },
      DeletionProtectionEnabled: true,
      KeySchema: [
        { AttributeName: table.partitionKey, KeyType: "HASH" },
        ...(table.sortKey ? [{ AttributeName: table.sortKey, KeyType: "RANGE" }] : []),
      ],
    });
  }
}

/** Each declared queue and its DLQ: fixed names, same FIFO-ness, one rotated KMS key, redrive, DLQ alarm, TLS-only policy. */
export function expectQueues(t: Template, nodeId: string, decl: NodeDeclaration): void {
  const queues = resourcesOfType(t, "AWS::SQS::Queue");
  const named = (name: string): [string, CfnResource] => {
    const found = Object.entries(queues).find(([, q]) => q.Properties.QueueName === name);
    if (!found) throw new Error(`no queue named ${name}`);
    return found;
  };
  for (const q of decl.queues) {
    const [queueId, queue] = named(queuePhysicalName(nodeId, q.id, { fifo: q.fifo }));
    const [dlqId, dlq] = named(queuePhysicalName(nodeId, q.id, { fifo: q.fifo, dlq: true }));
    const keyRef = queue.Properties.KmsMasterKeyId as { "Fn::GetAtt": [string, string] };
    expect(resourcesOfType(t, "AWS::KMS::Key")[keyRef["Fn::GetAtt"][0]]?.Properties.EnableKeyRotation).toBe(true);
    expect(dlq.Properties.KmsMasterKeyId).toEqual(keyRef);
    expect(queue.Properties).toMatchObject({
      VisibilityTimeout: q.visibilityTimeoutSeconds,
      MessageRetentionPeriod: q.retentionDays * 86_400,
      RedrivePolicy: { deadLetterTargetArn: getAtt(dlqId), maxReceiveCount: q.maxReceiveCount },
    });
    expect(Boolean(queue.Properties.FifoQueue), q.id).toBe(q.fifo);
    expect(Boolean(dlq.Properties.FifoQueue), `${q.id} DLQ`).toBe(q.fifo);
    if (q.fifo) expect(queue.Properties.ContentBasedDeduplication).toBe(false);
    const [topicId] = Object.keys(resourcesOfType(t, "AWS::SNS::Topic"));
    t.hasResourceProperties("AWS::CloudWatch::Alarm", {
      Namespace: "AWS/SQS",
      MetricName: "ApproximateNumberOfMessagesVisible",
      Dimensions: [{ Name: "QueueName", Value: getAtt(dlqId, "QueueName") }],
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
      Threshold: 1,
      AlarmActions: [{ Ref: topicId }],
    });
    for (const id of [queueId, dlqId]) {
      t.hasResourceProperties("AWS::SQS::QueuePolicy", {
        Queues: [{ Ref: id }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: "Deny",
              Action: "sqs:*",
              Principal: { AWS: "*" },
              Condition: { Bool: { "aws:SecureTransport": "false" } },
            }),
          ]),
        },
      });
    }
  }
}

export function expectFunctionDefaults(t: Template, nodeId: string, decl: NodeDeclaration): void {
  const logGroups = resourcesOfType(t, "AWS::Logs::LogGroup");
  for (const f of decl.functions) {
    const [, fn] = byTag(t, "AWS::Lambda::Function", "hhc:function", f.id);
    expect(fn.Properties).toMatchObject({
      Runtime: "nodejs24.x",
      Architectures: ["arm64"],
      Handler: "index.handler",
      MemorySize: f.memoryMb,
      Timeout: f.timeoutSeconds,
    });
    expect(fn.Properties.TracingConfig, `${f.id}: no X-Ray (China)`).toBeUndefined();
    const env = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(env).toMatchObject({
      [ENV.nodeKind]: decl.kind,
      [ENV.nodeId]: nodeId,
      [ENV.ssmPrefix]: PROVINCE.ssmPrefix,
      [ENV.connectedWindowSeconds]: String(PROVINCE.connectedWindowSeconds),
      POWERTOOLS_SERVICE_NAME: `${nodeId}-${f.id}`,
    });
    const named = (prefix: string): string[] =>
      Object.keys(env)
        .filter((k) => k.startsWith(prefix))
        .sort();
    const expected = (names: string[]): string[] => [...names].sort();
    expect(named("HHC_TABLE_"), f.id).toEqual(expected(Object.keys(f.tables ?? {}).map(tableEnvName)));
    expect(named("HHC_QUEUE_URL_"), f.id).toEqual(expected((f.sendsTo ?? []).map(queueUrlEnvName)));
    expect(named("HHC_BUCKET_"), f.id).toEqual(expected(Object.keys(f.buckets ?? {}).map(bucketEnvName)));
    const logGroupId = ((fn.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup as { Ref: string }).Ref;
    expect(logGroups[logGroupId]?.Properties).toMatchObject({
      RetentionInDays: expect.any(Number),
      KmsKeyId: { "Fn::GetAtt": [expect.any(String), "Arn"] },
    });
  }
}

const TABLE_WRITES = ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"];

/** Table grants exactly per declaration: reads where declared, writes where declared, nothing on other tables. */
export function expectTableGrants(t: Template, decl: NodeDeclaration, f: FunctionDeclaration): void {
  const statements = functionStatements(t, f.id);
  for (const table of decl.tables) {
    const [tableId] = byTag(t, "AWS::DynamoDB::Table", "hhc:table", table.id);
    const actions = actionsOn(statements, getAtt(tableId));
    const access = f.tables?.[table.id];
    const label = `${f.id} on ${table.id} (${access ?? "none"})`;
    if (access === undefined) expect(actions, label).toEqual([]);
    if (access === "read" || access === "readWrite")
      expect(actions, label).toEqual(expect.arrayContaining(["dynamodb:GetItem", "dynamodb:Query"]));
    if (access === "write" || access === "readWrite") expect(actions, label).toEqual(expect.arrayContaining(TABLE_WRITES));
    if (access === "read")
      expect(
        actions.filter((a) => TABLE_WRITES.includes(a)),
        label,
      ).toEqual([]);
  }
}

/** Queue trigger: batch size, batching window, partial batch responses. */
export function expectQueueTrigger(t: Template, nodeId: string, decl: NodeDeclaration, f: FunctionDeclaration): void {
  if (f.trigger?.kind !== "queue") throw new Error(`${f.id} has no queue trigger`);
  const { trigger } = f;
  const q = decl.queues.find((x) => x.id === trigger.queue)!;
  const [queueId] = Object.entries(resourcesOfType(t, "AWS::SQS::Queue")).find(
    ([, r]) => r.Properties.QueueName === queuePhysicalName(nodeId, q.id, { fifo: q.fifo }),
  )!;
  const [fnId] = byTag(t, "AWS::Lambda::Function", "hhc:function", f.id);
  t.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
    EventSourceArn: getAtt(queueId),
    FunctionName: { Ref: fnId },
    BatchSize: trigger.batchSize,
    MaximumBatchingWindowInSeconds: trigger.maxBatchingWindowSeconds,
    FunctionResponseTypes: ["ReportBatchItemFailures"],
  });
  expect(actionsOn(functionStatements(t, f.id), getAtt(queueId))).toEqual(
    expect.arrayContaining(["sqs:ReceiveMessage", "sqs:DeleteMessage"]),
  );
}

/** Every KMS key rotates; every log group and topic is KMS-encrypted; every log group has a retention. */
export function expectEncryptionEverywhere(t: Template): void {
  // asymmetric keys (the evidence log's signing key: KeyUsage SIGN_VERIFY) cannot rotate in KMS
  for (const [id, key] of Object.entries(resourcesOfType(t, "AWS::KMS::Key")))
    if (key.Properties.KeyUsage !== "SIGN_VERIFY") expect(key.Properties.EnableKeyRotation, id).toBe(true);
  for (const [id, topic] of Object.entries(resourcesOfType(t, "AWS::SNS::Topic")))
    expect(topic.Properties.KmsMasterKeyId, id).toBeDefined();
  for (const [id, lg] of Object.entries(resourcesOfType(t, "AWS::Logs::LogGroup"))) {
    expect(lg.Properties.KmsKeyId, id).toBeDefined();
    expect(lg.Properties.RetentionInDays, id).toBeGreaterThan(0);
  }
}

/**
 * An API per declaration: each route's auth (Lambda REQUEST authorizer on Authorization with a 60 s
 * cache, IAM or none), the FHIR gateway responses, a throttled and access-logged stage, a usage
 * plan with the same throttle, and a WAF on the stage.
 */
export function expectApi(t: Template, api: ApiDeclaration, nodeId: string): void {
  // each method's stage limit is the capacity plan's (all callers), the usage plan's the per-caller throttle
  const stageLimit = stageThrottle(nodeId, api);
  const [apiId] = byTag(t, "AWS::ApiGateway::RestApi", "hhc:api", api.id);
  t.hasResourceProperties("AWS::ApiGateway::RestApi", {
    EndpointConfiguration: { Types: ["REGIONAL"] },
    // a caller's API key is only ever the one its authorizer names (ADR 3), never an x-api-key header
    ApiKeySourceType: "AUTHORIZER",
    Tags: Match.arrayWith([{ Key: "hhc:api", Value: api.id }]),
  });
  for (const route of api.routes) {
    const m = method(t, api.id, route.method, route.path);
    const auth = route.auth ?? api.defaultAuth;
    const [fnId] = byTag(t, "AWS::Lambda::Function", "hhc:function", route.function);
    expect(JSON.stringify(m.Properties.Integration), `${route.path} → ${route.function}`).toContain(`"${fnId}"`);
    const label = `${api.id} ${route.method} ${route.path}`;
    if (auth.kind === "none") expect(m.Properties.AuthorizationType, label).toBe("NONE");
    if (auth.kind === "iam") expect(m.Properties.AuthorizationType, label).toBe("AWS_IAM");
    if (auth.kind === "lambda") {
      expect(m.Properties.AuthorizationType, label).toBe("CUSTOM");
      expect(Boolean(m.Properties.ApiKeyRequired), `${label}: the authorizer's API key is required`).toBe(Boolean(api.callerKeys));
      const authorizer = resourcesOfType(t, "AWS::ApiGateway::Authorizer")[(m.Properties.AuthorizerId as { Ref: string }).Ref];
      const [authorizerFnId] = byTag(t, "AWS::Lambda::Function", "hhc:function", auth.authorizer);
      expect(authorizer?.Properties, label).toMatchObject({
        Type: "REQUEST",
        RestApiId: { Ref: apiId },
        IdentitySource: "method.request.header.Authorization",
        AuthorizerResultTtlInSeconds: 60,
      });
      expect(JSON.stringify(authorizer?.Properties.AuthorizerUri)).toContain(`"${authorizerFnId}"`);
    }
  }
  for (const r of GATEWAY_RESPONSES) {
    t.hasResourceProperties("AWS::ApiGateway::GatewayResponse", {
      RestApiId: { Ref: apiId },
      ResponseType: r.type,
      ...(r.statusCode ? { StatusCode: String(r.statusCode) } : {}),
      ResponseParameters: {
        "gatewayresponse.header.Content-Type": "'application/fhir+json'",
        "gatewayresponse.header.X-Content-Type-Options": "'nosniff'",
      },
      ResponseTemplates: { "application/json": r.bodyTemplate },
    });
  }
  const [stageId, stage] = Object.entries(resourcesOfType(t, "AWS::ApiGateway::Stage")).find(
    ([, s]) => (s.Properties.RestApiId as { Ref: string }).Ref === apiId,
  )!;
  expect(stage.Properties).toMatchObject({
    AccessLogSetting: { DestinationArn: expect.anything(), Format: expect.stringContaining("$context.authorizer.principalId") },
    MethodSettings: [
      expect.objectContaining({
        HttpMethod: "*",
        ResourcePath: "/*",
        ThrottlingRateLimit: stageLimit.rateLimit,
        ThrottlingBurstLimit: stageLimit.burstLimit,
        DataTraceEnabled: false,
      }),
    ],
  });
  expect(stage.Properties.TracingEnabled).not.toBe(true);
  t.hasResourceProperties("AWS::ApiGateway::UsagePlan", {
    Throttle: { RateLimit: api.throttle.rateLimit, BurstLimit: api.throttle.burstLimit },
    ApiStages: [{ ApiId: { Ref: apiId }, Stage: { Ref: stageId } }],
  });
  t.hasResourceProperties("AWS::WAFv2::WebACLAssociation", {
    ResourceArn: Match.objectLike({ "Fn::Join": ["", Match.arrayWith([{ Ref: apiId }, { Ref: stageId }])] }),
  });
}
