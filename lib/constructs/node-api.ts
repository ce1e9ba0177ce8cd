/**
 * A node's regional REST API, built from an ApiDeclaration: routes to the node's functions, the
 * declared default auth (Lambda REQUEST authorizer, IAM or none), FHIR OperationOutcome gateway
 * responses, a throttled stage with KMS-encrypted JSON access logs, a usage plan and a WAF.
 */
import {
  Aws,
  aws_apigateway as apigw,
  Duration,
  aws_iam as iam,
  type aws_kms as kms,
  type aws_lambda as lambda,
  aws_logs as logs,
  Tags,
} from "aws-cdk-lib";
import { Construct } from "constructs";
import { plannedStageRate } from "#lib/capacity/model.ts";
import { type ApiAuth, type ApiDeclaration, GATEWAY_RESPONSE_HEADERS, GATEWAY_RESPONSES } from "#lib/declaration/index.ts";
import { nodeNamePrefix } from "#shared/discovery-names.ts";
import type { ApiGatewayAccount } from "./api-gateway-account.ts";
import { acknowledge } from "./nag.ts";
import { RegionalFirewall } from "./regional-firewall.ts";

export interface NodeApiProps {
  nodeId: string;
  declaration: ApiDeclaration;
  functions: ReadonlyMap<string, lambda.IFunction>;
  logsKey: kms.IKey;
  account: ApiGatewayAccount;
}

const F = apigw.AccessLogField;
/** Who called what, for the auditors: the authorizer's principal (hospital) or the IAM caller (node role). */
const ACCESS_LOG_FORMAT = apigw.AccessLogFormat.custom(
  JSON.stringify({
    requestId: F.contextRequestId(),
    requestTime: F.contextRequestTime(),
    sourceIp: F.contextIdentitySourceIp(),
    principalId: F.contextAuthorizerPrincipalId(),
    callerArn: F.contextIdentityUserArn(),
    httpMethod: F.contextHttpMethod(),
    resourcePath: F.contextResourcePath(),
    status: F.contextStatus(),
    responseLength: F.contextResponseLength(),
    responseLatency: F.contextResponseLatency(),
    errorType: F.contextErrorResponseType(),
    wafStatus: F.contextWafStatus(),
  }),
);

/** Every node API's one stage: part of the URLs the nodes publish (and HHC_HUB_URL) */
export const HUB_STAGE_NAME = "v1";

const kebab = (id: string): string => id.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();

/** A stage's default method throttle: the capacity plan's, never below the per-caller throttle */
export function stageThrottle(nodeId: string, decl: Pick<ApiDeclaration, "id" | "throttle">): { rateLimit: number; burstLimit: number } {
  const planned = plannedStageRate(nodeId, decl.id);
  if (planned === undefined || planned <= decl.throttle.rateLimit) return decl.throttle;
  return { rateLimit: planned, burstLimit: 2 * planned };
}

export class NodeApi extends Construct {
  readonly declaration: ApiDeclaration;
  readonly api: apigw.RestApi;
  readonly usagePlan: apigw.UsagePlan;
  private readonly authorizers = new Map<string, apigw.RequestAuthorizer>();

