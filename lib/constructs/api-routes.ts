/**
 * Routes a hub stack adds to one of the hub's REST APIs, which the core stack created
 * (docs/adr/0010-hub-stacks.md). The API, the paths it mounts routes under and its authorizers are
 * found through SSM at deploy time; this stack creates its own path segments below a mount, its
 * methods, and a deployment of the API to the core's stage ("v1") when its routes change. The
 * stage's URL, throttling, logs, usage plan and WAF stay the core's: callers keep one base URL.
 */
import { createHash } from "node:crypto";
import { aws_apigateway as apigw, type aws_lambda as lambda, RemovalPolicy } from "aws-cdk-lib";
import { Construct } from "constructs";
import { type ApiAuth, type ApiDeclaration, HUB_API_MOUNTS } from "#lib/declaration/index.ts";
import { hubStackParameters, published } from "./hub-stack-parameters.ts";
import { acknowledge } from "./nag.ts";
import { HUB_STAGE_NAME } from "./node-api.ts";

export interface HubApiRoutesProps {
  /** The API's declaration, with only this stack's routes */
  declaration: ApiDeclaration;
  functions: ReadonlyMap<string, lambda.IFunction>;
  /** Every route of the API in the core stack (a segment below a mount must not be one of theirs) */
  coreRoutes: string[];
}

/** The longest mount that prefixes `path`, and the rest of the path below it */
export function mountOf(apiId: keyof typeof HUB_API_MOUNTS, path: string): { mount: string; rest: string } {
  const mount = HUB_API_MOUNTS[apiId].filter((m) => path.startsWith(`${m}/`)).sort((a, b) => b.length - a.length)[0];
  if (mount === undefined) throw new Error(`${apiId} ${path}: no mount prefixes it (HUB_API_MOUNTS)`);
  return { mount, rest: path.slice(mount.length + 1) };
}

export class HubApiRoutes extends Construct {
  readonly methods: apigw.Method[] = [];

  constructor(scope: Construct, id: string, { declaration: decl, functions, coreRoutes }: HubApiRoutesProps) {
    super(scope, id);
    const apiId = decl.id as keyof typeof HUB_API_MOUNTS;
    if (!(apiId in HUB_API_MOUNTS)) throw new Error(`API ${decl.id} is not one of the hub's`);
    const restApiId = published(this, hubStackParameters.apiId(apiId));
    const atRoot = decl.routes.some((r) => mountOf(apiId, r.path).mount === "");
    const api = apigw.RestApi.fromRestApiAttributes(this, "Api", {
      restApiId,
      // read only when a route hangs at the root: an unused stack parameter is a template warning
      rootResourceId: atRoot ? published(this, hubStackParameters.apiResource(apiId, "")) : "not-used",
    });
    const mounts = new Map<string, apigw.IResource>();
    const mounted = (mount: string): apigw.IResource => {
      let resource = mounts.get(mount);
      if (!resource) {
        resource =
          mount === ""
            ? api.root
            : apigw.Resource.fromResourceAttributes(this, `Mount${mount.replace(/[^A-Za-z0-9]/g, "")}`, {
                restApi: api,
                resourceId: published(this, hubStackParameters.apiResource(apiId, mount)),
                path: mount,
              });
        mounts.set(mount, resource);
      }
      return resource;
    };
    const validator = new apigw.RequestValidator(this, "Validator", {
      restApi: api,
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    const authorizers = new Map<string, apigw.IAuthorizer>();
    const authOptions = (auth: ApiAuth): apigw.MethodOptions => {
      if (auth.kind === "none") return { authorizationType: apigw.AuthorizationType.NONE };
      if (auth.kind === "iam") return { authorizationType: apigw.AuthorizationType.IAM };
      let authorizer = authorizers.get(auth.authorizer);
      if (!authorizer) {
        authorizer = {
          authorizerId: published(this, hubStackParameters.apiAuthorizer(apiId, auth.authorizer)),
          authorizationType: apigw.AuthorizationType.CUSTOM,
        };
        authorizers.set(auth.authorizer, authorizer);
      }
      return {
        authorizationType: apigw.AuthorizationType.CUSTOM,
        authorizer,
        requestParameters: { "method.request.header.Authorization": true },
        ...(decl.callerKeys ? { apiKeyRequired: true } : {}),
      };
    };

    for (const route of decl.routes) {
      const fn = functions.get(route.function);
      if (!fn) throw new Error(`API ${decl.id}: route ${route.method} ${route.path} names unknown function ${route.function}`);
      const { mount, rest } = mountOf(apiId, route.path);
      const segment = `${mount}/${rest.split("/")[0]}`;
      const clash = coreRoutes.find((p) => p === segment || p.startsWith(`${segment}/`));
      if (clash) throw new Error(`API ${decl.id}: ${route.path} would create ${segment}, which the core stack holds (${clash})`);
      const auth = route.auth ?? decl.defaultAuth;
      const method = mounted(mount)
        .resourceForPath(rest)
        .addMethod(route.method, new apigw.LambdaIntegration(fn, { allowTestInvoke: false }), {
          ...authOptions(auth),
          requestValidator: validator,
        });
      this.methods.push(method);
      if (auth.kind === "none")
        acknowledge(method, {
          "AwsSolutions-APIG4": `Public by design (${route.path}): no credential, no patient data (DESIGN.md contracts)`,
        });
    }

    // A new deployment of the whole API (every stack's routes) to the core's stage, whenever this
    // stack's routes change. Retained: the stage may still point at it after this stack moves on.
    const fingerprint = createHash("sha256").update(JSON.stringify(decl.routes)).digest("hex").slice(0, 12);
    const deployment = new apigw.CfnDeployment(this, `Deployment${fingerprint}`, {
      restApiId,
      stageName: HUB_STAGE_NAME,
      description: `${decl.id} routes of ${this.node.scope?.node.id ?? "a hub stack"} (${fingerprint})`,
    });
    deployment.applyRemovalPolicy(RemovalPolicy.RETAIN);
    for (const m of this.methods) deployment.node.addDependency(m);
    acknowledge(this, {
      "AwsSolutions-COG4":
        "API Gateway offers no Cognito authorizers in the AWS China regions (DESIGN.md decision 4): hospitals and the operator are admitted by the core stack's Lambda REQUEST authorizers, nodes by IAM (SigV4)",
    });
  }
}
