/**
 * The house function: one handler of the node declaration, built once per synth into one asset
 * shared by every city (lib/bundle.ts), ESM on Node.js 24 / arm64, with a KMS-encrypted log group,
 * its env (names from lambdas/shared/env-names.ts), grants exactly per declaration and its trigger.
 */
import path from "node:path";
import {
  Aws,
  Duration,
  aws_events as events,
  aws_iam as iam,
  aws_lambda as lambda,
  aws_logs as logs,
  aws_sqs as sqs,
  Tags,
  aws_events_targets as targets,
} from "aws-cdk-lib";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import type { Construct } from "constructs";
import { bundleHandler, REPO_ROOT } from "#lib/bundle.ts";
import { PEAK_MULTIPLE_CONTEXT, PLANNED_PEAK_MULTIPLE, plannedConcurrency } from "#lib/capacity/model.ts";
import { PROVINCE } from "#lib/config/province.ts";
import { QUEUE_SEND_ACTIONS } from "#lib/declaration/iam-actions.ts";
import { type FunctionDeclaration, HUB_DECLARATION, type NodeKind, type QueueDeclaration } from "#lib/declaration/index.ts";
import { nodeRoleName } from "#schemas/node-identity.ts";
import { queuePhysicalName } from "#shared/discovery-names.ts";
import { bucketEnvName, ENV, queueUrlEnvName, tableEnvName } from "#shared/env-names.ts";
import {
  crossAccountHub,
  discoveryGrant,
  hubAccount,
  hubQueueArn,
  hubQueueKeyStatement,
  insuranceKeyDirectoryRoleArn,
  rolePath,
  signingKeyGrant,
} from "./discovery.ts";
import { bucketStatements, sendStatements, tableStatements } from "./grants.ts";
import { ManagedPolicyRole } from "./managed-policy-role.ts";
import { acknowledge, acknowledgeWildcards } from "./nag.ts";
import type { NodeState } from "./node-state.ts";

/** Next to the cloud assembly; one folder per handler, shared by every stack of the app. */
export const DEFAULT_BUNDLE_ROOT = path.join(REPO_ROOT, "cdk.out", ".bundles");

export interface NodeFunctionProps {
  nodeKind: NodeKind;
  /** "hub" or the city id */
  nodeId: string;
  declaration: FunctionDeclaration;
  state: NodeState;
  bundleRoot?: string;
}

/** The multiple of the peak the functions' concurrency is planned for: the model's, or the synth's context override */
function peakMultiple(scope: Construct): number {
  const value = scope.node.tryGetContext(PEAK_MULTIPLE_CONTEXT) as string | number | undefined;
  if (value === undefined) return PLANNED_PEAK_MULTIPLE;
  const multiple = Number(value);
  if (!(multiple > 0)) throw new Error(`context ${PEAK_MULTIPLE_CONTEXT}: a positive number, got ${String(value)}`);
  return multiple;
}

export class NodeFunction extends lambda.Function {
  /** The reserved concurrency planned for this function (docs/capacity.md) */
  readonly reservedConcurrentExecutions: number;
  readonly declaration: FunctionDeclaration;
  private readonly nodeKind: NodeKind;
  private readonly nodeId: string;

