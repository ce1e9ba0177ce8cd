/**
 * Cross-node grants (DESIGN.md decision 3): what a function may do on another node, which it
 * finds at run time through SSM. Nothing here references another stack: ARNs are built from
 * fixed names and patterns, so the hub and every city deploy on their own.
 */
import { ArnFormat, Aws, aws_iam as iam, Stack } from "aws-cdk-lib";
import type { IConstruct } from "constructs";
import { PROVINCE } from "#lib/config/province.ts";
import { DISCOVERY_QUEUE_GRANTS } from "#lib/declaration/iam-actions.ts";
import {
  CITY_DECLARATION,
  type Discovery,
  type FunctionDeclaration,
  HUB_DECLARATION,
  type NodeDeclaration,
} from "#lib/declaration/index.ts";
import { queuePhysicalName } from "#shared/discovery-names.ts";

/** IAM role paths: the queue and key policies of the other nodes admit roles by path. */
export const HUB_PUSH_SENDER_ROLE_PATH = "/hhc/hub/push-sender/";
export const HUB_PUSH_SENDER_ROLE_PATTERN = `${HUB_PUSH_SENDER_ROLE_PATH}*`;
export const CITY_ROLE_PATTERN = "/hhc/city/*";
/** The insurance platform's function roles: the hub's Settlement queues admit them (and their account) */
export const INSURANCE_ROLE_PATTERN = "/hhc/insurance/*";

export function rolePath(nodeId: string, fn: FunctionDeclaration): string {
  if (fn.discovery?.includes("send-city-push")) return HUB_PUSH_SENDER_ROLE_PATH;
  return nodeId === "hub" || nodeId === "insurance" ? `/hhc/${nodeId}/` : `/hhc/city/${nodeId}/`;
}

const account = (scope: IConstruct, key: "hubAccount" | "insuranceAccount"): string => {
  const value = scope.node.tryGetContext(key) as string | undefined;
  if (value === undefined) return Aws.ACCOUNT_ID;
  if (!/^\d{12}$/.test(value)) throw new Error(`-c ${key}=${value}: an AWS account id has 12 digits`);
  return value;
};
/** The hub's account, for the insurance platform (`-c hubAccount=…`; default: the same account) */
export const hubAccount = (scope: IConstruct): string => account(scope, "hubAccount");
/** The insurance platform's account, for the hub (`-c insuranceAccount=…`; default: the same account) */
export const insuranceAccount = (scope: IConstruct): string => account(scope, "insuranceAccount");

/** A hub queue by its fixed name, in the hub's account, for a function of another node */
export function hubQueueArn(scope: IConstruct, queueId: string): string {
  const q = HUB_DECLARATION.queues.find((x) => x.id === queueId);
  if (!q) throw new Error(`no hub queue "${queueId}"`);
  return Stack.of(scope).formatArn({
    service: "sqs",
    account: hubAccount(scope),
    resource: queuePhysicalName("hub", q.id, { fifo: q.fifo }),
    arnFormat: ArnFormat.NO_RESOURCE_NAME,
  });
}

/** Use of the hub queues' keys (any key of the hub's account, only through SQS): the key ids are the hub's */
export function hubQueueKeyStatement(scope: IConstruct, actions: string[]): { statement: iam.PolicyStatement; resource: string } {
  const resource = Stack.of(scope).formatArn({ service: "kms", account: hubAccount(scope), resource: "key", resourceName: "*" });
  return {
    statement: new iam.PolicyStatement({
      actions,
      resources: [resource],
      conditions: { StringEquals: { "kms:ViaService": `sqs.${Aws.REGION}.${Aws.URL_SUFFIX}` } },
    }),
    resource,
  };
}

export interface DiscoveryGrant {
  statements: iam.PolicyStatement[];
  /** Resources with a wildcard, each with the reason it cannot be narrower (for the IAM5 acknowledgement) */
  wildcards: { resource: string; reason: string }[];
}

/**
 * The IAM-authorized routes of a node declaration that `calls` names ("<METHOD> <path>"), as execute-api
 * resources of any API id and stage: a function may invoke exactly the routes its declaration lists.
 */
function iamRoutes(stack: Stack, declaration: NodeDeclaration, calls: readonly string[]): string[] {
  return declaration.apis.flatMap((api) =>
    api.routes
      .filter((r) => (r.auth ?? api.defaultAuth).kind === "iam" && calls.includes(`${r.method} ${r.path}`))
      .map((r) =>
        stack.formatArn({ service: "execute-api", resource: "*", resourceName: `*/${r.method}${r.path.replace(/\{[^}]+\}/g, "*")}` }),
      ),
  );
}