  constructor(scope: Construct, id: string, { nodeId, declaration: decl, functions, logsKey, account }: NodeApiProps) {
    super(scope, id);
    this.declaration = decl;
    const name = `${nodeNamePrefix(nodeId)}-${kebab(decl.id)}`;
    const accessLogs = new logs.LogGroup(this, "AccessLogs", { retention: logs.RetentionDays.ONE_YEAR, encryptionKey: logsKey });
    this.api = new apigw.RestApi(this, "Api", {
      restApiName: name,
      description: decl.description,
      endpointTypes: [apigw.EndpointType.REGIONAL],
      ...(decl.binaryMediaTypes ? { binaryMediaTypes: decl.binaryMediaTypes } : {}),
      cloudWatchRole: false,
      // a caller's API key (for its usage plan's throttle) is the one its authorizer names, never a header
      apiKeySourceType: apigw.ApiKeySourceType.AUTHORIZER,
      deployOptions: {
        stageName: HUB_STAGE_NAME,
        accessLogDestination: new apigw.LogGroupLogDestination(accessLogs),
        accessLogFormat: ACCESS_LOG_FORMAT,
        // errors only, never request or response bodies: those carry patient data
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        metricsEnabled: true,
        // each method's limit for all callers together, planned at 10× the peak (docs/capacity.md); the
        // usage plan below holds each caller to the declared per-caller throttle
        throttlingRateLimit: stageThrottle(nodeId, decl).rateLimit,
        throttlingBurstLimit: stageThrottle(nodeId, decl).burstLimit,
      },
    });
    this.api.deploymentStage.node.addDependency(account.account);
    Tags.of(this.api).add("hhc:api", decl.id);
    for (const r of GATEWAY_RESPONSES) {
      this.api.addGatewayResponse(r.type, {
        type: apigw.ResponseType.of(r.type),
        ...(r.statusCode ? { statusCode: String(r.statusCode) } : {}),
        responseHeaders: GATEWAY_RESPONSE_HEADERS,
        templates: { "application/json": r.bodyTemplate },
      });
    }
    // Bodies are validated by the handlers' zod schemas, so that a bad body gets a FHIR OperationOutcome
    // naming the field; the gateway validates the declared request parameters (the credential header).
    const validator = this.api.addRequestValidator("Validator", { validateRequestBody: true, validateRequestParameters: true });

    for (const route of decl.routes) {
      const fn = functions.get(route.function);
      if (!fn) throw new Error(`API ${decl.id}: route ${route.method} ${route.path} names unknown function ${route.function}`);
      const auth = route.auth ?? decl.defaultAuth;
      const method = this.api.root
        .resourceForPath(route.path)
        .addMethod(route.method, new apigw.LambdaIntegration(fn, { allowTestInvoke: false }), {
          ...this.authOptions(auth, functions),
          requestValidator: validator,
        });
      if (auth.kind === "none")
        acknowledge(method, {
          "AwsSolutions-APIG4": `Public by design (${route.path}): no credential, no patient data (DESIGN.md contracts)`,
        });
    }

    // Per-caller limits: each hospital's API key is registered at onboarding and added to this plan.
    this.usagePlan = this.api.addUsagePlan("UsagePlan", {
      name,
      description: `Per-caller throttling of ${name}; hospital API keys are added at onboarding`,
      throttle: { rateLimit: decl.throttle.rateLimit, burstLimit: decl.throttle.burstLimit },
      apiStages: [{ api: this.api, stage: this.api.deploymentStage }],
    });
    // twice the sustained stage limit over WAF's 5-minute window, per source IP
    new RegionalFirewall(this, "Firewall", {
      name,
      stageArn: this.api.deploymentStage.stageArn,
      ratePerFiveMinutes: decl.throttle.rateLimit * 600,
      logsKey,
    });

    acknowledge(this, {
      "AwsSolutions-COG4":
        "API Gateway offers no Cognito authorizers in the AWS China regions (DESIGN.md decision 4): hospitals are admitted by a Lambda REQUEST authorizer over per-hospital credentials, nodes by IAM (SigV4)",
      "HIPAA.Security-APIGWCacheEnabledAndEncrypted":
        "No response caching: answers carry patient data and must reflect the latest writes (DESIGN.md decision 8)",
      "HIPAA.Security-APIGWSSLEnabled":
        "Client certificates authenticate API Gateway to HTTP backends; every integration here is a Lambda function invoked through AWS's API",
      "HIPAA.Security-APIGWXrayEnabled":
        "X-Ray tracing is left off so the same stacks deploy to the AWS China regions (DESIGN.md decision 4)",
    });
  }

  private authOptions(auth: ApiAuth, functions: ReadonlyMap<string, lambda.IFunction>): apigw.MethodOptions {
    switch (auth.kind) {
      case "none":
        return { authorizationType: apigw.AuthorizationType.NONE };
      case "iam":
        return { authorizationType: apigw.AuthorizationType.IAM };
      case "lambda":
        return {
          authorizationType: apigw.AuthorizationType.CUSTOM,
          authorizer: this.authorizer(auth.authorizer, functions),
          requestParameters: { "method.request.header.Authorization": true },
          // the authorizer names the caller's key; API Gateway then applies the usage plan to that caller alone
          ...(this.declaration.callerKeys ? { apiKeyRequired: true } : {}),
        };
    }
  }

  /**
   * The API's resource policy: only roles of this account whose ARN matches `role<rolePathPattern>` may
   * invoke it (the pattern the hub's inbound queues admit, so a new city needs no change here), and any
   * other principal is denied even if its own policy allows execute-api:Invoke. Each admitted role still
   * needs its own grant, which names the routes it calls (docs/node-identity.md).
   */
  admitCallers(rolePathPattern: string): void {
    const roles = `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role${rolePathPattern}`;
    this.api.addToResourcePolicy(
      new iam.PolicyStatement({
        actions: ["execute-api:Invoke"],
        principals: [new iam.AccountPrincipal(Aws.ACCOUNT_ID)],
        resources: ["execute-api:/*"],
        conditions: { ArnLike: { "aws:PrincipalArn": roles } },
      }),
    );
    this.api.addToResourcePolicy(
      new iam.PolicyStatement({
        effect: iam.Effect.DENY,
        actions: ["execute-api:Invoke"],
        principals: [new iam.AnyPrincipal()],
        resources: ["execute-api:/*"],
        conditions: { ArnNotLike: { "aws:PrincipalArn": roles } },
      }),
    );
  }

  /** The REQUEST authorizer of `functionId`, for the other hub stacks' routes (undefined when no route of this stack uses it) */
  authorizerOf(functionId: string): apigw.RequestAuthorizer | undefined {
    return this.authorizers.get(functionId);
  }

  /** One REQUEST authorizer per function; a decision is cached 60 s per credential, so a revoked credential stops within a minute. */
  private authorizer(functionId: string, functions: ReadonlyMap<string, lambda.IFunction>): apigw.RequestAuthorizer {
    const existing = this.authorizers.get(functionId);
    if (existing) return existing;
    const handler = functions.get(functionId);
    if (!handler) throw new Error(`API ${this.declaration.id}: authorizer names unknown function ${functionId}`);
    const authorizer = new apigw.RequestAuthorizer(this, functionId, {
      handler,
      identitySources: [apigw.IdentitySource.header("Authorization")],
      resultsCacheTtl: Duration.seconds(60),
    });
    this.authorizers.set(functionId, authorizer);
    return authorizer;
  }
}