  constructor(scope: Construct, id: string, props: NodeFunctionProps) {
    const { nodeKind, nodeId, declaration: decl, state } = props;
    const reserved = plannedConcurrency(nodeKind, nodeId, decl, peakMultiple(scope));
    const role = new ManagedPolicyRole(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
      path: rolePath(nodeId, decl),
      // the hub tells which city calls its internal API by this name (an assumed-role ARN has no path): docs/node-identity.md
      ...(nodeKind === "city" ? { roleName: nodeRoleName("city", nodeId, decl.id) } : {}),
      description: `${nodeId} ${decl.id}: ${decl.description}`,
    });
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, { retention: logs.RetentionDays.THREE_MONTHS, encryptionKey: state.logsKey });
    const env: Record<string, string> = {
      [ENV.nodeKind]: nodeKind,
      [ENV.nodeId]: nodeId,
      [ENV.ssmPrefix]: PROVINCE.ssmPrefix,
      [ENV.connectedWindowSeconds]: String(PROVINCE.connectedWindowSeconds),
      // as the local province names it (local/province.ts)
      POWERTOOLS_SERVICE_NAME: `${nodeId}-${decl.id}`,
      // a city keeps the hub's positive practitioner check this long (docs/security.md#practitioners)
      ...(nodeKind === "city" ? { [ENV.practitionerCacheSeconds]: String(PROVINCE.practitionerCacheSeconds) } : {}),
    };
    for (const t of Object.keys(decl.tables ?? {})) env[tableEnvName(t)] = state.table(t).tableName;
    for (const q of decl.sendsTo ?? []) env[queueUrlEnvName(q)] = state.queue(q).queue.queueUrl;
    // the hub's queues by their fixed names, in the hub's account (the insurance platform's answers)
    for (const q of decl.sendsToHub ?? []) {
      const name = queuePhysicalName("hub", q, { fifo: HUB_DECLARATION.queues.find((x) => x.id === q)!.fifo });
      env[queueUrlEnvName(q)] = `https://sqs.${Aws.REGION}.${Aws.URL_SUFFIX}/${hubAccount(scope)}/${name}`;
    }
    for (const b of Object.keys(decl.buckets ?? {})) env[bucketEnvName(b)] = state.bucket(b).bucketName;
    // the hub's queue consumers check SQS's SenderId against the named city's roles (the local SQS
    // emulator reports one SenderId for every message: the local province leaves this unset)
    if (nodeKind === "hub" && decl.trigger?.kind === "queue") env[ENV.checkSenderId] = "1";
    // the insurance platform in another account reaches the key directory through the hub's role
    const hub = nodeKind === "insurance" ? crossAccountHub(scope) : undefined;
    if (hub) env[ENV.keyDirectoryRole] = insuranceKeyDirectoryRoleArn(scope, hub);

    super(scope, id, {
      description: decl.description,
      code: lambda.Code.fromAsset(bundleHandler(decl.entry, props.bundleRoot ?? DEFAULT_BUNDLE_ROOT)),
      handler: "index.handler",
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: decl.memoryMb,
      timeout: Duration.seconds(decl.timeoutSeconds),
      role,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      environment: env,
      // planned from the load model at 10× the peak (docs/capacity.md): a flood at one endpoint takes
      // at most its own share, and every function keeps its share whatever floods the others
      reservedConcurrentExecutions: reserved,
    });
    this.declaration = decl;
    this.reservedConcurrentExecutions = reserved;
    this.nodeKind = nodeKind;
    this.nodeId = nodeId;
    Tags.of(this).add("hhc:function", decl.id);
    logGroup.grantWrite(role);
    this.grantPerDeclaration(state);
    this.addTrigger(scope, id, state);
    acknowledge(this, {
      "HIPAA.Security-LambdaInsideVPC":
        "Calls only AWS regional endpoints (DynamoDB, SQS, S3, SSM, API Gateway) over TLS with IAM auth; no VPC resources to reach, and no NAT cost per city",
      "HIPAA.Security-LambdaDLQ":
        "No asynchronous invocations to lose: API and authorizer calls are synchronous, queue consumers have the queue's DLQ, and the scheduled sweeper re-runs each minute from the durable outbox",
    });
  }

  private grantPerDeclaration(state: NodeState): void {
    const { tables = {}, buckets = {}, sendsTo = [], sendsToHub = [], discovery = [] } = this.declaration;
    const statements = [
      ...Object.entries(tables).flatMap(([t, access]) => tableStatements(state.table(t), access)),
      ...Object.entries(buckets).flatMap(([b, access]) => bucketStatements(state.bucket(b), access)),
      ...sendsTo.flatMap((q) => sendStatements(state.queue(q))),
    ];
    const wildcards = Object.keys(buckets).map((b) => ({
      resource: state.bucket(b).arnForObjects("*"),
      reason: "Object keys are chosen at run time (one per document version); the grant covers objects of this one bucket only",
    }));
    if (sendsToHub.length > 0) {
      statements.push(
        new iam.PolicyStatement({ actions: [...QUEUE_SEND_ACTIONS], resources: sendsToHub.map((q) => hubQueueArn(this, q)) }),
      );
      const key = hubQueueKeyStatement(this, ["kms:GenerateDataKey", "kms:Decrypt"]);
      statements.push(key.statement);
      wildcards.push({
        resource: key.resource,
        reason: "The hub's queue keys belong to the hub (maybe another account); the grant is limited to use through SQS",
      });
    }
    for (const grant of [
      ...discovery.map((d) => discoveryGrant(this, d, this.declaration)),
      signingKeyGrant(this, this.nodeKind, this.nodeId, this.declaration),
    ]) {
      statements.push(...grant.statements);
      wildcards.push(...grant.wildcards);
    }
    for (const s of statements) this.addToRolePolicy(s);
    acknowledgeWildcards(this.role!, wildcards);
  }

  /** A hub queue this function of another node consumes, imported by its fixed name (and the hub's account) */
  private hubQueue(scope: Construct, id: string, queueId: string): { declaration: QueueDeclaration; queue: sqs.IQueue } {
    const declaration = HUB_DECLARATION.queues.find((x) => x.id === queueId)!;
    const queue = sqs.Queue.fromQueueAttributes(scope, `${id}HubQueue`, { queueArn: hubQueueArn(this, queueId), fifo: declaration.fifo });
    const key = hubQueueKeyStatement(this, ["kms:Decrypt"]);
    this.addToRolePolicy(key.statement);
    acknowledgeWildcards(this.role!, [
      {
        resource: key.resource,
        reason: "The hub's queue key belongs to the hub (maybe another account); the grant is limited to use through SQS",
      },
    ]);
    return { declaration, queue };
  }

  private addTrigger(scope: Construct, id: string, state: NodeState): void {
    const { trigger, timeoutSeconds } = this.declaration;
    if (trigger?.kind === "queue") {
      const { declaration: q, queue } = trigger.node === "hub" ? this.hubQueue(scope, id, trigger.queue) : state.queue(trigger.queue);
      if (q.visibilityTimeoutSeconds < 6 * timeoutSeconds) {
        throw new Error(
          `queue ${q.id}: visibility timeout ${q.visibilityTimeoutSeconds}s must be at least 6x the timeout of ${this.declaration.id} (${timeoutSeconds}s)`,
        );
      }
      this.addEventSource(
        new SqsEventSource(queue, {
          batchSize: trigger.batchSize,
          // FIFO queues take no batching window
          ...(q.fifo ? {} : { maxBatchingWindow: Duration.seconds(trigger.maxBatchingWindowSeconds) }),
          reportBatchItemFailures: true,
          // no more pollers than the function's reserved concurrency: messages wait in the queue instead of being throttled toward the DLQ
          maxConcurrency: this.reservedConcurrentExecutions,
        }),
      );
    } else if (trigger?.kind === "schedule") {
      new events.Rule(scope, `${id}Schedule`, {
        description: `Runs ${this.declaration.id} every ${trigger.everyMinutes} minute(s)`,
        schedule: events.Schedule.rate(Duration.minutes(trigger.everyMinutes)),
        // the next run comes within minutes and works from the durable outbox: no retry pile-up
        targets: [new targets.LambdaFunction(this, { retryAttempts: 0 })],
      });
    }
  }
}