export function discoveryGrant(scope: IConstruct, discovery: Discovery, fn?: FunctionDeclaration): DiscoveryGrant {
  const stack = Stack.of(scope);
  const parameters = (path: string) =>
    stack.formatArn({ service: "ssm", resource: "parameter", resourceName: `${PROVINCE.ssmPrefix.slice(1)}/${path}/*` });
  const anyKey = stack.formatArn({ service: "kms", resource: "key", resourceName: "*" });
  const keyViaSqs = new iam.PolicyStatement({
    actions: ["kms:GenerateDataKey", "kms:Decrypt"],
    resources: [anyKey],
    conditions: { StringEquals: { "kms:ViaService": `sqs.${Aws.REGION}.${Aws.URL_SUFFIX}` } },
  });
  const keyReason = "The other node's queue key is found at run time (SSM); the grant is limited to use through SQS (kms:ViaService)";
  const ssm = (path: string, reason: string) => ({
    statement: new iam.PolicyStatement({ actions: ["ssm:GetParameter"], resources: [parameters(path)] }),
    wildcard: { resource: parameters(path), reason },
  });
  /** The queue ARN (a pattern's, for any city's) and the statement of a permission's DISCOVERY_QUEUE_GRANTS entry */
  const queueGrant = (permission: Discovery) => {
    const grant = DISCOVERY_QUEUE_GRANTS[permission]!;
    const queues = stack.formatArn({ service: "sqs", resource: grant.queue, arnFormat: ArnFormat.NO_RESOURCE_NAME });
    return { queues, statement: new iam.PolicyStatement({ actions: [...grant.actions], resources: [queues] }) };
  };

  switch (discovery) {
    case "send-city-push": {
      const { queues, statement } = queueGrant("send-city-push");
      const lookup = ssm("cities", "Reads the discovery parameters every city publishes, cities added later included");
      return {
        statements: [statement, keyViaSqs, lookup.statement],
        wildcards: [
          {
            resource: queues,
            reason: "Pushes to every city's push queue (fixed name pattern), cities added later included, without redeploying the hub",
          },
          { resource: anyKey, reason: keyReason },
          lookup.wildcard,
        ],
      };
    }
    case "send-hub-exchange":
    case "send-hub-audit":
    case "send-hub-settlement": {
      const lookup = ssm("hub", "Reads the hub's discovery parameters (inbound queue URL and key)");
      return {
        statements: [queueGrant(discovery).statement, keyViaSqs, lookup.statement],
        wildcards: [{ resource: anyKey, reason: keyReason }, lookup.wildcard],
      };
    }
    case "invoke-hub-internal-api": {
      const routes = iamRoutes(stack, HUB_DECLARATION, fn?.calls ?? []);
      if (routes.length === 0) throw new Error(`${fn?.id}: invoke-hub-internal-api needs the hub routes it calls (calls)`);
      const lookup = ssm("hub", "Reads the hub's discovery parameters (internal API URL)");
      const reason =
        "The hub's internal API id is found at run time (SSM); the grant names the exact method and path of each internal route";
      return {
        statements: [new iam.PolicyStatement({ actions: ["execute-api:Invoke"], resources: routes }), lookup.statement],
        wildcards: [...routes.map((resource) => ({ resource, reason })), lookup.wildcard],
      };
    }
    case "invoke-city-internal-api": {
      const routes = iamRoutes(stack, CITY_DECLARATION, fn?.calls ?? []);
      if (routes.length === 0) throw new Error(`${fn?.id}: invoke-city-internal-api needs the city routes it calls (calls)`);
      const lookup = ssm("cities", "Reads the discovery parameters every city publishes (API URLs), cities added later included");
      const reason =
        "The other cities' API ids are found at run time (SSM), cities added later included; the grant names the exact method and path of each IAM route";
      return {
        statements: [new iam.PolicyStatement({ actions: ["execute-api:Invoke"], resources: routes }), lookup.statement],
        wildcards: [...routes.map((resource) => ({ resource, reason })), lookup.wildcard],
      };
    }
    case "list-cities": {
      // GetParametersByPath is granted on the path itself; the parameters under it are read as well
      const path = stack.formatArn({ service: "ssm", resource: "parameter", resourceName: `${PROVINCE.ssmPrefix.slice(1)}/cities` });
      const lookup = ssm("cities", "Reads the discovery parameters every city publishes (its profile), cities added later included");
      return {
        statements: [new iam.PolicyStatement({ actions: ["ssm:GetParametersByPath"], resources: [path] }), lookup.statement],
        wildcards: [lookup.wildcard],
      };
    }
    case "manage-hospital-api-keys": {
      // API Gateway's management API: keys by name, created and enabled/disabled one by one, and added to a city's usage plan
      const apigw = (path: string) =>
        stack.formatArn({ service: "apigateway", account: "", resource: path, arnFormat: ArnFormat.NO_RESOURCE_NAME });
      const keys = apigw("/apikeys");
      const key = apigw("/apikeys/*");
      const planKeys = apigw("/usageplans/*/keys");
      const lookup = ssm("cities", "Reads the usage plan each city publishes, cities added later included");
      return {
        statements: [
          new iam.PolicyStatement({ actions: ["apigateway:GET", "apigateway:POST"], resources: [keys] }),
          new iam.PolicyStatement({ actions: ["apigateway:GET", "apigateway:PATCH"], resources: [key] }),
          new iam.PolicyStatement({ actions: ["apigateway:POST"], resources: [planKeys] }),
          lookup.statement,
        ],
        wildcards: [
          {
            resource: key,
            reason: "API key ids are assigned by API Gateway at onboarding; GET and PATCH (enable, disable) only, no delete",
          },
          {
            resource: planKeys,
            reason: "Each city's usage plan id is found at run time (SSM), cities added later included; adding a key to a plan only",
          },
          lookup.wildcard,
        ],
      };
    }
    case "seal-page-tokens": {
      // the hub's page-token secret (lambdas/shared/message-signing.ts nodeSecret): read, and created by the first that needs it
      const secret = keyArn(scope, "hub/page-tokens");
      return {
        statements: [new iam.PolicyStatement({ actions: ["ssm:GetParameter", "ssm:PutParameter"], resources: [secret] })],
        wildcards: [],
      };
    }
    case "read-department-endpoints": {
      // <ssmPrefix>/departments/<memberId>/endpoint: set when a department joins the exchange (docs/departments.md)
      const endpoints = stack.formatArn({
        service: "ssm",
        resource: "parameter",
        resourceName: `${PROVINCE.ssmPrefix.slice(1)}/departments/*`,
      });
      return {
        statements: [new iam.PolicyStatement({ actions: ["ssm:GetParameter"], resources: [endpoints] })],
        wildcards: [
          {
            resource: endpoints,
            reason: "Each provincial department's endpoint, read by member id; departments that join later included; read only",
          },
        ],
      };
    }
    case "observe-queues": {
      // attributes only (counts, age): no receive, so no message and no key is ever read
      const { queues, statement } = queueGrant("observe-queues");
      return {
        statements: [statement],
        wildcards: [
          {
            resource: queues,
            reason:
              "Counts the messages of every node's queues and DLQs (fixed name prefix), cities added later included; no message is read",
          },
        ],
      };
    }
  }
}

/** The role of the hub's account through which the insurance platform, in another account, uses the key directory */
export const INSURANCE_KEY_DIRECTORY_ROLE_NAME = "hhc-insurance-key-directory";
export const INSURANCE_KEY_DIRECTORY_ROLE_PATH = "/hhc/hub/";

/** The hub's account when the insurance platform is deployed to another one (`-c hubAccount=…`), else undefined */
export const crossAccountHub = (scope: IConstruct): string | undefined =>
  scope.node.tryGetContext("hubAccount") === undefined ? undefined : hubAccount(scope);
/** The insurance platform's account when it is another one than the hub's (`-c insuranceAccount=…`), else undefined */
export const crossAccountInsurance = (scope: IConstruct): string | undefined =>
  scope.node.tryGetContext("insuranceAccount") === undefined ? undefined : insuranceAccount(scope);

/** The key directory role's ARN in the hub's account (`hubAccount`) */
export const insuranceKeyDirectoryRoleArn = (scope: IConstruct, account: string): string =>
  Stack.of(scope).formatArn({
    service: "iam",
    region: "",
    account,
    resource: "role",
    resourceName: `${INSURANCE_KEY_DIRECTORY_ROLE_PATH.slice(1)}${INSURANCE_KEY_DIRECTORY_ROLE_NAME}`,
  });

/** An SSM parameter under `<ssmPrefix>/keys/` of this stack's account */
const keyArn = (scope: IConstruct, path: string): string =>
  Stack.of(scope).formatArn({ service: "ssm", resource: "parameter", resourceName: `${PROVINCE.ssmPrefix.slice(1)}/keys/${path}` });

/** What the insurance platform does in the province's key directory: reads the cities' public keys, publishes its own */
export function insuranceKeyDirectoryStatements(scope: IConstruct, fn?: FunctionDeclaration): DiscoveryGrant {
  const consumes = fn === undefined || fn.trigger?.kind === "queue";
  const publishes = fn === undefined || (fn.sendsToHub ?? []).length > 0;
  const cities = keyArn(scope, "public/city/*");
  return {
    statements: [
      ...(consumes ? [new iam.PolicyStatement({ actions: ["ssm:GetParameter"], resources: [cities] })] : []),
      ...(publishes
        ? [new iam.PolicyStatement({ actions: ["ssm:GetParameter", "ssm:PutParameter"], resources: [keyArn(scope, "public/insurance")] })]
        : []),
    ],
    wildcards: consumes
      ? [
          {
            resource: cities,
            reason: "Verifies each claim under the public key of the city it names (Ed25519), cities added later included",
          },
        ]
      : [],
  };
}

/**
 * The queue message signing keys a function uses (docs/node-identity.md, lambdas/shared/message-signing.ts),
 * created at run time by the first of their holders that needs one:
 * - HMAC keys `<ssmPrefix>/keys/city/<id>`: a city's senders read and create their city's key, its queue
 *   consumers read it; the hub's senders to cities and its consumers of the cities' queues, every city's
 *   key (by path pattern: a city added later included).
 * - Settlement (Ed25519): a signer reads and creates its private key `keys/private/<node>` (in its own
 *   account) and publishes its public key `keys/public/<node>` in the key directory (the hub's account);
 *   the insurance platform reads the cities' public keys there, the hub's SettlementResults consumer
 *   the insurance platform's. In another account, the insurance platform assumes the hub's key
 *   directory role instead (`-c hubAccount`).
 */
export function signingKeyGrant(scope: IConstruct, kind: NodeDeclaration["kind"], nodeId: string, fn: FunctionDeclaration): DiscoveryGrant {
  const discovery = fn.discovery ?? [];
  const hmacSends = discovery.some((d) => d === "send-hub-exchange" || d === "send-hub-audit" || d === "send-city-push");
  const settlementSends = discovery.includes("send-hub-settlement") || (fn.sendsToHub ?? []).length > 0;
  const consumes = fn.trigger?.kind === "queue";
  const readWrite = ["ssm:GetParameter", "ssm:PutParameter"];
  const statements: iam.PolicyStatement[] = [];
  const wildcards: DiscoveryGrant["wildcards"] = [];

  if (kind === "city") {
    if (hmacSends || consumes)
      statements.push(
        new iam.PolicyStatement({ actions: hmacSends ? readWrite : ["ssm:GetParameter"], resources: [keyArn(scope, `city/${nodeId}`)] }),
      );
    if (settlementSends)
      statements.push(
        new iam.PolicyStatement({
          actions: readWrite,
          resources: [keyArn(scope, `private/city/${nodeId}`), keyArn(scope, `public/city/${nodeId}`)],
        }),
      );
  } else if (kind === "insurance") {
    if (settlementSends) statements.push(new iam.PolicyStatement({ actions: readWrite, resources: [keyArn(scope, "private/insurance")] }));
    const hub = crossAccountHub(scope);
    if (hub && (settlementSends || consumes)) {
      statements.push(new iam.PolicyStatement({ actions: ["sts:AssumeRole"], resources: [insuranceKeyDirectoryRoleArn(scope, hub)] }));
    } else {
      const directory = insuranceKeyDirectoryStatements(scope, fn);
      statements.push(...directory.statements);
      wildcards.push(...directory.wildcards);
    }
  } else {
    if (hmacSends || consumes) {
      const cities = keyArn(scope, "city/*");
      statements.push(new iam.PolicyStatement({ actions: hmacSends ? readWrite : ["ssm:GetParameter"], resources: [cities] }));
      wildcards.push({
        resource: cities,
        reason:
          "Signs what it pushes to a city, and verifies what a city sends, under that city's key: cities added later included, without redeploying the hub",
      });
    }
    if (fn.trigger?.kind === "queue" && fn.trigger.queue === "SettlementResults")
      statements.push(new iam.PolicyStatement({ actions: ["ssm:GetParameter"], resources: [keyArn(scope, "public/insurance")] }));
  }
  return { statements, wildcards };
}
